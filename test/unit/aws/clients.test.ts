// The one AWS client factory: clients are shared per profile + region + endpoint, and a change of
// the connection or of the network settings (proxy, CA) drops them, so the next request uses the
// new agents. No requests are sent here.
import assert from 'node:assert/strict';
import { AwsClients } from '../../../src/aws/clients';
import { AwsConnection } from '../../../src/aws/connection';
import { NetworkProfile, NetworkSource } from '../../../src/core/network';

describe('AWS client factory', () => {
  it('shares clients by region and endpoint, and rebuilds them when the network settings change', () => {
    const conn: AwsConnection = {
      region: 'us-east-1',
      athenaRegion: 'eu-west-1',
      credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }),
      s3Endpoint: 'https://s3.example.test',
    };
    const listeners = new Set<() => void>();
    let profile = new NetworkProfile();
    const network: NetworkSource = { current: () => profile, onDidChange: (l) => (listeners.add(l), { dispose: () => listeners.delete(l) }) };
    const clients = new AwsClients(
      { current: () => conn, onDidChange: () => ({ dispose() {} }) },
      { checksum: 'WHEN_SUPPORTED', forcePathStyle: false },
      network,
    );
    const s3 = clients.client();
    assert.equal(clients.client('us-east-1'), s3, 'the connection region and the same region explicitly are one client');
    assert.notEqual(clients.client('eu-west-1'), s3);
    const athena = clients.athena();
    assert.equal(clients.athena(), athena);
    profile = new NetworkProfile(
      { proxy: 'http://127.0.0.1:3128', noProxy: [], strictSSL: true, proxyAuthorization: '', caFile: '', systemCertificates: true },
      {},
    );
    for (const l of listeners) l();
    assert.notEqual(clients.client(), s3, 'a new S3 client after the proxy changed');
    assert.notEqual(clients.athena(), athena, 'a new Athena client after the proxy changed');
    clients.dispose();
    assert.equal(listeners.size, 0, 'dispose stops listening');
  });
});
