// Every Ferry client through a real proxy (Debian's tinyproxy) to TLS fronts with a throwaway CA
// before the stand-ins: Databricks REST, the OAuth token exchange, S3 list/get/put, an Athena
// query (GetQueryResults and the result object read from S3), and a presigned URL. For each: the
// proxy's log shows the CONNECT, the connection fails with a plain sentence while the CA is
// unknown, and works once ferry.network.caFile or NODE_EXTRA_CA_CERTS names it. Then basic
// authentication (none, wrong, right), a proxy that refuses connections, http.noProxy, and an
// http:// endpoint forwarded by the proxy.
import assert from 'node:assert/strict';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { AwsConnection, AwsConnectionSource } from '../../../src/aws/connection';
import { AwsClients } from '../../../src/aws/clients';
import { AthenaService } from '../../../src/aws/athena/service';
import { S3Service } from '../../../src/aws/s3/s3Service';
import { classifyError } from '../../../src/core/errors';
import { fetchUrl, NetworkProfile, staticNetwork } from '../../../src/core/network';
import { DatabricksClient } from '../../../src/databricks/client';
import { authorizeUrl, createPkce, discover, exchangeCode, refreshTokens } from '../../../src/databricks/oauth';
import { currentUser } from '../../../src/databricks/workspace';
import { fillSignInForm } from '../databricks-standin/signInForm';
import { AthenaEndpoint, athenaStandIn, DatabricksEndpoint, databricksStandIn, S3Endpoint, s3StandIn, uniqueSuffix } from '../standIns';
import { authProxy, hostPort, openProxy, Pki, pki, profile, PROXY_USER, ProxyHandle } from './fixture';

const UNTRUSTED = /signed by an authority this machine does not trust: set ferry\.network\.caFile/;
const BARE_CODE = /^(UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN|ECONNREFUSED)/;

/** The message a user sees for a failure (the one error wrapper's words). */
async function userMessage(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const message = classifyError(err).message;
    assert.doesNotMatch(message, BARE_CODE, `a bare code reached the user: ${message}`);
    return message;
  }
  assert.fail('the request went through, but it should have failed');
}

