// Reading a DBFS file through the DBFS 2.0 API, 1 MB a request (the API's cap per read). Used for
// images a cluster answered as files (`/plots/…` in /FileStore/plots).
import { DatabricksTransport } from './transport';

const BLOCK = 1024 * 1024;

export async function readDbfsFile(transport: DatabricksTransport, path: string, signal?: AbortSignal, maxBytes = 64 * BLOCK): Promise<Buffer> {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const r = await transport.request<{ bytes_read?: number; data?: string }>('GET', '/api/2.0/dbfs/read', { query: { path, offset, length: BLOCK }, signal });
    const chunk = Buffer.from(r.data ?? '', 'base64');
    parts.push(chunk);
    offset += chunk.length;
    if (chunk.length < BLOCK || (r.bytes_read ?? chunk.length) === 0) break;
    if (offset > maxBytes) throw new Error(`${path} is larger than ${Math.round(maxBytes / BLOCK)} MB`);
  }
  return Buffer.concat(parts);
}
