// The S3 stand-in's own key store. Keys never become file paths: each object's bytes live in a file
// named by the SHA-256 of its key, beside a JSON file that holds the key verbatim and its metadata,
// so any key S3 takes (1,024 bytes, `//`, `..`, control characters) is stored and listed exactly.
// The index of keys is kept in memory in UTF-8 byte order (S3's listing order) and rebuilt from
// the JSON files at start, so buckets survive a restart of the stand-in.
//   <root>/buckets/<bucket>/bucket.json
//   <root>/buckets/<bucket>/objects/<sha256(key)>{.data,.json}
//   <root>/buckets/<bucket>/uploads/<uploadId>/{upload.json,<part>.data,<part>.json}
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { compareKeys } from './keys';

export interface Checksum {
  algorithm: string;
  /** Base64, as S3 sends it. */
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface ObjectInfo {
  key: string;
  size: number;
  /** Quoted, as S3 sends it. */
  etag: string;
  lastModified: number;
  contentType: string;
  /** x-amz-meta-* without the prefix. */
  metadata: Record<string, string>;
  /** Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires as given. */
  headers: Record<string, string>;
  checksum?: Checksum;
  /** Set for objects made by CompleteMultipartUpload. */
  parts?: number;
}

export interface UploadInfo {
  id: string;
  key: string;
  initiated: number;
  contentType: string;
  metadata: Record<string, string>;
  headers: Record<string, string>;
  checksumAlgorithm?: string;
}

export interface PartInfo {
  number: number;
  size: number;
  etag: string;
  md5: string;
  checksum?: Checksum;
  lastModified: number;
}

export interface BucketInfo {
  name: string;
  created: number;
  region: string;
}

interface Bucket {
  info: BucketInfo;
  objects: Map<string, ObjectInfo>;
  sorted: string[];
  uploads: Map<string, { info: UploadInfo; parts: Map<number, PartInfo> }>;
}

export interface ListOptions {
  prefix: string;
  delimiter?: string;
  /** List only keys (and prefixes) after this one. */
  after?: string;
  maxKeys: number;
}

export interface ListResult {
  contents: ObjectInfo[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  last?: string;
}

const idOf = (key: string): string => crypto.createHash('sha256').update(key, 'utf8').digest('hex');

function writeFileAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

export class ObjectStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly root: string;

  constructor(root: string) {
    this.root = path.join(root, 'buckets');
    fs.mkdirSync(this.root, { recursive: true });
    fs.mkdirSync(this.tmpDir(), { recursive: true });
    for (const name of fs.readdirSync(this.root)) {
      const file = path.join(this.root, name, 'bucket.json');
      if (fs.existsSync(file)) this.load(JSON.parse(fs.readFileSync(file, 'utf8')) as BucketInfo);
    }
  }

  private load(info: BucketInfo): void {
    const b: Bucket = { info, objects: new Map(), sorted: [], uploads: new Map() };
    const objects = path.join(this.root, info.name, 'objects');
    for (const f of fs.existsSync(objects) ? fs.readdirSync(objects) : []) {
      if (!f.endsWith('.json')) continue;
      try {
        const o = JSON.parse(fs.readFileSync(path.join(objects, f), 'utf8')) as ObjectInfo;
        if (fs.existsSync(path.join(objects, `${idOf(o.key)}.data`))) b.objects.set(o.key, o);
      } catch {
        // A half-written record from a crash: the object was never acknowledged.
      }
    }
    b.sorted = [...b.objects.keys()].sort(compareKeys);
    const uploads = path.join(this.root, info.name, 'uploads');
    for (const id of fs.existsSync(uploads) ? fs.readdirSync(uploads) : []) {
      try {
        const u = JSON.parse(fs.readFileSync(path.join(uploads, id, 'upload.json'), 'utf8')) as UploadInfo;
        const parts = new Map<number, PartInfo>();
        for (const f of fs.readdirSync(path.join(uploads, id)).filter((n) => /^\d+\.json$/.test(n))) {
          const p = JSON.parse(fs.readFileSync(path.join(uploads, id, f), 'utf8')) as PartInfo;
          parts.set(p.number, p);
        }
        b.uploads.set(u.id, { info: u, parts });
      } catch {
        // As above.
      }
    }
    this.buckets.set(info.name, b);
  }

  /** A folder for bodies being received; a temp file is renamed into place once it is checked. */
  tmpDir(): string {
    return path.join(this.root, '..', 'incoming');
  }

  tmpFile(): string {
    return path.join(this.tmpDir(), crypto.randomBytes(12).toString('hex'));
  }

  listBuckets(): BucketInfo[] {
    return [...this.buckets.values()].map((b) => b.info).sort((a, b) => compareKeys(a.name, b.name));
  }

  bucket(name: string): BucketInfo | undefined {
    return this.buckets.get(name)?.info;
  }

  createBucket(name: string, region: string): BucketInfo {
    const info: BucketInfo = { name, created: Date.now(), region };
    fs.mkdirSync(path.join(this.root, name, 'objects'), { recursive: true });
    fs.mkdirSync(path.join(this.root, name, 'uploads'), { recursive: true });
    writeFileAtomic(path.join(this.root, name, 'bucket.json'), JSON.stringify(info));
    this.buckets.set(name, { info, objects: new Map(), sorted: [], uploads: new Map() });
    return info;
  }

