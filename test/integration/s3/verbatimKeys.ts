// The keys the S3 key suites round-trip (SDK and AWS CLI), and helpers they share.
import http from 'node:http';

/** Keys S3 stores verbatim; each also names what it checks. */
export const VERBATIM_KEYS = [
  `long/${'s'.repeat(300)}.txt`,
  `multi/${'ü'.repeat(200)}/${'日'.repeat(100)}.txt`,
  'a//b.txt',
  'x/../z.txt',
  'dots/./here.txt',
  'dots/sub/../../stays.txt',
  '/leading-slash.txt',
  '//two-leading.txt',
  'trailing-dot.',
  ' spaces at both ends ',
  'percent%2Fslash%20and+plus.txt',
  'folder-marker/',
  '...',
  'back\\slash.txt',
];

/** Only safe to list with encoding-type=url: XML 1.0 cannot carry them, or the SDK's parser trims them. */
export const ENCODED_ONLY_KEYS = ['control/\u0001\u001f.txt', 'newline/a\nb.txt'];

/** S3's form-style encoding: `+` is a space; then percent-decode. */
export function decodeListed(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

/** One HTTP request with the path exactly as given (fetch and URL would collapse dot segments). */
export function rawRequest(
  endpoint: string,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, method, path, headers: body === undefined ? {} : { 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
