// The loopback server that receives the browser's answer in an OAuth U2M sign-in: the first
// free port of 8020…8040 (DATABRICKS_OAUTH_CALLBACK_PORT pins one), on 127.0.0.1 and ::1. Only
// the answer carrying this sign-in's state counts.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CancelledError } from '../core/errors';
import { Logger, silentLogger } from '../core/logger';
import { Env } from './config';
import { DatabricksError, SIGN_IN_BROWSER } from './errors';
import { oauthError as baseOAuthError } from './oidc';

function oauthError(errorCode: string, message: string, extra: { kind?: 'auth' | 'config' } = {}): DatabricksError {
  return baseOAuthError(errorCode, message, [SIGN_IN_BROWSER], extra);
}

export const DEFAULT_CALLBACK_PORTS: number[] = Array.from({ length: 21 }, (_, i) => 8020 + i);

/** The ports to try: DATABRICKS_OAUTH_CALLBACK_PORT alone when set, else 8020…8040. */
export function callbackPorts(env: Env): number[] {
  const pinned = env.DATABRICKS_OAUTH_CALLBACK_PORT?.trim();
  if (!pinned) return DEFAULT_CALLBACK_PORTS;
  const n = Number(pinned);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw oauthError('INVALID_CALLBACK_PORT', `DATABRICKS_OAUTH_CALLBACK_PORT="${pinned}" is not a port number`, { kind: 'config' });
  }
  return [n];
}

export interface CallbackServer {
  readonly port: number;
  /** http://localhost:<port> (no path, as the Databricks CLI registers it). */
  readonly redirectUri: string;
  /** Resolves with the authorization code once the browser comes back with the expected state. */
  waitForCode(expectedState: string, opts?: { signal?: AbortSignal; timeoutMs?: number }): Promise<string>;
  close(): Promise<void>;
}

