// The S3 REST operations the stand-in serves (path-style only): buckets, objects, listings and
// multipart uploads, with S3's errors. Anything else answers NotImplemented.
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { bytes, KernelRequest, readBody, reply, Reply } from '../kernel';
import { listBuckets, listObjects, OWNER } from './listing';
import { checkKey, splitPath, validBucketName } from './keys';
import { CHECKSUM_ALGORITHMS, MAX_SINGLE_PUT, receiveBody } from './receive';
import { Credentials, verify } from './sigv4';
import { Checksum, ObjectInfo, ObjectStore } from './store';
import { doc, el, parseXmlBody, S3Error, text } from './xml';

export interface S3Context {
  store: ObjectStore;
  creds: Credentials;
  /** Region of buckets created without a LocationConstraint. */
  defaultRegion: string;
}

interface Op {
  r: KernelRequest;
  bucket?: string;
  key?: string;
  q: URLSearchParams;
  payload: string;
}

const MIN_PART = 5 * 1024 * 1024;
const xml = (status: number, body: string, headers: Record<string, string> = {}): Reply =>
  bytes(status, { 'Content-Type': 'application/xml', ...headers }, body);
const httpDate = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toUTCString();
const unquote = (etag: string): string => etag.replace(/^"|"$/g, '');

const noSuchBucket = (bucket: string): S3Error => new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
const noSuchKey = (key: string): S3Error => new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
const noSuchUpload = (id: string): S3Error =>
  new S3Error(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', {
    UploadId: id,
  });

/** The whole request: key rules, signature, region, then the operation. */
export async function handleS3(r: KernelRequest, ctx: S3Context): Promise<Reply> {
  const q = r.url.searchParams;
  const rawQuery = (r.req.url ?? '').includes('?') ? (r.req.url ?? '').slice((r.req.url ?? '').indexOf('?') + 1) : '';
  const { bucket, key } = splitPath(r.rawPath);
  // A key that climbs out is refused before anything else, as S3's front end does.
  if (key !== undefined) checkKey(key);
  const signed = verify(r.req, r.rawPath, rawQuery, ctx.creds);
  const op: Op = { r, bucket, key, q, payload: signed.payload };
  if (bucket === undefined) {
    if (r.method === 'GET') return xml(200, listBuckets(ctx.store.listBuckets(), q));
    throw notImplemented();
  }
  // A bucket lives in one region; a request signed for another reaches the wrong regional
  // endpoint, which answers 301 PermanentRedirect naming the bucket's region (HEAD: no body).
  // Reference: docs/reference-additions.md "S3: a request in the wrong region".
  const info = ctx.store.bucket(bucket);
  const isCreate = r.method === 'PUT' && key === undefined && ![...q.keys()].length;
  if (info && !isCreate && info.region !== signed.region) {
    if (r.method === 'HEAD') return reply(301, { 'x-amz-bucket-region': info.region });
    throw new S3Error(
      301,
      'PermanentRedirect',
      'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
      { Endpoint: `${bucket}.s3.${info.region}.amazonaws.com`, Bucket: bucket },
      { 'x-amz-bucket-region': info.region },
    );
  }
  const answer = key === undefined ? await bucketOp(op, bucket, ctx, signed.region) : await objectOp(op, bucket, key, ctx);
  const region = ctx.store.bucket(bucket)?.region;
  if (region) answer.headers['x-amz-bucket-region'] ??= region;
  return answer;
}

function notImplemented(): S3Error {
  return new S3Error(501, 'NotImplemented', 'A header or query you provided implies functionality that is not implemented by the S3 stand-in.');
}

function need(ctx: S3Context, bucket: string): void {
  if (!ctx.store.bucket(bucket)) throw noSuchBucket(bucket);
}

