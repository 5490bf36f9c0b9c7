// What a handler answers: a status, headers and a body (bytes, text or a stream), or a dropped
// connection (fault injection). The server writes it; handlers never touch the response. Replies
// are made with the helpers below, which brand them, so that a handler's plain JSON result that
// happens to have a numeric `status` is never mistaken for one.
import type { Readable } from 'node:stream';

const BRAND = Symbol('kernel.reply');

export interface Reply {
  readonly [BRAND]: true;
  status: number;
  headers: Record<string, string>;
  body?: Buffer | string | Readable;
  /** Destroy the connection without an answer (a reset, as a proxy or a crashed node would). */
  reset?: boolean;
}

export function isReply(v: unknown): v is Reply {
  return typeof v === 'object' && v !== null && (v as Partial<Reply>)[BRAND] === true;
}

export function reply(status: number, headers: Record<string, string> = {}, body?: Buffer | string | Readable): Reply {
  return { [BRAND]: true, status, headers, body };
}

/** A JSON answer with Content-Type and Content-Length. */
export function json(status: number, value: unknown, headers: Record<string, string> = {}, contentType = 'application/json'): Reply {
  const text = JSON.stringify(value);
  return reply(status, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(text)), ...headers }, text);
}

/** Fixed bytes or text with the given headers (Content-Length added unless given). */
export function bytes(status: number, headers: Record<string, string>, body?: Buffer | string): Reply {
  const h = { ...headers };
  if (body !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === 'content-length')) h['Content-Length'] = String(Buffer.byteLength(body));
  return reply(status, h, body);
}

export function resetConnection(): Reply {
  return { ...reply(0), reset: true };
}
