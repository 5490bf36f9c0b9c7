// ListBuckets, ListObjects (V1) and ListObjectsV2 over the key store, with S3's paging: opaque
// continuation tokens, Marker/NextMarker, start-after, at most 1,000 keys a page (common prefixes
// count), and encoding-type=url (Prefix, Delimiter, StartAfter, Marker, Key and CommonPrefixes
// encoded; tokens left as they are). Reference: services-2026.md §7.
import type { ObjectStore, ObjectInfo, BucketInfo } from './store';
import { urlEncode } from './keys';
import { doc, el, S3Error } from './xml';

export const OWNER = { id: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a', name: 'ferry-sandbox' };
const owner = `<Owner><ID>${OWNER.id}</ID><DisplayName>${OWNER.name}</DisplayName></Owner>`;

const iso = (ms: number): string => new Date(ms).toISOString();

function maxKeys(q: URLSearchParams, name = 'max-keys', limit = 1000): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return limit;
  if (!/^\d+$/.test(raw))
    throw new S3Error(400, 'InvalidArgument', `Provided ${name} not an integer or within integer range`, { ArgumentName: name, ArgumentValue: raw });
  return Math.min(limit, Number(raw));
}

function encodingOf(q: URLSearchParams): ((s: string) => string) | undefined {
  const e = q.get('encoding-type');
  if (e === null) return undefined;
  if (e !== 'url')
    throw new S3Error(400, 'InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: e });
  return urlEncode;
}

export function token(last: string): string {
  return Buffer.from(`1\n${last}`, 'utf8').toString('base64');
}

function untoken(t: string): string {
  const s = Buffer.from(t, 'base64').toString('utf8');
  if (!s.startsWith('1\n') || Buffer.from(s, 'utf8').toString('base64') !== t)
    throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
  return s.slice(2);
}

function contents(o: ObjectInfo, e: (s: string) => string, withOwner: boolean): string {
  return `<Contents>${el('Key', e(o.key))}${el('LastModified', iso(o.lastModified))}${el('ETag', o.etag)}${o.checksum ? el('ChecksumAlgorithm', o.checksum.algorithm) : ''}${el('Size', o.size)}${withOwner ? owner : ''}<StorageClass>STANDARD</StorageClass></Contents>`;
}

export function listObjects(store: ObjectStore, bucket: string, q: URLSearchParams): string {
  const v2 = q.get('list-type') === '2';
  const encode = encodingOf(q);
  const e = encode ?? ((s: string) => s);
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') || undefined;
  const max = maxKeys(q);
  const continuation = v2 ? q.get('continuation-token') : null;
  const startAfter = v2 ? (q.get('start-after') ?? undefined) : undefined;
  const marker = v2 ? undefined : (q.get('marker') ?? undefined);
  if (continuation === '') throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
  const after = continuation ? untoken(continuation) : (startAfter ?? marker);
  const page =
    max === 0
      ? { contents: [], prefixes: [], truncated: false, last: undefined }
      : store.list(bucket, { prefix, delimiter, after: after || undefined, maxKeys: max });
  const items =
    page.contents.map((o) => contents(o, e, !v2 || q.get('fetch-owner') === 'true')).join('') +
    page.prefixes.map((p) => `<CommonPrefixes>${el('Prefix', e(p))}</CommonPrefixes>`).join('');
  if (v2) {
    return doc(
      'ListBucketResult',
      el('Name', bucket) +
        el('Prefix', e(prefix)) +
        (continuation ? el('ContinuationToken', continuation) : '') +
        (startAfter !== undefined ? el('StartAfter', e(startAfter)) : '') +
        el('KeyCount', page.contents.length + page.prefixes.length) +
        el('MaxKeys', max) +
        (delimiter ? el('Delimiter', e(delimiter)) : '') +
        (encode ? el('EncodingType', 'url') : '') +
        el('IsTruncated', page.truncated) +
        (page.truncated && page.last !== undefined ? el('NextContinuationToken', token(page.last)) : '') +
        items,
    );
  }
  return doc(
    'ListBucketResult',
    el('Name', bucket) +
      el('Prefix', e(prefix)) +
      el('Marker', e(marker ?? '')) +
      // S3 sends NextMarker only with a delimiter; without one the client goes on from the last key.
      (page.truncated && delimiter && page.last !== undefined ? el('NextMarker', e(page.last)) : '') +
      el('MaxKeys', max) +
      (delimiter ? el('Delimiter', e(delimiter)) : '') +
      (encode ? el('EncodingType', 'url') : '') +
      el('IsTruncated', page.truncated) +
      items,
  );
}

/** ListBuckets. BucketRegion is only sent when the request has a parameter (reference §7). */
export function listBuckets(buckets: BucketInfo[], q: URLSearchParams): string {
  const hasParam = ['max-buckets', 'continuation-token', 'prefix', 'bucket-region'].some((p) => q.has(p));
  const prefix = q.get('prefix') ?? '';
  const region = q.get('bucket-region');
  const max = maxKeys(q, 'max-buckets', 10000);
  const after = q.get('continuation-token') ? untoken(q.get('continuation-token') as string) : undefined;
  const all = buckets.filter((b) => b.name.startsWith(prefix) && (!region || b.region === region) && (after === undefined || b.name > after));
  const page = all.slice(0, max);
  const more = all.length > page.length && page.length > 0;
  return doc(
    'ListAllMyBucketsResult',
    owner +
      `<Buckets>${page.map((b) => `<Bucket>${el('Name', b.name)}${el('CreationDate', iso(b.created))}${hasParam ? el('BucketRegion', b.region) : ''}</Bucket>`).join('')}</Buckets>` +
      (more ? el('ContinuationToken', token(page[page.length - 1].name)) : '') +
      (q.has('prefix') ? el('Prefix', prefix) : ''),
  );
}
