// What the REST client asks of a sign-in: a bearer token now, and (for sign-ins that can renew)
// a renewal after the workspace refused a token it should have accepted. One implementation per
// way of signing in: a personal access token (here), OAuth U2M (oauth.ts), OAuth M2M (m2m.ts) and
// the Databricks CLI (cliToken.ts).
import { registerSecret } from '../core/redact';
import { DatabricksError } from './errors';

export interface TokenSource {
  /** A bearer token to send now (renewed first when it is about to expire). */
  token(signal?: AbortSignal): Promise<string>;
  /** Renews after a refused token; absent when there is nothing to renew (a PAT). */
  renew?(signal?: AbortSignal): Promise<void>;
  /** The error to show when even a renewed token is refused. */
  refusedAfterRenewal?(err: DatabricksError, host: string): DatabricksError;
}

/** A personal access token: sent as it is, never renewed. */
export function staticToken(token: string): TokenSource {
  registerSecret(token);
  return { token: async () => token };
}

/** Accepts what the client's options allow: a PAT, a function yielding a token, or a source. */
export function toTokenSource(token: string | (() => Promise<string>) | TokenSource): TokenSource {
  if (typeof token === 'string') return staticToken(token);
  if (typeof token === 'function') {
    return {
      token: async () => {
        const t = await token();
        registerSecret(t);
        return t;
      },
    };
  }
  return token;
}
