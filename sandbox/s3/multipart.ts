// s3rver 3.7.1 answers ListMultipartUploads and AbortMultipartUpload with NotImplemented / 405, so
// a client could never see or clean up the parts a cancelled upload leaves. The stand-in adds the
// two operations over s3rver's own upload store (<dataDir>/<bucket>/._S3rver_uploads/<id>/key),
// answering as S3 does (ListMultipartUploadsResult XML; 204 on abort; 404 NoSuchUpload).
import fs from 'node:fs';
import path from 'node:path';
import { escapeXml } from './faults';

export interface MultipartContext {
  method: string;
  path: string;
  querystring: string;
  status: number;
  body: unknown;
  type: string;
}

function uploadsDir(root: string, bucket: string): string {
  return path.join(root, bucket, '._S3rver_uploads');
}

/** Upload ids s3rver still holds parts for in a bucket. */
export function openUploads(dataDir: string, bucket: string): Array<{ id: string; key: string }> {
  const dir = uploadsDir(dataDir, bucket);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((id) => fs.existsSync(path.join(dir, id, 'key')))
    .map((id) => ({ id, key: fs.readFileSync(path.join(dir, id, 'key'), 'utf8') }));
}

export function multipartMiddleware(dataDir: string): (ctx: MultipartContext, next: () => Promise<void>) => Promise<void> {
  return async (ctx, next) => {
    const parts = ctx.path.split('/').filter(Boolean).map(decodeURIComponent);
    const query = new URLSearchParams(ctx.querystring);
    const bucket = parts[0];
    if (ctx.method === 'GET' && parts.length === 1 && query.has('uploads')) {
      const prefix = query.get('prefix') ?? '';
      const items = openUploads(dataDir, bucket).filter((u) => u.key.startsWith(prefix));
      ctx.type = 'application/xml';
      ctx.body =
        `<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult><Bucket>${escapeXml(bucket)}</Bucket><Prefix>${escapeXml(prefix)}</Prefix><IsTruncated>false</IsTruncated>` +
        items.map((u) => `<Upload><Key>${escapeXml(u.key)}</Key><UploadId>${escapeXml(u.id)}</UploadId></Upload>`).join('') +
        `</ListMultipartUploadsResult>`;
      return;
    }
    const uploadId = query.get('uploadId');
    if (ctx.method === 'DELETE' && parts.length > 1 && uploadId) {
      const dir = path.join(uploadsDir(dataDir, bucket), path.basename(uploadId));
      if (!uploadId || uploadId !== path.basename(uploadId) || !fs.existsSync(dir)) {
        ctx.status = 404;
        ctx.type = 'application/xml';
        ctx.body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.</Message></Error>';
        return;
      }
      fs.rmSync(dir, { recursive: true, force: true });
      ctx.status = 204;
      ctx.body = '';
      return;
    }
    await next();
  };
}
