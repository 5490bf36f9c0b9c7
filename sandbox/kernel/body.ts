// Request bodies: read with a limit (the stream is drained and the client answered, never left
// hanging), JSON objects, url-encoded forms and multipart/form-data. Multipart is parsed with
// busboy (quoted and RFC 5987 names, folded headers, boundaries inside data), not by hand.
import type http from 'node:http';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { BodyTooLargeError, MalformedBodyError } from './errors';

export const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;

/** The whole body; rejects with BodyTooLargeError past `limit` bytes (the rest is discarded). */
export function readBody(req: http.IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
    req.on('aborted', () => reject(new MalformedBodyError('The request was aborted before its body ended')));
  });
}

/** A JSON object (an empty body is `{}`); anything else is a MalformedBodyError. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (!body.length) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new MalformedBodyError(`Invalid JSON given in the body of the request - failed to parse: ${body.subarray(0, 80).toString('utf8')}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  return parsed as Record<string, unknown>;
}

/** Any JSON value (an empty body is `fallback`). */
export function parseJson(body: Buffer, fallback: unknown = {}): unknown {
  if (!body.length) return fallback;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new MalformedBodyError(`Request body is not valid JSON: ${body.subarray(0, 80).toString('utf8')}`);
  }
}

export function parseForm(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'));
}

export interface MultipartPart {
  name: string;
  filename?: string;
  /** The part's bytes exactly as sent (fields too: a field may carry binary content). */
  data: Buffer;
}

/** The parts of a multipart/form-data body, in order. */
export function parseMultipart(body: Buffer, contentType: string): Promise<MultipartPart[]> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      // latin1 maps each byte to one char, so field values convert back to their exact bytes.
      bb = busboy({ headers: { 'content-type': contentType }, defCharset: 'latin1', defParamCharset: 'utf8', limits: { fieldSize: body.length + 1 } });
    } catch (err) {
      reject(new MalformedBodyError(`Malformed multipart request: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    const parts: Array<MultipartPart | Promise<MultipartPart>> = [];
    bb.on('field', (name, value) => parts.push({ name, data: Buffer.from(value, 'latin1') }));
    bb.on('file', (name, stream, info) => {
      parts.push(
        new Promise<MultipartPart>((res, rej) => {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => res({ name, filename: info.filename, data: Buffer.concat(chunks) }));
          stream.on('error', rej);
        }),
      );
    });
    bb.on('error', (err) => reject(new MalformedBodyError(`Malformed multipart request: ${err instanceof Error ? err.message : String(err)}`)));
    bb.on('close', () => {
      Promise.all(parts).then(resolve, reject);
    });
    Readable.from([body]).pipe(bb);
  });
}
