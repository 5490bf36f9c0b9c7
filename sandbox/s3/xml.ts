// S3's XML: the error type every S3 operation throws (rendered as <Error><Code>…), response
// documents, and request documents (CompleteMultipartUpload, Delete, CreateBucketConfiguration)
// read with fast-xml-parser, keeping values exactly (no trimming: keys may start or end with spaces).
import { randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { HttpError } from '../kernel';

export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Escapes text for XML. Characters XML 1.0 cannot carry become character references (what S3 sends for them is unconfirmed). */
export function escapeXml(s: string): string {
  return s.replace(
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
    /[<>&'"\u0000-\u0008\u000b\u000c\u000e-\u001f\r\n]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`,
  );
}

export function requestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** An S3 error: `code` is S3's (NoSuchKey, SlowDown, …); `fields` go into the <Error> document. */
export class S3Error extends HttpError {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    headers: Record<string, string> = {},
    /** Real S3 answers some errors with no body at all (a key that climbs out with ../). */
    readonly bare = false,
  ) {
    super(status, message, headers);
  }
}

export function errorXml(code: string, message: string, resource: string, fields: Record<string, string> = {}, id = requestId()): string {
  const extra = Object.entries(fields)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>${extra}<Resource>${escapeXml(resource)}</Resource><RequestId>${id}</RequestId></Error>`;
}

/** A response document: `<Root xmlns=…>inner</Root>`. */
export function doc(root: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NS}">${inner}</${root}>`;
}

/** `<Name>value</Name>` with the value escaped; nothing when the value is undefined. */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  trimValues: false,
  parseTagValue: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => ['Part', 'Object'].includes(name),
});

/** A request document; MalformedXML when it does not parse or lacks its root. */
export function parseXmlBody(body: Buffer, root: string): Record<string, unknown> {
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw malformedXml();
  }
  const top = parsed[root];
  if (top === undefined) throw malformedXml();
  return typeof top === 'object' && top !== null ? (top as Record<string, unknown>) : {};
}

export function malformedXml(): S3Error {
  return new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
}

export function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && '#text' in (v as object)) return String((v as { '#text': unknown })['#text']);
  if (typeof v === 'object' && Object.keys(v as object).length === 0) return '';
  return undefined;
}
