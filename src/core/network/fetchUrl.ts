// GET of a URL that needs no client of its own: presigned S3 URLs, Databricks external links and
// artifact downloads. Goes through the same agents as every other connection, so the proxy and
// the CA list apply, and fails with the same user words.
import http from 'node:http';
import https from 'node:https';
import { CancelledError, FerryError } from '../errors';
import { redact } from '../redact';
import type { HttpAgents } from './agents';
import { describeNetworkFailure } from './failures';

export interface FetchOptions {
  signal?: AbortSignal;
  /** Gives up when no byte arrives for this long (default 60 s). */
  timeoutMs?: number;
  /** Refuses a body larger than this (default 256 MiB). */
  maxBytes?: number;
  headers?: Record<string, string>;
}

export interface FetchedBody {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Fetches `url` with `agents`; a non-2xx answer is an error that names the status (the URL's signature is never shown). */
export function fetchUrl(url: string, agents: HttpAgents, opts: FetchOptions = {}): Promise<FetchedBody> {
  const u = new URL(url);
  const shown = redact(`${u.origin}${u.pathname}`);
  const secure = u.protocol === 'https:';
  if (!secure && u.protocol !== 'http:') return Promise.reject(new FerryError('invalidInput', `Ferry fetches only http(s) URLs, not ${u.protocol}`));
  const maxBytes = opts.maxBytes ?? 256 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new CancelledError());
    const req = (secure ? https : http).request(
      u,
      { method: 'GET', agent: secure ? agents.httpsAgent : agents.httpAgent, headers: opts.headers, timeout: opts.timeoutMs ?? 60_000, signal: opts.signal },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy(new FerryError('invalidInput', `${shown} is larger than ${Math.round(maxBytes / 1048576)} MiB; Ferry stopped reading it`));
            return;
          }
          chunks.push(c);
        });
        res.on('error', (err) => reject(err));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const body = Buffer.concat(chunks);
          if (status >= 200 && status < 300) return resolve({ status, headers: res.headers, body });
          const net = describeNetworkFailure({ status }, u.host);
          if (net) return reject(new FerryError(net.kind, net.message, net.actions));
          const code = /<Code>([^<]+)<\/Code>/.exec(body.toString('utf8'))?.[1];
          const hint = status === 403 && code === 'AccessDenied' ? ' (the link may have expired)' : '';
          reject(
            new FerryError(
              status === 403 ? 'forbidden' : status === 404 ? 'notFound' : 'unknown',
              `${shown} answered HTTP ${status}${code ? ` ${code}` : ''}${hint}`,
            ),
          );
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error(`No answer from ${u.host} in ${Math.round((opts.timeoutMs ?? 60_000) / 1000)} s`), { code: 'ETIMEDOUT' })),
    );
    req.on('error', (err) => {
      if (opts.signal?.aborted) return reject(new CancelledError());
      const net = describeNetworkFailure(err, u.host);
      if (net) return reject(new FerryError(net.kind, net.message, net.actions, undefined, { cause: err }));
      reject(err);
    });
    req.end();
  });
}
