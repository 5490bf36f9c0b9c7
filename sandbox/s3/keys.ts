// S3's key rules (reference: services-2026.md §7 "S3 object keys"): any UTF-8 of up to 1,024 bytes,
// stored verbatim — `//`, a leading `/`, `.` and `..` segments, spaces at either end. Only a key whose
// `..` segments climb above its root is refused, with real S3's bare 400 (observed via the AWS CLI;
// floci-io/floci#1231). Listing with encoding-type=url encodes form-style: space as '+', '/' kept.
import { S3Error } from './xml';

export const MAX_KEY_BYTES = 1024;

/** The key in a path-style request path (`/bucket/key…`, still percent-encoded), decoded exactly. */
export function splitPath(rawPath: string): { bucket?: string; key?: string } {
  const p = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (!p) return {};
  const slash = p.indexOf('/');
  const bucketPart = slash < 0 ? p : p.slice(0, slash);
  const keyPart = slash < 0 ? '' : p.slice(slash + 1);
  const bucket = decode(bucketPart);
  return keyPart === '' ? { bucket } : { bucket, key: decode(keyPart) };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
  }
}

/** Whether resolving the key's `.` and `..` segments would climb above the bucket. */
export function climbsOut(key: string): boolean {
  let depth = 0;
  const segments = key.split('/');
  for (const [i, s] of segments.entries()) {
    if (s === '..') {
      depth -= 1;
      if (depth < 0) return true;
    } else if (s !== '.' && !(s === '' && i === segments.length - 1)) depth += 1;
  }
  return false;
}

/** Throws what S3 answers for a key it will not take. */
export function checkKey(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', { Size: String(bytes), MaxSizeAllowed: String(MAX_KEY_BYTES) });
  if (climbsOut(key)) throw new S3Error(400, 'BadRequest', 'Bad Request', {}, {}, true);
}

/** Form-style URL encoding of listing values (encoding-type=url). */
export function urlEncode(s: string): string {
  return encodeURIComponent(s).replace(/%2F/g, '/').replace(/%20/g, '+');
}

/** Compares keys in UTF-8 byte order, the order S3 lists in. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Bucket names S3 accepts (general purpose buckets: 3–63 of a-z 0-9 . -, starting and ending with a letter or digit). */
export function validBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !/\.\./.test(name) && !/^\d+\.\d+\.\d+\.\d+$/.test(name);
}
