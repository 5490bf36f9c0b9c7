// The S3 operations the explorer needs, on the cached clients. No editor API: the tree, the
// commands, the tests and the benchmarks all use this.
import {
  _Object,
  CommonPrefix,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { AwsClients } from '../clients';

export interface BucketInfo {
  name: string;
  region?: string;
  created?: Date;
}

export interface ObjectInfo {
  key: string;
  size?: number;
  lastModified?: Date;
  etag?: string;
  storageClass?: string;
}

export interface ListPage<T> {
  items: T[];
  nextToken?: string;
}

export interface LevelPage {
  prefixes: string[];
  objects: ObjectInfo[];
  nextToken?: string;
}

const DELETE_BATCH = 1000;

function toObject(o: _Object): ObjectInfo {
  return { key: o.Key ?? '', size: o.Size, lastModified: o.LastModified, etag: o.ETag, storageClass: o.StorageClass };
}

export class S3Service {
  constructor(readonly clients: AwsClients) {}

  private bucketClient(bucket: string): Promise<S3Client> {
    return this.clients.forBucket(bucket);
  }

  /** One page of buckets (paged ListBuckets, as AWS recommends). */
  async listBuckets(token?: string, pageSize = 1000, signal?: AbortSignal): Promise<ListPage<BucketInfo>> {
    const out = await this.clients.client().send(new ListBucketsCommand({ MaxBuckets: pageSize, ContinuationToken: token }), { abortSignal: signal });
    const items = (out.Buckets ?? []).map((b) => ({ name: b.Name ?? '', region: b.BucketRegion, created: b.CreationDate }));
    for (const b of items) this.clients.rememberRegion(b.name, b.region);
    return { items, nextToken: out.ContinuationToken || undefined };
  }

  /** One page of one level below `prefix`: sub-prefixes and objects (Delimiter '/'). */
  async listLevel(bucket: string, prefix: string, token?: string, pageSize = 1000, signal?: AbortSignal): Promise<LevelPage> {
    const client = await this.bucketClient(bucket);
    const out = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, Delimiter: '/', MaxKeys: pageSize, ContinuationToken: token }),
      { abortSignal: signal },
    );
    return {
      prefixes: (out.CommonPrefixes ?? []).map((p: CommonPrefix) => p.Prefix ?? '').filter((p) => p !== ''),
      // A folder marker (the prefix itself, "a/") is not shown as its own child.
      objects: (out.Contents ?? []).filter((o) => o.Key !== prefix).map(toObject),
      nextToken: out.IsTruncated ? out.NextContinuationToken : undefined,
    };
  }

  /** Every key under `prefix` (no delimiter), page by page. */
  async *listAll(bucket: string, prefix: string, signal?: AbortSignal, pageSize = 1000): AsyncGenerator<ObjectInfo[]> {
    const client = await this.bucketClient(bucket);
    let token: string | undefined;
    do {
      const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, MaxKeys: pageSize, ContinuationToken: token }), {
        abortSignal: signal,
      });
      yield (out.Contents ?? []).map(toObject);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  async countKeys(bucket: string, prefix: string, signal?: AbortSignal): Promise<number> {
    let n = 0;
    for await (const page of this.listAll(bucket, prefix, signal)) n += page.length;
    return n;
  }

  async head(bucket: string, key: string, signal?: AbortSignal): Promise<ObjectInfo> {
    const client = await this.bucketClient(bucket);
    const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    return { key, size: out.ContentLength, lastModified: out.LastModified, etag: out.ETag };
  }

  /** The object's body as a Node stream (optionally a byte range, inclusive end). */
  async getStream(bucket: string, key: string, range?: { start: number; end?: number }, signal?: AbortSignal): Promise<{ body: Readable; size?: number }> {
    const client = await this.bucketClient(bucket);
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined }), {
      abortSignal: signal,
    });
    if (!out.Body) throw new Error(`s3://${bucket}/${key} has no body`);
    return { body: out.Body as Readable, size: out.ContentLength };
  }

  async getBytes(bucket: string, key: string, range?: { start: number; end?: number }, signal?: AbortSignal): Promise<Uint8Array> {
    const client = await this.bucketClient(bucket);
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined }), {
      abortSignal: signal,
    });
    if (!out.Body) return new Uint8Array();
    return out.Body.transformToByteArray();
  }

  async putBytes(bucket: string, key: string, body: Uint8Array | string, contentType?: string): Promise<void> {
    const client = await this.bucketClient(bucket);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  }

  /** An empty "folder/" marker object, so that the prefix shows before anything is in it. */
  async createFolder(bucket: string, prefix: string): Promise<void> {
    await this.putBytes(bucket, prefix.endsWith('/') ? prefix : `${prefix}/`, '');
  }

  /** Deletes keys in batches of 1000; returns how many were deleted and the failures. */
  async deleteKeys(
    bucket: string,
    keys: string[],
    onProgress?: (done: number) => void,
    signal?: AbortSignal,
  ): Promise<{ deleted: number; errors: Array<{ key: string; message: string }> }> {
    const client = await this.bucketClient(bucket);
    let deleted = 0;
    const errors: Array<{ key: string; message: string }> = [];
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      if (signal?.aborted) break;
      const batch = keys.slice(i, i + DELETE_BATCH);
      const out = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }), {
        abortSignal: signal,
      });
      for (const e of out.Errors ?? []) errors.push({ key: e.Key ?? '', message: `${e.Code ?? ''} ${e.Message ?? ''}`.trim() });
      deleted += batch.length - (out.Errors?.length ?? 0);
      onProgress?.(deleted);
    }
    return { deleted, errors };
  }

  /** Every key under a prefix (or just the key), for delete and download. */
  async keysUnder(bucket: string, keyOrPrefix: string, signal?: AbortSignal): Promise<ObjectInfo[]> {
    if (keyOrPrefix && !keyOrPrefix.endsWith('/')) return [await this.head(bucket, keyOrPrefix, signal)];
    const all: ObjectInfo[] = [];
    for await (const page of this.listAll(bucket, keyOrPrefix, signal)) all.push(...page);
    return all;
  }

  async presignGet(bucket: string, key: string, expiresIn: number): Promise<string> {
    const client = await this.bucketClient(bucket);
    return getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn });
  }
}
