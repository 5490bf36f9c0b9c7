// Secrets must never reach the log, a toast, a quick pick, a notebook output or a webview.
// This is the one redaction every exit uses: the logger, classifyError (and so every error toast,
// tree error node and notebook error cell), the message helpers in src/editor/messages.ts, the
// notebook outputs and the result viewer's posted messages. Clients also register the live secrets
// they hold (a token read from SecretStorage) so that even an unexpected echo is masked.

const MASK = '***';

/** Key names whose value is a secret, in snake_case, kebab-case or camelCase. */
const SECRET_KEY = String.raw`(?:aws_?)?secret_?access_?key|session_?token|access_?token|refresh_?token|id_?token|client_?secret|api_?key|password|passwd|(?:^|[^a-z])token`;

const PATTERNS: Array<[RegExp, string]> = [
  // Authorization headers and bearer tokens, in any casing.
  [/(authorization["']?\s*[:=]\s*["']?)(bearer|basic|aws4-hmac-sha256)?\s*[^"',\s}]+([^"'\n}]*)/gi, `$1$2 ${MASK}`],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/g, `Bearer ${MASK}`],
  // Databricks personal access tokens and OAuth secrets.
  [/\bdapi[a-f0-9]{20,}(-\d+)?\b/gi, MASK],
  [/\bdose[a-f0-9]{20,}\b/gi, MASK],
  // JSON Web Tokens (OAuth access and ID tokens): header.payload.signature, base64url.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, MASK],
  // Presigned URL signatures and security tokens (SigV4 and SigV2 query parameters), plain or URL-encoded.
  [/([?&](?:X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential|Signature|AWSAccessKeyId)=)[^&\s"']+/gi, `$1${MASK}`],
  [/((?:^|%26|%3F|[?&])(?:X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential|Signature|AWSAccessKeyId)%3D)(?:(?!%26)[^&\s"'])+/gi, `$1${MASK}`],
  // Secrets in key/value form: key=value, key: value, "key":"value".
  [new RegExp(`(${SECRET_KEY})(["']?\\s*[:=]\\s*["']?)[^"',\\s}&]+`, 'gi'), `$1$2${MASK}`],
  // …and without a separator ("client_secret dose…", "password hunter2!"): only a value that looks
  // like a secret (six or more characters, starting with a letter or digit, with a digit or a
  // symbol), so prose ("a user name and password (407)") is left alone.
  [/((?:client_?secret|password|passwd)\s+)(?=[A-Za-z0-9]\S*[\d!#$%^*+=/_~@-])[^\s"',}()]{6,}/gi, `$1${MASK}`],
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

/**
 * Redacts every string inside a message (arrays and plain objects, recursively), except under the
 * keys named in `keepKeys` (table rows and image bytes are data, not messages). Returns a copy.
 */
export function redactDeep<T>(value: T, keepKeys: ReadonlySet<string> = new Set()): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v as Record<string, unknown>)) out[k] = keepKeys.has(k) ? inner : walk(inner);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