describe('every client through a real proxy, with a corporate CA', function () {
  this.timeout(180_000);
  let proxy: ProxyHandle;
  let certs: Pki;
  let s3: S3Endpoint;
  let athena: AthenaEndpoint;
  let db: DatabricksEndpoint;
  let s3Front: string;
  let athenaFront: string;
  let dbFront: string;
  const bucket = `ferry-proxy-${uniqueSuffix()}`;
  const results = `ferry-proxy-results-${uniqueSuffix()}`;

  before(async () => {
    [proxy, s3, db] = await Promise.all([openProxy(), s3StandIn(), databricksStandIn()]);
    athena = await athenaStandIn(s3);
    certs = pki();
    s3Front = (await certs.front(s3.endpoint)).url;
    athenaFront = (await certs.front(athena.endpoint)).url;
    dbFront = (await certs.front(db.url)).url;
  });
  after(async () => {
    await certs?.stop();
    await Promise.all([proxy?.stop(), db?.stop()]);
    await athena?.stop();
    await s3?.stop();
  });

  /** The proxy saw a CONNECT to `url`'s host:port since `before` (a count taken earlier). */
  const tunnelled = (url: string, before: number): void => {
    const seen = proxy.connects().filter((c) => c === hostPort(url)).length;
    assert.ok(seen > before, `the proxy's log shows no new CONNECT ${hostPort(url)} (it shows: ${proxy.connects().slice(-5).join(', ') || 'none'})`);
  };
  const connectsTo = (url: string): number => proxy.connects().filter((c) => c === hostPort(url)).length;

  const awsClients = (net: NetworkProfile): AwsClients => {
    const conn: AwsConnection = {
      region: 'us-east-1',
      credentials: async () => ({ accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }),
      s3Endpoint: s3Front,
      athenaEndpoint: athenaFront,
    };
    const source: AwsConnectionSource = { current: () => conn, onDidChange: () => ({ dispose() {} }) };
    return new AwsClients(source, { checksum: 'WHEN_REQUIRED', forcePathStyle: true }, staticNetwork(net));
  };

  describe('Databricks REST', () => {
    const call = (net: NetworkProfile) =>
      currentUser(new DatabricksClient({ host: dbFront, token: db.token, ...net.createAgents(), retry: { maxAttempts: 1 } }));

    it('fails in plain words while the CA is unknown, and goes through the proxy', async () => {
      const before = connectsTo(dbFront);
      const message = await userMessage(call(profile({ proxy: proxy.url })));
      assert.match(message, UNTRUSTED);
      assert.match(message, new RegExp(dbFront.replace(/[.:/]/g, '\\$&')), 'the message names the workspace');
      tunnelled(dbFront, before);
    });

    it('works with ferry.network.caFile, and with NODE_EXTRA_CA_CERTS', async () => {
      let before = connectsTo(dbFront);
      assert.ok((await call(profile({ proxy: proxy.url, caFile: certs.caFile }))).userName);
      tunnelled(dbFront, before);
      before = connectsTo(dbFront);
      assert.ok((await call(profile({ proxy: proxy.url }, { NODE_EXTRA_CA_CERTS: certs.caFile }))).userName);
      tunnelled(dbFront, before);
    });
  });

  describe('OAuth token exchange', () => {
    /** What the browser does (not Ferry): sign in on the authorize page, which answers with a code. */
    const codeFor = async (pkce: ReturnType<typeof createPkce>, redirectUri: string): Promise<string> => {
      const url = authorizeUrl({ authorizationEndpoint: `${db.url}/oidc/v1/authorize`, tokenEndpoint: '' }, pkce, redirectUri);
      const r = await fillSignInForm(url, db.signInPassword);
      assert.equal(r.status, 302, await r.text());
      return new URL(r.headers.get('location') ?? '').searchParams.get('code') ?? '';
    };

    it('discovery and the code exchange fail clearly without the CA, then exchange and refresh through the proxy', async () => {
      const redirectUri = 'http://localhost:8020';
      const tokenEndpoint = `${dbFront}/oidc/v1/token`;
      const pkce = createPkce();
      const code = await codeFor(pkce, redirectUri);
      const bare = profile({ proxy: proxy.url });
      assert.match(await userMessage(discover(dbFront, undefined, bare.createAgents())), UNTRUSTED);
      assert.match(await userMessage(exchangeCode(tokenEndpoint, code, pkce.verifier, redirectUri, undefined, bare.createAgents())), UNTRUSTED);

      const trusted = profile({ proxy: proxy.url, caFile: certs.caFile });
      const before = connectsTo(dbFront);
      const endpoints = await discover(dbFront, undefined, trusted.createAgents());
      assert.match(endpoints.tokenEndpoint, /\/oidc\/v1\/token$/);
      const tokens = await exchangeCode(tokenEndpoint, code, pkce.verifier, redirectUri, undefined, trusted.createAgents());
      assert.ok(tokens.accessToken && tokens.refreshToken);
      const renewed = await refreshTokens({ ...tokens, tokenEndpoint }, undefined, trusted.createAgents());
      assert.notEqual(renewed.accessToken, tokens.accessToken);
      tunnelled(dbFront, before);
      assert.ok(connectsTo(dbFront) - before >= 3, 'discovery, exchange and refresh each went through the proxy');
    });
  });

  describe('S3', () => {
    it('list, put and get fail clearly without the CA, and work through the proxy with it', async () => {
      const bare = awsClients(profile({ proxy: proxy.url }));
      const before = connectsTo(s3Front);
      assert.match(await userMessage(new S3Service(bare).listBuckets()), UNTRUSTED);
      tunnelled(s3Front, before);
      bare.dispose();

      const clients = awsClients(profile({ proxy: proxy.url, caFile: certs.caFile }));
      const svc = new S3Service(clients);
      const after = connectsTo(s3Front);
      await clients.client().send(new CreateBucketCommand({ Bucket: bucket }));
      await svc.putBytes(bucket, 'dir/hello.txt', 'hello through the proxy');
      const level = await svc.listLevel(bucket, 'dir/');
      assert.deepEqual(
        level.objects.map((o) => o.key),
        ['dir/hello.txt'],
      );
      assert.equal(Buffer.from(await svc.getBytes(bucket, 'dir/hello.txt')).toString('utf8'), 'hello through the proxy');
      assert.ok((await svc.listBuckets()).items.some((b) => b.name === bucket));
      tunnelled(s3Front, after);
      clients.dispose();
    });

    it('a presigned URL is fetched through the proxy, and fails clearly without the CA', async () => {
      const clients = awsClients(profile({ proxy: proxy.url, caFile: certs.caFile }));
      const svc = new S3Service(clients);
      await svc.putBytes(bucket, 'presigned.csv', 'a,b\n1,2\n');
      const url = await svc.presignGet(bucket, 'presigned.csv', 300);
      assert.ok(url.startsWith(`${s3Front}/`), url);
      const before = connectsTo(s3Front);
      const got = await fetchUrl(url, profile({ proxy: proxy.url, caFile: certs.caFile }).createAgents());
      assert.equal(got.body.toString('utf8'), 'a,b\n1,2\n');
      tunnelled(s3Front, before);
      const message = await userMessage(fetchUrl(url, profile({ proxy: proxy.url }).createAgents()));
      assert.match(message, UNTRUSTED);
      assert.doesNotMatch(message, /X-Amz-Signature=[0-9a-f]/i, 'the signature never reaches a message');
      clients.dispose();
    });
  });

  describe('Athena', () => {
    it('a query (GetQueryResults and the result object from S3) goes through the proxy, and fails clearly without the CA', async () => {
      const settings = () => ({ workGroup: 'primary', outputLocation: `s3://${results}/out/`, catalog: 'AwsDataCatalog' });
      const bare = awsClients(profile({ proxy: proxy.url }));
      assert.match(
        await userMessage(new AthenaService(() => ({ athena: bare.athena(), s3: (b) => bare.forBucket(b) }), settings).run('SELECT 1 AS one')),
        UNTRUSTED,
      );
      bare.dispose();

      // Counted before the client's first request: later ones reuse its keep-alive tunnel.
      const beforeAthena = connectsTo(athenaFront);
      const beforeS3 = connectsTo(s3Front);
      const clients = awsClients(profile({ proxy: proxy.url, caFile: certs.caFile }));
      await clients.client().send(new CreateBucketCommand({ Bucket: results }));
      const svc = new AthenaService(() => ({ athena: clients.athena(), s3: (b) => clients.forBucket(b) }), settings);
      const q = await svc.run('SELECT i AS n FROM range(2500) t(i)', { pollMs: { first: 20, max: 100 } });
      const rows = svc.rows(q);
      await rows.open();
      assert.deepEqual(await rows.getRows(0, 2), [[0], [1]]);
      let all = 0;
      for await (const batch of rows.allRows!()) all += batch.length;
      assert.equal(all, 2500);
      tunnelled(athenaFront, beforeAthena);
      tunnelled(s3Front, beforeS3);
      clients.dispose();
    });
  });

  describe('the proxy itself', () => {
    let auth: ProxyHandle;
    before(async () => (auth = await authProxy()));
    after(async () => auth?.stop());
    const via = (proxyUrl: string) =>
      currentUser(
        new DatabricksClient({
          host: dbFront,
          token: db.token,
          ...profile({ proxy: proxyUrl, caFile: certs.caFile }).createAgents(),
          retry: { maxAttempts: 1 },
        }),
      );

    it('basic authentication: none and a wrong password say so (407); the right one goes through', async () => {
      assert.match(await userMessage(via(auth.url)), /the proxy needs a user name and password \(407\)/);
      const wrong = new URL(auth.url);
      wrong.username = PROXY_USER;
      wrong.password = 'not-the-password';
      const message = await userMessage(via(wrong.href));
      // Squid answers 407 to wrong credentials; tinyproxy 1.11 answers 401.
      assert.match(message, /the proxy did not accept the user name and password \(40[17]\)/);
      assert.doesNotMatch(message, /not-the-password/, 'the password is never shown');
      const s3Message = await userMessage(new S3Service(awsClients(profile({ proxy: wrong.href, caFile: certs.caFile }))).listBuckets());
      assert.match(s3Message, /did not accept the user name and password \(40[17]\)/, s3Message);
      assert.ok((await via(auth.authUrl!)).userName);
      assert.ok(auth.connects().includes(hostPort(dbFront)), 'the authenticated tunnel is in the log');
    });

    it('a proxy that is not running: "the proxy refused the connection"', async () => {
      const closed = 'http://127.0.0.1:9';
      assert.match(await userMessage(via(closed)), /the proxy refused the connection/);
      assert.match(
        await userMessage(new S3Service(awsClients(profile({ proxy: closed, caFile: certs.caFile }))).listBuckets()),
        /the proxy refused the connection/,
      );
    });

    it('http.noProxy sends a host direct; NO_PROXY does when http.noProxy is empty', async () => {
      const before = connectsTo(dbFront);
      assert.ok(
        (
          await currentUser(
            new DatabricksClient({
              host: dbFront,
              token: db.token,
              ...profile({ proxy: proxy.url, caFile: certs.caFile, noProxy: ['127.0.0.1'] }).createAgents(),
            }),
          )
        ).userName,
      );
      assert.ok(
        (
          await currentUser(
            new DatabricksClient({
              host: dbFront,
              token: db.token,
              ...profile({ caFile: certs.caFile }, { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }).createAgents(),
            }),
          )
        ).userName,
      );
      assert.equal(connectsTo(dbFront), before, 'no CONNECT for a no-proxy host');
      // HTTPS_PROXY alone is used.
      assert.ok(
        (
          await currentUser(
            new DatabricksClient({ host: dbFront, token: db.token, ...profile({ caFile: certs.caFile }, { HTTPS_PROXY: proxy.url }).createAgents() }),
          )
        ).userName,
      );
      tunnelled(dbFront, before);
    });

    it('an http:// endpoint is forwarded by the proxy (absolute-URI requests, no CONNECT)', async () => {
      const conn: AwsConnection = {
        region: 'us-east-1',
        credentials: async () => ({ accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }),
        s3Endpoint: s3.endpoint,
      };
      const clients = new AwsClients(
        { current: () => conn, onDidChange: () => ({ dispose() {} }) },
        { checksum: 'WHEN_REQUIRED', forcePathStyle: true },
        staticNetwork(profile({ proxy: proxy.url })),
      );
      const svc = new S3Service(clients);
      await svc.putBytes(bucket, 'plain.txt', 'forwarded');
      assert.equal(Buffer.from(await svc.getBytes(bucket, 'plain.txt')).toString('utf8'), 'forwarded');
      assert.ok(
        proxy.forwards().some((u) => u.startsWith(`${s3.endpoint}/${bucket}/plain.txt`)),
        `the proxy forwarded the requests (it shows: ${proxy.forwards().slice(-3).join(', ')})`,
      );
      clients.dispose();
    });
  });
});