const page = (title: string, text: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif;margin:3em"><h2>${title}</h2><p>${text}</p></body></html>`;

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

interface CallbackResult {
  code?: string;
  error?: string;
}

/** RFC 6749 4.1.2.1 error codes, each in Ferry's own words: nothing the redirect carries is shown. */
const AUTHORIZE_ERRORS: Record<string, string> = {
  access_denied: 'the request was declined, by you or by a workspace policy',
  invalid_request: 'the workspace found the sign-in request malformed',
  unauthorized_client: 'the workspace does not allow this client to sign in this way',
  unsupported_response_type: 'the workspace does not support this kind of sign-in',
  invalid_scope: 'the workspace refused the requested access (scopes)',
  server_error: 'the workspace had an internal error',
  temporarily_unavailable: 'the workspace is temporarily unable to sign you in',
};

/** Compares states in constant time (the state guards the one answer this sign-in takes). */
function sameState(got: string | null, expected: string | undefined): boolean {
  if (got === null || expected === undefined) return false;
  const a = Buffer.from(got);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * Listens on 127.0.0.1 (and, where it can, ::1 on the same port, since `localhost` may resolve
 * to either) on the first free port of `ports`. Port 0 picks any free port (tests).
 * Only an answer carrying this sign-in's state counts: anything else (another local program, a
 * web page loading `http://localhost:8020/?error=…` in an <img>) is answered 400 and ignored, and
 * the sign-in keeps waiting. Nothing from a request is ever echoed into the page or the error.
 */
export async function startCallbackServer(ports: number[] = DEFAULT_CALLBACK_PORTS, logger: Logger = silentLogger): Promise<CallbackServer> {
  let settle: ((r: CallbackResult) => void) | undefined;
  const result = new Promise<CallbackResult>((resolve) => (settle = resolve));
  let answered = false;
  let expected: string | undefined;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const q = u.searchParams;
    const reply = (status: number, title: string, text: string): void => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(page(title, text));
    };
    if (req.method !== 'GET' || u.pathname !== '/' || (!q.has('code') && !q.has('error'))) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found');
      return;
    }
    if (answered) return reply(409, 'Already answered', 'Ferry already received an answer for this sign-in. You can close this tab.');
    if (!sameState(q.get('state'), expected)) {
      logger.warn("OAuth callback: ignored an answer that does not carry this sign-in's state");
      return reply(
        400,
        'Not this sign-in',
        'This answer does not belong to the sign-in Ferry is waiting for, so it was ignored. If you started a sign-in, finish it in the tab Ferry opened.',
      );
    }
    answered = true;
    const error = q.get('error');
    const code = q.get('code');
    if (error || !code) {
      const description = q.get('error_description');
      logger.info(
        `OAuth callback: the workspace answered with error "${(error ?? 'no code').slice(0, 80)}"${description ? ` (${description.slice(0, 300)})` : ''}`,
      );
      reply(400, 'Databricks sign-in failed', 'The workspace did not sign you in. You can close this tab; the editor says why.');
      settle?.({ error: error ?? 'no_code' });
      return;
    }
    reply(200, 'Signed in to Databricks', 'Ferry received the sign-in. You can close this tab and return to the editor.');
    settle?.({ code });
  };

  const busy = (err: unknown): boolean => ['EADDRINUSE', 'EACCES'].includes((err as { code?: string }).code ?? '');
  const servers: http.Server[] = [];
  let port = -1;
  let lastError: unknown;
  for (const p of ports) {
    const v4 = http.createServer(handler);
    try {
      await listen(v4, p, '127.0.0.1');
    } catch (err) {
      lastError = err;
      if (busy(err)) continue;
      break;
    }
    const chosen = (v4.address() as AddressInfo).port;
    // `localhost` may resolve to ::1 first: listen there too, and skip a port some other program holds on ::1.
    const v6 = http.createServer(handler);
    try {
      await listen(v6, chosen, '::1');
      servers.push(v4, v6);
    } catch (err) {
      if (busy(err)) {
        lastError = err;
        await new Promise<void>((r) => v4.close(() => r()));
        continue;
      }
      servers.push(v4); // no IPv6 loopback here: the browser uses 127.0.0.1
    }
    port = chosen;
    break;
  }
  if (port < 0) {
    const list = ports.length === 1 ? `port ${ports[0]}` : `ports ${ports[0]}–${ports[ports.length - 1]}`;
    throw oauthError(
      'CALLBACK_PORT_BUSY',
      `Cannot listen for the sign-in answer on ${list} (${(lastError as { code?: string } | undefined)?.code ?? String(lastError)}). Free one of them, or set DATABRICKS_OAUTH_CALLBACK_PORT to a free port.`,
      { kind: 'config' },
    );
  }
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    ).then(() => logger.debug(`OAuth callback server on port ${port} closed`));
    return closed;
  };
  logger.debug(`OAuth callback server listening on port ${port}`);

  return {
    port,
    redirectUri: `http://localhost:${port}`,
    close,
    async waitForCode(expectedState, opts = {}) {
      expected = expectedState;
      const { signal, timeoutMs = 5 * 60_000 } = opts;
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      try {
        const stop = new Promise<never>((_, reject) => {
          if (signal?.aborted) reject(new CancelledError('Sign-in cancelled'));
          onAbort = () => reject(new CancelledError('Sign-in cancelled'));
          signal?.addEventListener('abort', onAbort, { once: true });
          timer = setTimeout(
            () =>
              reject(
                oauthError(
                  'OAUTH_TIMEOUT',
                  `No answer from the browser within ${Math.round(timeoutMs / 1000)} s. Sign in again and finish the sign-in in the browser.`,
                  { kind: 'auth' },
                ),
              ),
            timeoutMs,
          );
        });
        const r = await Promise.race([result, stop]);
        if (r.code) return r.code;
        const known = r.error && Object.prototype.hasOwnProperty.call(AUTHORIZE_ERRORS, r.error) ? r.error : undefined;
        if (!known && r.error === 'no_code') throw oauthError('OAUTH_NO_CODE', 'The sign-in answer carried no authorization code. Start the sign-in again.');
        const why = known ? `${known}: ${AUTHORIZE_ERRORS[known]}` : 'an error code Ferry does not know; the log has the details';
        throw oauthError(
          known ?? 'OAUTH_AUTHORIZE_ERROR',
          `Databricks refused the sign-in (${why}). Try again, or ask your workspace admin whether OAuth is allowed for you.`,
        );
      } finally {
        if (timer) clearTimeout(timer);
        if (onAbort) signal?.removeEventListener('abort', onAbort);
        await close();
      }
    },
  };
}