async function smallBody(op: Op): Promise<Buffer> {
  const body = await readBody(op.r.req, 4 * 1024 * 1024);
  if (/^[0-9a-f]{64}$/.test(op.payload) && crypto.createHash('sha256').update(body).digest('hex') !== op.payload) {
    throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  return body;
}

async function bucketOp(op: Op, bucket: string, ctx: S3Context, signedRegion: string): Promise<Reply> {
  const { r, q } = op;
  const store = ctx.store;
  const info = store.bucket(bucket);
  switch (r.method) {
    case 'PUT': {
      if ([...q.keys()].length) throw notImplemented();
      if (!validBucketName(bucket)) throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucket });
      const body = await smallBody(op);
      const constraint = body.length ? text(parseXmlBody(body, 'CreateBucketConfiguration').LocationConstraint) : undefined;
      // Without a constraint the bucket is made in the region the request was signed for (S3
      // refusing that outside us-east-1 is unconfirmed here, so the stand-in accepts it).
      const region = constraint || signedRegion || ctx.defaultRegion;
      if (info) {
        // us-east-1 answers 200 to its owner re-creating a bucket; every other region 409.
        if (info.region === 'us-east-1' && region === 'us-east-1') return reply(200, { Location: `/${bucket}` });
        throw new S3Error(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', {
          BucketName: bucket,
        });
      }
      store.createBucket(bucket, region);
      return reply(200, { Location: `/${bucket}`, 'Content-Length': '0' });
    }
    case 'HEAD':
      if (!info) return reply(404, {});
      return reply(200, { 'x-amz-bucket-region': info.region, 'x-amz-access-point-alias': 'false' });
    case 'DELETE':
      need(ctx, bucket);
      if ([...q.keys()].length) throw notImplemented();
      if (!store.isEmpty(bucket)) throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: bucket });
      store.deleteBucket(bucket);
      return reply(204, {});
    case 'GET':
      need(ctx, bucket);
      // us-east-1 is the empty constraint, as S3 answers it.
      if (q.has('location')) return xml(200, doc('LocationConstraint', info!.region === 'us-east-1' ? '' : info!.region));
      if (q.has('uploads')) return xml(200, listUploads(ctx, bucket, q));
      if (q.has('versioning')) return xml(200, doc('VersioningConfiguration', ''));
      if (
        [...q.keys()].some(
          (k) =>
            !['list-type', 'prefix', 'delimiter', 'max-keys', 'continuation-token', 'start-after', 'marker', 'encoding-type', 'fetch-owner', 'x-id'].includes(
              k,
            ),
        )
      )
        throw notImplemented();
      return xml(200, listObjects(store, bucket, q));
    case 'POST':
      need(ctx, bucket);
      if (q.has('delete')) return deleteObjects(op, bucket, ctx);
      throw notImplemented();
    default:
      throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: r.method, ResourceType: 'BUCKET' });
  }
}

async function objectOp(op: Op, bucket: string, key: string, ctx: S3Context): Promise<Reply> {
  const { r, q } = op;
  need(ctx, bucket);
  const uploadId = q.get('uploadId');
  switch (r.method) {
    case 'GET':
      if (uploadId) return listParts(ctx, bucket, key, uploadId, q);
      return getObject(op, bucket, key, ctx, false);
    case 'HEAD':
      return getObject(op, bucket, key, ctx, true);
    case 'PUT':
      if (q.has('partNumber') || uploadId) return uploadPart(op, bucket, key, ctx);
      if (r.req.headers['x-amz-copy-source']) return copyObject(op, bucket, key, ctx);
      return putObject(op, bucket, key, ctx);
    case 'DELETE':
      if (uploadId) {
        const u = ctx.store.upload(bucket, uploadId);
        if (!u || u.info.key !== key) throw noSuchUpload(uploadId);
        ctx.store.dropUpload(bucket, uploadId);
        return reply(204, {});
      }
      ctx.store.delete(bucket, key);
      return reply(204, {});
    case 'POST':
      if (q.has('uploads')) return createUpload(op, bucket, key, ctx);
      if (uploadId) return completeUpload(op, bucket, key, uploadId, ctx);
      throw notImplemented();
    default:
      throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: r.method, ResourceType: 'OBJECT' });
  }
}

const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];

