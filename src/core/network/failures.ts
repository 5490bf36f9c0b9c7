// Network failures in the user's words. A socket error code (ECONNREFUSED,
// UNABLE_TO_GET_ISSUER_CERT_LOCALLY, …) or a proxy's 407 says nothing to most people; each is
// turned into what happened and what to set. Every client's errors pass through
// describeNetworkFailure(), via classifyError() and the Databricks client. No imports but types:
// core/errors.ts uses this module, so it must not load that one back.
import type { ErrorAction } from '../errors';

export const OPEN_PROXY_SETTINGS: ErrorAction = { title: 'Open Proxy Settings', command: 'workbench.action.openSettings', args: ['http.proxy'] };
export const SET_CA_FILE: ErrorAction = { title: 'Set CA File', command: 'ferry.openSettings', args: ['network.caFile'] };

export type ProxyFailure = 'refused' | 'unreachable' | 'needsAuth' | 'badAuth' | 'status';

/** A proxy URL fit to show: the password is never printed. */
export function displayProxy(proxy: string | URL): string {
  return String(proxy).replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

export function proxyMessage(failure: ProxyFailure, proxy: string, target: string, status?: number): string {
  const via = `(proxy ${displayProxy(proxy)})`;
  switch (failure) {
    case 'refused':
      return `Cannot reach ${target}: the proxy refused the connection ${via}. Check that it runs and that http.proxy or HTTPS_PROXY names it.`;
    case 'unreachable':
      return `Cannot reach ${target}: the proxy cannot be reached ${via}. Check http.proxy or HTTPS_PROXY.`;
    case 'needsAuth':
      return `Cannot reach ${target}: the proxy needs a user name and password (407) ${via}. Put them in the proxy URL (http://user:password@host:port) or set http.proxyAuthorization.`;
    case 'badAuth':
      return `Cannot reach ${target}: the proxy did not accept the user name and password (${status ?? 407}) ${via}. Check them in http.proxy or HTTPS_PROXY.`;
    default:
      return `Cannot reach ${target}: the proxy answered HTTP ${status ?? '?'} instead of opening the connection ${via}. The proxy may block this host.`;
  }
}

const UNTRUSTED = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
  'CERT_CHAIN_TOO_LONG',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

export const UNTRUSTED_MESSAGE =
  "the server's certificate is signed by an authority this machine does not trust: set ferry.network.caFile to your organisation's root certificate (a PEM file), or NODE_EXTRA_CA_CERTS";

export interface NetworkFailure {
  kind: 'network' | 'auth' | 'config';
  /** A sentence for the user. */
  message: string;
  actions: ErrorAction[];
  /** The underlying code, for the log. */
  code: string;
}

function* chain(err: unknown): Generator<Record<string, unknown>> {
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && cur && typeof cur === 'object'; depth++) {
    yield cur as Record<string, unknown>;
    const errors = (cur as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors[0] && typeof errors[0] === 'object') yield errors[0] as Record<string, unknown>;
    cur = (cur as { cause?: unknown }).cause;
  }
}

function httpStatus(e: Record<string, unknown>): number | undefined {
  const meta = e.$metadata as { httpStatusCode?: number } | undefined;
  const response = e.response as { status?: number } | undefined;
  const n = meta?.httpStatusCode ?? response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
  return typeof n === 'number' ? n : undefined;
}

/** What a failed request means, when it failed on the way (proxy, TLS); undefined otherwise. */
export function describeNetworkFailure(err: unknown, target?: string): NetworkFailure | undefined {
  const where = target ? `Cannot connect to ${target}: ` : 'Cannot connect securely: ';
  for (const e of chain(err)) {
    if (e.name === 'ProxyError' && typeof e.failure === 'string') {
      return {
        kind: e.failure === 'needsAuth' || e.failure === 'badAuth' ? 'auth' : 'network',
        message: String(e.message),
        actions: [OPEN_PROXY_SETTINGS],
        code: String(e.code),
      };
    }
    const code = typeof e.code === 'string' ? e.code : '';
    if (UNTRUSTED.has(code)) return { kind: 'network', message: `${where}${UNTRUSTED_MESSAGE} (${code}).`, actions: [SET_CA_FILE], code };
    if (EXPIRED.has(code))
      return {
        kind: 'network',
        message: `${where}the server's certificate has expired or is not valid yet; check this machine's clock, or tell the server's owner (${code}).`,
        actions: [],
        code,
      };
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
      return {
        kind: 'network',
        message: `${where}the server's certificate is for another host name; check the host or endpoint setting (${code}).`,
        actions: [],
        code,
      };
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO')
      return {
        kind: 'network',
        message: `${where}the other end does not speak TLS; check whether the URL should start with http:// rather than https:// (${code}).`,
        actions: [],
        code,
      };
    if (httpStatus(e) === 407) {
      return {
        kind: 'auth',
        message: `${target ? `Cannot reach ${target}: ` : ''}the proxy needs a user name and password (407). Put them in the proxy URL (http://user:password@host:port) or set http.proxyAuthorization.`,
        actions: [OPEN_PROXY_SETTINGS],
        code: 'PROXY_407',
      };
    }
  }
  return undefined;
}
