// s3rver 3.7.1 answers ListMultipartUploads and AbortMultipartUpload with NotImplemented / 405, so
// "no parts are left behind" cannot be observed through it. This starts an in-process s3rver with
// those two operations added on top of its own upload store (<dir>/<bucket>/._S3rver_uploads/<id>/),
// so the check runs over real HTTP with the real SDK against the real server's state.
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { scratchDir } from '../standIns';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  status: number;
  body: unknown;
  type: string;
}

function uploadsDir(root: string, bucket: string): string {
  return path.join(root, bucket, '._S3rver_uploads');
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface MultipartStandIn {
  endpoint: string;
  dataDir: string;
  /** Upload ids s3rver still holds parts for. */
  openUploads(bucket: string): string[];
  stop(): Promise<void>;
}

export async function startMultipartStandIn(buckets: string[]): Promise<MultipartStandIn> {
  const dataDir = scratchDir('s3mp');
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory: dataDir, silent: true, configureBuckets: buckets.map((name) => ({ name })) });
  const openUploads = (bucket: string): string[] => {
    const dir = uploadsDir(dataDir, bucket);
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((id) => fs.existsSync(path.join(dir, id, 'key'))) : [];
  };
  const middleware = async (ctx: KoaContext, next: () => Promise<void>) => {
    const parts = ctx.path.split('/').filter(Boolean).map(decodeURIComponent);
    const bucket = parts[0];
    if (ctx.method === 'GET' && parts.length === 1 && 'uploads' in ctx.query) {
      const prefix = ctx.query.prefix ?? '';
      const items = openUploads(bucket)
        .map((id) => ({ id, key: fs.readFileSync(path.join(uploadsDir(dataDir, bucket), id, 'key'), 'utf8') }))
        .filter((u) => u.key.startsWith(prefix));
      ctx.type = 'application/xml';
      ctx.body =
        `<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult><Bucket>${escapeXml(bucket)}</Bucket><IsTruncated>false</IsTruncated>` +
        items.map((u) => `<Upload><Key>${escapeXml(u.key)}</Key><UploadId>${escapeXml(u.id)}</UploadId></Upload>`).join('') +
        `</ListMultipartUploadsResult>`;
      return;
    }
    if (ctx.method === 'DELETE' && parts.length > 1 && ctx.query.uploadId) {
      const dir = path.join(uploadsDir(dataDir, bucket), ctx.query.uploadId);
      if (!fs.existsSync(dir)) {
        ctx.status = 404;
        ctx.type = 'application/xml';
        ctx.body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>';
        return;
      }
      fs.rmSync(dir, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    await next();
  };
  (server as { middleware: unknown[] }).middleware.unshift(middleware);
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    dataDir,
    openUploads,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
