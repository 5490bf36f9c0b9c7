// The one HTTP layer under everything Ferry sends to a Databricks host: the REST client, OAuth
// discovery and the token endpoint (U2M code exchange and refresh, M2M client credentials).
// Connection settings (user agent, and the agents a proxy or a custom CA needs) are given here
// once, so every request to a workspace goes out the same way.
import type http from 'node:http';
import type https from 'node:https';
import axios, { AxiosError, AxiosInstance } from 'axios';
import { ErrorAction } from '../core/errors';
import { describeNetworkFailure } from '../core/network';
import { DatabricksError } from './errors';

export interface DatabricksHttpOptions {
  userAgent?: string;
  /**
   * Agents for plain and TLS connections from the network module (a proxy, extra CAs); they decide
   * about proxies, so axios's own proxy handling is turned off. axios's defaults when absent.
   */
  httpAgent?: http.Agent;
  httpsAgent?: https.Agent;
}

/**
 * An axios instance that treats every status as an answer (errors are mapped by the caller),
 * follows no redirect (a workspace never redirects an API call; a login page would) and hands the
 * body over as text, so empty bodies and HTML error pages are read in one place.
 */
export function createHttp(options: DatabricksHttpOptions = {}, baseURL?: string): AxiosInstance {
  return axios.create({
    baseURL,
    validateStatus: () => true,
    maxRedirects: 0,
    headers: { Accept: 'application/json', 'User-Agent': options.userAgent ?? 'ferry-vscode' },
    transformResponse: [(data: unknown) => data],
    httpAgent: options.httpAgent,
    httpsAgent: options.httpsAgent,
    ...(options.httpAgent || options.httpsAgent ? { proxy: false as const } : {}),
  });
}

/** A request that failed below HTTP (refused, reset, timed out, unresolvable host). */
export class NetworkFailure extends DatabricksError {
  constructor(
    readonly networkCode: string,
    message: string,
    actions?: ErrorAction[],
  ) {
    super({ errorCode: networkCode || 'NETWORK_ERROR', message, status: 0, kind: 'network', actions });
    this.name = 'DatabricksNetworkError';
  }
}

/** The network code of an axios failure (`ECONNREFUSED`, `ETIMEDOUT`, …), or ''. */
export function networkCode(err: unknown): string {
  const e = err as AxiosError;
  // axios reports a body cut off mid-way (the connection reset or closed early) as ERR_BAD_RESPONSE
  // "stream has been aborted": for retries and messages that is a reset like any other.
  if (e.code === 'ERR_BAD_RESPONSE' && /aborted|premature close|terminated/i.test(e.message ?? '')) return 'ECONNRESET';
  return e.code ?? (e.cause as { code?: string } | undefined)?.code ?? '';
}

/** A plain sentence for a failure below HTTP talking to `host` (about `what`, e.g. a path). */
export function networkFailure(err: unknown, host: string, what: string, method = 'GET'): NetworkFailure {
  // A proxy or a certificate in the way: said in the user's words, with the setting to change.
  const net = describeNetworkFailure(err, host);
  if (net) return new NetworkFailure(net.code, net.message, [...net.actions, { title: 'Open Log', command: 'ferry.showLog' }]);
  const code = networkCode(err);
  let message: string;
  if (code === 'ENOTFOUND')
    message = `Cannot resolve the Databricks host ${host}; check the host in your profile or sign in again with the right workspace URL`;
  else if (code === 'ECONNREFUSED') message = `Nothing is listening at ${host} (connection refused)`;
  else if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') message = `The request to ${host}${what} timed out`;
  else if (code === 'ECONNRESET' || code === 'EPIPE')
    message = `The connection to ${host} was cut before the answer was complete${method === 'POST' || method === 'PATCH' ? ` (${method} ${what}); the request may have been carried out, so it was not sent again` : ''}`;
  else message = `Network error talking to ${host}${code ? ` (${code})` : ''}: ${(err as Error).message}`;
  return new NetworkFailure(code, message);
}

export function bodyText(data: unknown): string {
  if (data === undefined || data === null) return '';
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return JSON.stringify(data);
}

export function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? String(value[0]) : String(value);
}
