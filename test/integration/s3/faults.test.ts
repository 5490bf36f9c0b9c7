// S3 answers that the stand-in never gives on its own — throttling, access denied, internal errors —
// injected into the stand-in over HTTP (/__admin/faults) and met by Ferry's S3 service through the
// real SDK: retried when S3 says to retry, reported clearly when it does not, never hammered.
import assert from 'node:assert/strict';
import { classifyError } from '../../../src/core/errors';
import { adminCall, S3Endpoint, s3StandIn, uniqueSuffix } from '../standIns';
import { createBucket, serviceFor } from './helpers';

interface RequestRecord {
  operation: string;
  bucket?: string;
  key?: string;
  status?: number;
}

describe('S3 faults: throttling, access denied and server errors', function () {
  this.timeout(60_000);
  let standIn: S3Endpoint;
  const bucket = `ferry-faults-${uniqueSuffix()}`;

  const admin = <T = unknown>(method: string, p: string, body?: unknown) => adminCall<T>(`${standIn.endpoint}/__admin`, standIn.adminToken, method, p, body);
  async function inject(fault: Record<string, unknown>): Promise<void> {
    await admin('POST', 'faults', fault);
  }
  async function requests(operation: string): Promise<RequestRecord[]> {
    const body = await admin<{ requests: RequestRecord[] }>('GET', 'requests');
    return body.requests.filter((r) => r.operation === operation && r.bucket === bucket);
  }

  before(async () => {
    standIn = await s3StandIn();
    const s3 = serviceFor(standIn.endpoint);
    await createBucket(s3.clients.client(), bucket);
    await s3.putBytes(bucket, 'data/a.csv', 'x,y\n1,2\n');
  });
  beforeEach(async () => {
    await admin('DELETE', 'faults');
    await admin('DELETE', 'requests');
  });
  after(async () => {
    if (standIn) await admin('DELETE', 'faults').catch(() => undefined);
    await standIn?.stop();
  });

  it('retries a listing that S3 throttles twice (503 SlowDown) and lists it', async () => {
    await inject({ operation: 'ListObjectsV2', bucket, status: 503, code: 'SlowDown', count: 2 });
    const page = await serviceFor(standIn.endpoint).listLevel(bucket, '');
    assert.deepEqual(page.prefixes, ['data/']);
    const seen = await requests('ListObjectsV2');
    assert.deepEqual(
      seen.map((r) => r.status),
      [503, 503, 200],
      'two throttled attempts, then the one that listed',
    );
  });

  it('gives up on a listing that stays throttled after a few attempts, with a clear message', async () => {
    await inject({ operation: 'ListObjectsV2', bucket, status: 503, code: 'SlowDown', count: 0 });
    const err = await serviceFor(standIn.endpoint)
      .listLevel(bucket, '')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(err, 'the listing succeeded while S3 throttled every request');
    const classified = classifyError(err);
    assert.equal(classified.kind, 'throttled', classified.message);
    assert.match(classified.message, /throttling requests; try again shortly/);
    const attempts = (await requests('ListObjectsV2')).length;
    console.log(`      attempts while throttled: ${attempts}`);
    assert.ok(attempts >= 2 && attempts <= 5, `${attempts} attempts: retried, but not without end`);
  });

  it('reports access denied at once, naming it, without retrying', async () => {
    await inject({ operation: 'ListObjectsV2', bucket, status: 403, code: 'AccessDenied', count: 0 });
    const err = await serviceFor(standIn.endpoint)
      .listLevel(bucket, 'data/')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.equal((err as { name?: string } | undefined)?.name, 'AccessDenied', "the SDK reads the stand-in's S3 error body");
    const classified = classifyError(err);
    assert.equal(classified.kind, 'forbidden');
    assert.match(classified.message, /^Access denied: Access Denied/);
    assert.ok(
      classified.actions.some((a) => a.command === 'ferry.aws.selectProfile'),
      'offers to choose another profile',
    );
    assert.equal((await requests('ListObjectsV2')).length, 1, 'a 403 is not retried');
  });

  it('retries a download that fails once with 500 InternalError and returns the bytes', async () => {
    await inject({ operation: 'GetObject', bucket, status: 500, code: 'InternalError', count: 1 });
    const bytes = await serviceFor(standIn.endpoint).getBytes(bucket, 'data/a.csv');
    assert.equal(Buffer.from(bytes).toString('utf8'), 'x,y\n1,2\n');
    assert.deepEqual(
      (await requests('GetObject')).map((r) => r.status),
      [500, 200],
    );
  });

  it('reports an expired session token as a credentials problem with a way to choose a profile', async () => {
    // What S3 answers to requests signed with temporary credentials that have run out (SSO, roles).
    await inject({ operation: 'ListObjectsV2', bucket, status: 400, code: 'ExpiredToken', message: 'The provided token has expired.', count: 0 });
    const err = await serviceFor(standIn.endpoint)
      .listLevel(bucket, '')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const classified = classifyError(err);
    assert.equal(classified.kind, 'auth', classified.message);
    assert.match(classified.message, /AWS rejected the credentials \(ExpiredToken\): The provided token has expired/);
    assert.ok(classified.actions.some((a) => a.command === 'ferry.aws.selectProfile'));
    assert.equal((await requests('ListObjectsV2')).length, 1, 'an expired token is not retried');
  });

  it('reports an endpoint where nothing listens as a network problem that names the setting to check', async () => {
    // A port that was just free: nothing listens there.
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const err = await serviceFor(`http://127.0.0.1:${port}`)
      .listBuckets()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(err, 'listing an endpoint where nothing listens succeeded');
    const classified = classifyError(err);
    assert.equal(classified.kind, 'network', classified.message);
    assert.match(classified.message, /ECONNREFUSED.*Check the host or endpoint setting/);
  });

  it('applies a fault to its bucket only', async () => {
    await inject({ operation: 'ListObjectsV2', bucket: `${bucket}-other`, status: 403, code: 'AccessDenied', count: 0 });
    const page = await serviceFor(standIn.endpoint).listLevel(bucket, '');
    assert.deepEqual(page.prefixes, ['data/']);
  });
});
