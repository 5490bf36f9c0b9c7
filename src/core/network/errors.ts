// The error a proxy failure is thrown as, from the agents (see failures.ts for the words).
import { FerryError } from '../errors';
import { OPEN_PROXY_SETTINGS, ProxyFailure, proxyMessage } from './failures';

/** A failure of the proxy itself (not of the server behind it). */
export class ProxyError extends FerryError {
  constructor(
    readonly failure: ProxyFailure,
    readonly proxy: string,
    readonly target: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(
      failure === 'needsAuth' || failure === 'badAuth' ? 'auth' : 'network',
      proxyMessage(failure, proxy, target, status),
      [OPEN_PROXY_SETTINGS],
      undefined,
      options,
    );
    this.name = 'ProxyError';
  }

  get code(): string {
    return this.failure === 'status' ? `PROXY_${this.status}` : `PROXY_${this.failure.toUpperCase()}`;
  }
}
