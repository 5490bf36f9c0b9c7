// `npm run sandbox -- --proxy`: the sandbox as a company network would have it. tinyproxy on
// loopback becomes the editor's http.proxy, and S3, Athena and Databricks are reached over TLS
// through fronts whose certificates come from a throwaway "corporate" CA, which
// ferry.network.caFile names. Clear ferry.network.caFile in the editor to see the certificate
// error; stop the proxy (its pid is printed) to see "the proxy refused the connection".
import fs from 'node:fs';
import path from 'node:path';
import { createTestCa } from '../proxy/certs';
import { startTinyProxy } from '../proxy/tinyproxy';
import { startTlsFront, TlsFront } from '../proxy/tlsFront';
import type { SandboxServices } from '../services';

export interface SandboxProxy {
  rows: Array<[string, string]>;
  stop(): Promise<void>;
}

/** Starts the proxy and the fronts and points the sandbox settings and databrickscfg at them. */
export async function startSandboxProxy(services: SandboxServices, dir: string): Promise<SandboxProxy> {
  fs.mkdirSync(dir, { recursive: true });
  const proxy = await startTinyProxy({ dir });
  const ca = createTestCa('Ferry sandbox corporate CA');
  const caFile = path.join(dir, 'sandbox-corporate-ca.pem');
  fs.writeFileSync(caFile, ca.cert);
  const pair = ca.issue(['127.0.0.1', 'localhost']);
  const fronts: TlsFront[] = [];
  const front = async (target: string): Promise<string> => {
    const f = await startTlsFront({ target, pair });
    fronts.push(f);
    return f.url;
  };
  const s3 = await front(services.s3.endpoint);
  const athena = await front(String(services.settings['ferry.athena.endpoint']));
  const databricks = await front(services.databricks.url);
  Object.assign(services.settings, { 'http.proxy': proxy.url, 'ferry.network.caFile': caFile, 'ferry.s3.endpoint': s3, 'ferry.athena.endpoint': athena });
  const cfg = services.env.DATABRICKS_CONFIG_FILE;
  fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').split(services.databricks.url).join(databricks), { mode: 0o600 });
  return {
    rows: [
      ['Proxy', `${proxy.url}   (tinyproxy; http.proxy; log ${proxy.logFile})`],
      ['TLS', `S3 ${s3}, Athena ${athena}, Databricks ${databricks}; CA in ferry.network.caFile = ${caFile}`],
    ],
    stop: async () => {
      for (const f of fronts) await f.stop();
      await proxy.stop();
    },
  };
}
