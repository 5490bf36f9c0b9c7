// Secrets must never reach the log, a webview or an error message shown to the user.
// Everything the logger writes goes through redact(); clients also register the live secrets
// they hold (a token read from SecretStorage) so that even an unexpected echo is masked.

const MASK = '***';

const PATTERNS: Array<[RegExp, string]> = [
  // Authorization headers and bearer tokens, in any casing.
  [/(authorization["']?\s*[:=]\s*["']?)(bearer|basic|aws4-hmac-sha256)?\s*[^"',\s}]+([^"'\n}]*)/gi, `$1$2 ${MASK}`],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/g, `Bearer ${MASK}`],
  // Databricks personal access tokens.
  [/\bdapi[a-f0-9]{20,}(-\d+)?\b/gi, MASK],
  // Presigned URL signatures and security tokens (SigV4 and SigV2 query parameters).
  [/([?&](?:X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential|Signature|AWSAccessKeyId)=)[^&\s"']+/gi, `$1${MASK}`],
  // AWS secret keys and session tokens in key/value form.
  [/((?:aws_)?secret_?access_?key|session_?token|(?:^|[^a-z])token|password|client_secret)(["']?\s*[:=]\s*["']?)[^"',\s}&]+/gi, `$1$2${MASK}`],
  // Passwords in URLs (proxy URLs: http://user:password@host).
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]+@/gi, `$1${MASK}@`],
  // Access key ids.
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, `$1${MASK}`],
];

const liveSecrets = new Set<string>();

/** Registers a secret value held at run time (for example a token read from SecretStorage). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) liveSecrets.add(value);
}

export function forgetSecret(value: string | undefined): void {
  if (value) liveSecrets.delete(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of liveSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