function metadataOf(op: Op): { contentType: string; metadata: Record<string, string>; headers: Record<string, string> } {
  const h = op.r.req.headers;
  const metadata: Record<string, string> = {};
  for (const [name, v] of Object.entries(h)) if (name.startsWith('x-amz-meta-') && typeof v === 'string') metadata[name.slice(11)] = v;
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const v = h[name];
    if (typeof v !== 'string') continue;
    // aws-chunked is how the body travelled, not how the object is encoded.
    const value =
      name === 'content-encoding'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s && s !== 'aws-chunked')
            .join(', ')
        : v;
    if (value) headers[name] = value;
  }
  return { contentType: typeof h['content-type'] === 'string' ? h['content-type'] : 'application/octet-stream', metadata, headers };
}

function checkWritePreconditions(op: Op, existing: ObjectInfo | undefined): void {
  const inm = op.r.req.headers['if-none-match'];
  if (inm === '*' && existing)
    throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
  const im = op.r.req.headers['if-match'];
  if (typeof im === 'string' && (!existing || unquote(im) !== unquote(existing.etag))) {
    if (!existing) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: op.key ?? '' });
    throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Match' });
  }
}

function checksumHeaders(c: Checksum | undefined): Record<string, string> {
  return c ? { [`x-amz-checksum-${c.algorithm.toLowerCase()}`]: c.value, 'x-amz-checksum-type': c.type } : {};
}

async function putObject(op: Op, bucket: string, key: string, ctx: S3Context): Promise<Reply> {
  const length = Number(op.r.req.headers['x-amz-decoded-content-length'] ?? op.r.req.headers['content-length'] ?? 0);
  if (length > MAX_SINGLE_PUT)
    throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: String(length),
      MaxSizeAllowed: String(MAX_SINGLE_PUT),
    });
  checkWritePreconditions(op, ctx.store.head(bucket, key));
  const got = await receiveBody(op.r.req, ctx.store.tmpFile(), op.payload);
  const info: ObjectInfo = { key, size: got.size, etag: `"${got.md5}"`, lastModified: Date.now(), ...metadataOf(op), checksum: got.checksum };
  ctx.store.commit(bucket, got.file, info);
  return reply(200, { ETag: info.etag, 'Content-Length': '0', ...checksumHeaders(info.checksum) });
}

async function copyObject(op: Op, bucket: string, key: string, ctx: S3Context): Promise<Reply> {
  const raw = String(op.r.req.headers['x-amz-copy-source']).split('?')[0];
  const { bucket: fromBucket, key: fromKey } = splitPath(raw.startsWith('/') ? raw : `/${raw}`);
  if (!fromBucket || fromKey === undefined)
    throw new S3Error(400, 'InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', {
      ArgumentName: 'x-amz-copy-source',
    });
  need(ctx, fromBucket);
  const src = ctx.store.head(fromBucket, fromKey);
  if (!src) throw noSuchKey(fromKey);
  const replace = String(op.r.req.headers['x-amz-metadata-directive'] ?? 'COPY').toUpperCase() === 'REPLACE';
  if (fromBucket === bucket && fromKey === key && !replace)
    throw new S3Error(
      400,
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  await smallBody(op);
  const tmp = ctx.store.tmpFile();
  fs.copyFileSync(ctx.store.dataFile(fromBucket, fromKey), tmp);
  const info: ObjectInfo = { ...src, key, lastModified: Date.now(), ...(replace ? metadataOf(op) : {}) };
  ctx.store.commit(bucket, tmp, info);
  return xml(200, doc('CopyObjectResult', el('LastModified', new Date(info.lastModified).toISOString()) + el('ETag', info.etag)));
}

function parseRange(h: string | undefined, size: number): { start: number; end: number } | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(h ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end)
    throw new S3Error(
      416,
      'InvalidRange',
      'The requested range is not satisfiable',
      { RangeRequested: String(h), ActualObjectSize: String(size) },
      { 'Content-Range': `bytes */${size}` },
    );
  return { start, end };
}

