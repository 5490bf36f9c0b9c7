// Fault injection and a request log for the S3 stand-in, so that tests can make it answer as S3
// does when it denies, throttles or fails. Admin routes (kernel /__admin, with the admin token):
//   POST   /__admin/faults    {operation, bucket?, status, code, message?, count?} or a list of them
//   GET    /__admin/faults    the faults still armed
//   DELETE /__admin/faults    clears them
//   GET    /__admin/requests  {requests: [{operation, bucket, key, status}]}
//   DELETE /__admin/requests  clears the log
//   POST   /__admin/bucket-regions  {"bucket": "region"}: moves existing buckets to a region (server.ts)
// A matching request gets S3's XML error body (<Error><Code>…</Code>…) with the given status,
// `count` times (default 1; 0 means until cleared).
export interface S3Fault {
  /** An S3 operation name (ListObjectsV2, GetObject, PutObject, …) or '*'. */
  operation: string;
  /** Only requests to this bucket (any bucket when absent). */
  bucket?: string;
  status: number;
  code: string;
  message?: string;
  count?: number;
}

export interface S3RequestRecord {
  operation: string;
  bucket?: string;
  key?: string;
  status?: number;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The S3 operation a path-style REST request stands for (`pathname` as sent, still encoded). */
export function operationOf(method: string, pathname: string, query: URLSearchParams): { operation: string; bucket?: string; key?: string } {
  const rest = pathname.startsWith('/') ? pathname.slice(1) : pathname;
  const slash = rest.indexOf('/');
  const bucket = (slash < 0 ? rest : rest.slice(0, slash)) ? safeDecode(slash < 0 ? rest : rest.slice(0, slash)) : undefined;
  const key = slash >= 0 && rest.slice(slash + 1) ? safeDecode(rest.slice(slash + 1)) : undefined;
  const m = method.toUpperCase();
  if (!bucket) return { operation: m === 'GET' ? 'ListBuckets' : `${m} /` };
  if (!key) {
    if (m === 'GET')
      return {
        operation: query.has('uploads')
          ? 'ListMultipartUploads'
          : query.get('list-type') === '2'
            ? 'ListObjectsV2'
            : query.has('location')
              ? 'GetBucketLocation'
              : 'ListObjects',
        bucket,
      };
    if (m === 'HEAD') return { operation: 'HeadBucket', bucket };
    if (m === 'PUT') return { operation: 'CreateBucket', bucket };
    if (m === 'DELETE') return { operation: 'DeleteBucket', bucket };
    if (m === 'POST' && query.has('delete')) return { operation: 'DeleteObjects', bucket };
    return { operation: `${m} bucket`, bucket };
  }
  if (m === 'GET') return { operation: query.has('uploadId') ? 'ListParts' : 'GetObject', bucket, key };
  if (m === 'HEAD') return { operation: 'HeadObject', bucket, key };
  if (m === 'DELETE') return { operation: query.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject', bucket, key };
  if (m === 'PUT') return { operation: query.has('partNumber') ? 'UploadPart' : 'PutObject', bucket, key };
  if (m === 'POST')
    return { operation: query.has('uploads') ? 'CreateMultipartUpload' : query.has('uploadId') ? 'CompleteMultipartUpload' : 'POST object', bucket, key };
  return { operation: `${m} object`, bucket, key };
}

const DEFAULT_MESSAGES: Record<string, string> = {
  AccessDenied: 'Access Denied',
  SlowDown: 'Please reduce your request rate.',
  InternalError: 'We encountered an internal error. Please try again.',
  ServiceUnavailable: 'Service is unable to handle request.',
};

export class S3Faults {
  private faults: S3Fault[] = [];
  private log: S3RequestRecord[] = [];

  add(f: S3Fault | S3Fault[]): S3Fault[] {
    for (const x of Array.isArray(f) ? f : [f]) {
      if (!x || typeof x.operation !== 'string' || typeof x.status !== 'number' || typeof x.code !== 'string')
        throw new Error('a fault needs operation, status and code');
      this.faults.push({ ...x });
    }
    return this.faults;
  }

  list(): S3Fault[] {
    return [...this.faults];
  }

  clear(): void {
    this.faults = [];
  }

  requests(): S3RequestRecord[] {
    return this.log;
  }

  clearRequests(): void {
    this.log = [];
  }

  record(r: S3RequestRecord): void {
    this.log.push(r);
    if (this.log.length > 10_000) this.log.splice(0, this.log.length - 10_000);
  }

  /** The fault this request meets, used up by one (unless its count is 0). */
  take(operation: string, bucket: string | undefined): (S3Fault & { message: string }) | undefined {
    const f = this.faults.find((x) => (x.operation === '*' || x.operation === operation) && (!x.bucket || x.bucket === bucket));
    if (!f) return undefined;
    if (f.count !== 0) {
      const left = (f.count ?? 1) - 1;
      if (left <= 0) this.faults = this.faults.filter((x) => x !== f);
      else f.count = left;
    }
    return { ...f, message: f.message ?? DEFAULT_MESSAGES[f.code] ?? f.code };
  }
}