  /** Moves a bucket to another region (tests: POST /__admin/bucket-regions). */
  setRegion(name: string, region: string): void {
    const b = this.must(name);
    b.info = { ...b.info, region };
    writeFileAtomic(path.join(this.root, name, 'bucket.json'), JSON.stringify(b.info));
  }

  isEmpty(name: string): boolean {
    const b = this.buckets.get(name);
    return !b || (b.objects.size === 0 && b.uploads.size === 0);
  }

  deleteBucket(name: string): void {
    this.buckets.delete(name);
    fs.rmSync(path.join(this.root, name), { recursive: true, force: true });
  }

  private must(bucket: string): Bucket {
    const b = this.buckets.get(bucket);
    if (!b) throw new Error(`no bucket ${bucket}`);
    return b;
  }

  head(bucket: string, key: string): ObjectInfo | undefined {
    return this.buckets.get(bucket)?.objects.get(key);
  }

  dataFile(bucket: string, key: string): string {
    return path.join(this.root, bucket, 'objects', `${idOf(key)}.data`);
  }

  /** Moves a received temp file into place as the object's bytes. */
  commit(bucket: string, tmp: string, info: ObjectInfo): void {
    const b = this.must(bucket);
    const base = path.join(this.root, bucket, 'objects', idOf(info.key));
    fs.renameSync(tmp, `${base}.data`);
    writeFileAtomic(`${base}.json`, JSON.stringify(info));
    if (!b.objects.has(info.key)) insertSorted(b.sorted, info.key);
    b.objects.set(info.key, info);
  }

  delete(bucket: string, key: string): boolean {
    const b = this.buckets.get(bucket);
    if (!b || !b.objects.has(key)) return false;
    const base = path.join(this.root, bucket, 'objects', idOf(key));
    fs.rmSync(`${base}.json`, { force: true });
    fs.rmSync(`${base}.data`, { force: true });
    b.objects.delete(key);
    const i = lowerBound(b.sorted, key);
    if (b.sorted[i] === key) b.sorted.splice(i, 1);
    return true;
  }

  list(bucket: string, o: ListOptions): ListResult {
    const b = this.must(bucket);
    const out: ListResult = { contents: [], prefixes: [], truncated: false };
    let i = lowerBound(b.sorted, o.after !== undefined && compareKeys(o.after, o.prefix) > 0 ? o.after : o.prefix);
    // A page that ended on a common prefix goes on after every key under it.
    const skipUnder = o.after !== undefined && o.delimiter && o.after.endsWith(o.delimiter) ? o.after : undefined;
    let count = 0;
    for (; i < b.sorted.length; i++) {
      const key = b.sorted[i];
      if (!key.startsWith(o.prefix)) {
        if (compareKeys(key, o.prefix) > 0) break;
        continue;
      }
      if (o.after !== undefined && compareKeys(key, o.after) <= 0) continue;
      if (skipUnder && key.startsWith(skipUnder)) continue;
      let common: string | undefined;
      if (o.delimiter) {
        const at = key.indexOf(o.delimiter, o.prefix.length);
        if (at >= 0) common = key.slice(0, at + o.delimiter.length);
      }
      if (common !== undefined && out.prefixes[out.prefixes.length - 1] === common) continue;
      if (count >= o.maxKeys) {
        out.truncated = true;
        break;
      }
      if (common !== undefined) out.prefixes.push(common);
      else out.contents.push(b.objects.get(key)!);
      out.last = common ?? key;
      count++;
    }
    return out;
  }

  // --- multipart uploads ---------------------------------------------------------------------

  createUpload(bucket: string, u: Omit<UploadInfo, 'id' | 'initiated'>): UploadInfo {
    const b = this.must(bucket);
    const info: UploadInfo = { ...u, id: crypto.randomBytes(24).toString('base64url'), initiated: Date.now() };
    const dir = path.join(this.root, bucket, 'uploads', info.id);
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic(path.join(dir, 'upload.json'), JSON.stringify(info));
    b.uploads.set(info.id, { info, parts: new Map() });
    return info;
  }

  upload(bucket: string, id: string): { info: UploadInfo; parts: Map<number, PartInfo> } | undefined {
    return this.buckets.get(bucket)?.uploads.get(id);
  }

  uploads(bucket: string): UploadInfo[] {
    return [...(this.buckets.get(bucket)?.uploads.values() ?? [])].map((u) => u.info).sort((a, b) => compareKeys(a.key, b.key) || a.initiated - b.initiated);
  }

  partFile(bucket: string, id: string, n: number): string {
    return path.join(this.root, bucket, 'uploads', id, `${n}.data`);
  }

  commitPart(bucket: string, id: string, tmp: string, part: PartInfo): void {
    const u = this.upload(bucket, id);
    if (!u) throw new Error(`no upload ${id}`);
    fs.renameSync(tmp, this.partFile(bucket, id, part.number));
    writeFileAtomic(path.join(this.root, bucket, 'uploads', id, `${part.number}.json`), JSON.stringify(part));
    u.parts.set(part.number, part);
  }

  dropUpload(bucket: string, id: string): boolean {
    const b = this.buckets.get(bucket);
    if (!b?.uploads.has(id)) return false;
    b.uploads.delete(id);
    fs.rmSync(path.join(this.root, bucket, 'uploads', id), { recursive: true, force: true });
    return true;
  }
}

function lowerBound(sorted: string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(sorted[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(sorted: string[], key: string): void {
  sorted.splice(lowerBound(sorted, key), 0, key);
}