function getObject(op: Op, bucket: string, key: string, ctx: S3Context, head: boolean): Reply {
  const o = ctx.store.head(bucket, key);
  if (!o) {
    if (head) return reply(404, { 'x-amz-request-id': '0' });
    throw noSuchKey(key);
  }
  const h = op.r.req.headers;
  const etag = unquote(o.etag);
  const modified = Math.floor(o.lastModified / 1000) * 1000;
  if (typeof h['if-match'] === 'string' && unquote(h['if-match']) !== etag && h['if-match'] !== '*') return preconditionFailed(head, 'If-Match');
  if (typeof h['if-unmodified-since'] === 'string' && !h['if-match'] && Date.parse(h['if-unmodified-since']) < modified)
    return preconditionFailed(head, 'If-Unmodified-Since');
  if (typeof h['if-none-match'] === 'string' && (unquote(h['if-none-match']) === etag || h['if-none-match'] === '*'))
    return reply(304, { ETag: o.etag, 'Last-Modified': httpDate(o.lastModified) });
  if (typeof h['if-modified-since'] === 'string' && !h['if-none-match'] && Date.parse(h['if-modified-since']) >= modified)
    return reply(304, { ETag: o.etag, 'Last-Modified': httpDate(o.lastModified) });
  const range = parseRange(typeof h.range === 'string' ? h.range : undefined, o.size);
  const headers: Record<string, string> = {
    'Accept-Ranges': 'bytes',
    'Content-Type': o.contentType,
    ETag: o.etag,
    'Last-Modified': httpDate(o.lastModified),
    ...Object.fromEntries(Object.entries(o.headers).map(([k, v]) => [k, v])),
    ...Object.fromEntries(Object.entries(o.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v])),
    ...(o.parts ? { 'x-amz-mp-parts-count': String(o.parts) } : {}),
  };
  // Full-object checksums only, and only when asked for (the SDK validates what it gets).
  if (!range && h['x-amz-checksum-mode'] === 'ENABLED' && o.checksum?.type === 'FULL_OBJECT') Object.assign(headers, checksumHeaders(o.checksum));
  for (const [param, name] of [
    ['response-content-type', 'Content-Type'],
    ['response-content-disposition', 'content-disposition'],
    ['response-cache-control', 'cache-control'],
    ['response-content-encoding', 'content-encoding'],
    ['response-content-language', 'content-language'],
    ['response-expires', 'expires'],
  ]) {
    const v = op.q.get(param);
    if (v !== null) headers[name] = v;
  }
  const file = ctx.store.dataFile(bucket, key);
  if (range) {
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${o.size}`;
    headers['Content-Length'] = String(range.end - range.start + 1);
    return reply(206, headers, head ? undefined : fs.createReadStream(file, { start: range.start, end: range.end }));
  }
  headers['Content-Length'] = String(o.size);
  return reply(200, headers, head || o.size === 0 ? undefined : fs.createReadStream(file));
}

function preconditionFailed(head: boolean, condition: string): Reply {
  if (head) return reply(412, {});
  throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: condition });
}

async function deleteObjects(op: Op, bucket: string, ctx: S3Context): Promise<Reply> {
  const h = op.r.req.headers;
  const body = await smallBody(op);
  const md5 = h['content-md5'];
  const sum = CHECKSUM_ALGORITHMS.find((a) => typeof h[`x-amz-checksum-${a}`] === 'string');
  if (typeof md5 !== 'string' && !sum) throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: Content-MD5');
  if (typeof md5 === 'string' && md5 !== crypto.createHash('md5').update(body).digest('base64'))
    throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
  if (sum === 'crc32') {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(zlib.crc32(body) >>> 0);
    if (b.toString('base64') !== h['x-amz-checksum-crc32'])
      throw new S3Error(400, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
  }
  const d = parseXmlBody(body, 'Delete');
  const objects = (Array.isArray(d.Object) ? d.Object : []) as Array<Record<string, unknown>>;
  if (objects.length === 0 || objects.length > 1000)
    throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  const quiet = text(d.Quiet) === 'true';
  let out = '';
  for (const o of objects) {
    const key = text(o.Key) ?? '';
    try {
      checkKey(key);
      ctx.store.delete(bucket, key);
      if (!quiet) out += `<Deleted>${el('Key', key)}</Deleted>`;
    } catch (err) {
      const e = err instanceof S3Error ? err : new S3Error(500, 'InternalError', String(err));
      out += `<Error>${el('Key', key)}${el('Code', e.bare ? 'InvalidArgument' : e.code)}${el('Message', e.message)}</Error>`;
    }
  }
  return xml(200, doc('DeleteResult', out));
}

// --- multipart -----------------------------------------------------------------------------

function createUpload(op: Op, bucket: string, key: string, ctx: S3Context): Reply {
  const algorithm = op.r.req.headers['x-amz-checksum-algorithm'];
  const u = ctx.store.createUpload(bucket, { key, ...metadataOf(op), checksumAlgorithm: typeof algorithm === 'string' ? algorithm.toUpperCase() : undefined });
  return xml(
    200,
    doc('InitiateMultipartUploadResult', el('Bucket', bucket) + el('Key', key) + el('UploadId', u.id)),
    u.checksumAlgorithm ? { 'x-amz-checksum-algorithm': u.checksumAlgorithm } : {},
  );
}

async function uploadPart(op: Op, bucket: string, key: string, ctx: S3Context): Promise<Reply> {
  const id = op.q.get('uploadId') ?? '';
  const n = Number(op.q.get('partNumber'));
  if (!Number.isInteger(n) || n < 1 || n > 10000)
    throw new S3Error(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', {
      ArgumentName: 'partNumber',
      ArgumentValue: String(op.q.get('partNumber')),
    });
  const u = ctx.store.upload(bucket, id);
  if (!u || u.info.key !== key) throw noSuchUpload(id);
  if (op.r.req.headers['x-amz-copy-source']) throw notImplemented();
  const got = await receiveBody(op.r.req, ctx.store.tmpFile(), op.payload);
  // The upload may have been aborted while the part was arriving.
  if (!ctx.store.upload(bucket, id)) {
    fs.rmSync(got.file, { force: true });
    throw noSuchUpload(id);
  }
  ctx.store.commitPart(bucket, id, got.file, {
    number: n,
    size: got.size,
    md5: got.md5,
    etag: `"${got.md5}"`,
    checksum: got.checksum,
    lastModified: Date.now(),
  });
  return reply(200, { ETag: `"${got.md5}"`, 'Content-Length': '0', ...checksumHeaders(got.checksum) });
}

async function completeUpload(op: Op, bucket: string, key: string, id: string, ctx: S3Context): Promise<Reply> {
  const u = ctx.store.upload(bucket, id);
  if (!u || u.info.key !== key) throw noSuchUpload(id);
  const body = await smallBody(op);
  const doc0 = parseXmlBody(body, 'CompleteMultipartUpload');
  const listed = ((Array.isArray(doc0.Part) ? doc0.Part : []) as Array<Record<string, unknown>>).map((p) => ({
    n: Number(text(p.PartNumber)),
    etag: unquote(text(p.ETag) ?? ''),
  }));
  if (!listed.length) throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  for (let i = 1; i < listed.length; i++)
    if (listed[i].n <= listed[i - 1].n)
      throw new S3Error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', { UploadId: id });
  const parts = listed.map((l) => {
    const p = u.parts.get(l.n);
    if (!p || unquote(p.etag) !== l.etag)
      throw new S3Error(
        400,
        'InvalidPart',
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        { UploadId: id, PartNumber: String(l.n), ETag: l.etag },
      );
    return p;
  });
  parts.forEach((p, i) => {
    if (i < parts.length - 1 && p.size < MIN_PART)
      throw new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', {
        ProposedSize: String(p.size),
        MinSizeAllowed: String(MIN_PART),
        PartNumber: String(p.number),
        ETag: p.etag,
      });
  });
  const tmp = ctx.store.tmpFile();
  const fd = fs.openSync(tmp, 'w');
  try {
    for (const p of parts) {
      const data = fs.readFileSync(ctx.store.partFile(bucket, id, p.number));
      fs.writeSync(fd, data);
    }
  } finally {
    fs.closeSync(fd);
  }
  const etag = `"${crypto
    .createHash('md5')
    .update(Buffer.concat(parts.map((p) => Buffer.from(p.md5, 'hex'))))
    .digest('hex')}-${parts.length}"`;
  let checksum: Checksum | undefined;
  const algorithm = u.info.checksumAlgorithm;
  if (algorithm === 'CRC32' && parts.every((p) => p.checksum?.algorithm === 'CRC32')) {
    const whole = Buffer.alloc(4);
    whole.writeUInt32BE(zlib.crc32(Buffer.concat(parts.map((p) => Buffer.from(p.checksum!.value, 'base64')))) >>> 0);
    checksum = { algorithm, value: `${whole.toString('base64')}-${parts.length}`, type: 'COMPOSITE' };
  }
  const size = parts.reduce((a, p) => a + p.size, 0);
  ctx.store.commit(bucket, tmp, {
    key,
    size,
    etag,
    lastModified: Date.now(),
    contentType: u.info.contentType,
    metadata: u.info.metadata,
    headers: u.info.headers,
    checksum,
    parts: parts.length,
  });
  ctx.store.dropUpload(bucket, id);
  const location = `http://${op.r.req.headers.host ?? '127.0.0.1'}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  return xml(
    200,
    doc(
      'CompleteMultipartUploadResult',
      el('Location', location) +
        el('Bucket', bucket) +
        el('Key', key) +
        el('ETag', etag) +
        (checksum ? el(`Checksum${checksum.algorithm}`, checksum.value) + el('ChecksumType', checksum.type) : ''),
    ),
  );
}

function listUploads(ctx: S3Context, bucket: string, q: URLSearchParams): string {
  const prefix = q.get('prefix') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  const max = Math.min(1000, Number(q.get('max-uploads') ?? 1000) || 1000);
  const all = ctx.store.uploads(bucket).filter((u) => u.key.startsWith(prefix) && (!keyMarker || u.key > keyMarker));
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  const last = page[page.length - 1];
  const initiator = `<Initiator><ID>${OWNER.id}</ID><DisplayName>${OWNER.name}</DisplayName></Initiator><Owner><ID>${OWNER.id}</ID><DisplayName>${OWNER.name}</DisplayName></Owner>`;
  return doc(
    'ListMultipartUploadsResult',
    el('Bucket', bucket) +
      el('KeyMarker', keyMarker) +
      el('UploadIdMarker', q.get('upload-id-marker') ?? '') +
      (truncated && last ? el('NextKeyMarker', last.key) + el('NextUploadIdMarker', last.id) : '') +
      el('Prefix', prefix) +
      el('MaxUploads', max) +
      el('IsTruncated', truncated) +
      page
        .map(
          (u) =>
            `<Upload>${el('Key', u.key)}${el('UploadId', u.id)}${initiator}<StorageClass>STANDARD</StorageClass>${el('Initiated', new Date(u.initiated).toISOString())}</Upload>`,
        )
        .join(''),
  );
}

function listParts(ctx: S3Context, bucket: string, key: string, id: string, q: URLSearchParams): Reply {
  const u = ctx.store.upload(bucket, id);
  if (!u || u.info.key !== key) throw noSuchUpload(id);
  const marker = Number(q.get('part-number-marker') ?? 0) || 0;
  const max = Math.min(1000, Number(q.get('max-parts') ?? 1000) || 1000);
  const all = [...u.parts.values()].filter((p) => p.number > marker).sort((a, b) => a.number - b.number);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  return xml(
    200,
    doc(
      'ListPartsResult',
      el('Bucket', bucket) +
        el('Key', key) +
        el('UploadId', id) +
        el('PartNumberMarker', marker) +
        (truncated ? el('NextPartNumberMarker', page[page.length - 1].number) : '') +
        el('MaxParts', max) +
        el('IsTruncated', truncated) +
        page
          .map(
            (p) =>
              `<Part>${el('PartNumber', p.number)}${el('LastModified', new Date(p.lastModified).toISOString())}${el('ETag', p.etag)}${el('Size', p.size)}</Part>`,
          )
          .join(''),
    ),
  );
}
