// OAuth machine-to-machine sign-in for a service principal: the client credentials grant at the
// workspace's token endpoint (found by discovery), with client_id and client_secret in HTTP Basic
// as the Go and Python SDKs send them, scope all-apis. Tokens last about an hour and are fetched
// again shortly before they expire, or once after the workspace refused one. Nothing is stored:
// the secret stays in the user's own file or environment, and is registered with the redactor.
// Wire facts: docs/reference/services-2026.md section 5.
import { Logger, silentLogger } from '../core/logger';
import { registerSecret } from '../core/redact';
import { TokenSource } from './credentials';
import { CHOOSE_PROFILE, DatabricksError, OPEN_LOG } from './errors';
import { DatabricksHttpOptions } from './http';
import { discover, dueForRenewal, IssuedTokens, oauthError, requestTokens } from './oidc';

export interface ServicePrincipal {
  host: string;
  clientId: string;
  clientSecret: string;
  /** Where the credentials came from, for messages: `profile "sp"` or `DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET`. */
  origin: string;
  /** Space-separated scopes (default all-apis). */
  scopes?: string;
}

export class M2MTokenSource implements TokenSource {
  private tokens: IssuedTokens | undefined;
  private tokenEndpoint: string | undefined;
  private inFlight: Promise<IssuedTokens> | undefined;

  constructor(
    private readonly sp: ServicePrincipal,
    private readonly logger: Logger = silentLogger,
    private readonly http?: DatabricksHttpOptions,
    private readonly refreshMarginMs = 60_000,
  ) {
    registerSecret(sp.clientSecret);
  }

  async token(signal?: AbortSignal): Promise<string> {
    if (!this.tokens || dueForRenewal(this.tokens, this.refreshMarginMs)) await this.fetch(signal);
    return (this.tokens as IssuedTokens).accessToken;
  }

  async renew(signal?: AbortSignal): Promise<void> {
    await this.fetch(signal);
  }

  refusedAfterRenewal(again: DatabricksError, host: string): DatabricksError {
    return new DatabricksError({
      errorCode: again.errorCode,
      message: `${host} refused the service principal's token even after fetching a new one (${again.serverMessage}). Check that the service principal ${this.sp.clientId} (from ${this.sp.origin}) has access to this workspace.`,
      status: again.status,
      kind: 'auth',
      actions: [CHOOSE_PROFILE, OPEN_LOG],
      cause: again,
      verbatim: true,
    });
  }

  private fetch(signal?: AbortSignal): Promise<IssuedTokens> {
    this.inFlight ??= (async () => {
      try {
        const { host, clientId, clientSecret, origin } = this.sp;
        const actions = [CHOOSE_PROFILE, OPEN_LOG];
        this.tokenEndpoint ??= (await discover(host, { http: this.http, signal, actions, otherwise: 'use a personal access token' })).tokenEndpoint;
        const what = `Signing in to ${host} as service principal ${clientId}`;
        const next = await requestTokens({
          tokenEndpoint: this.tokenEndpoint,
          form: { grant_type: 'client_credentials', scope: this.sp.scopes ?? 'all-apis' },
          basic: { clientId, clientSecret },
          http: this.http,
          signal,
          what,
          actions,
          refused: (code, desc, status) =>
            oauthError(
              code,
              code === 'invalid_client' || status === 401
                ? `${host} refused the service principal's credentials (${code}: ${desc}). Check client_id and client_secret in ${origin}; an OAuth secret is valid for at most two years and can be revoked.`
                : `${what} was refused (${code}: ${desc}).`,
              actions,
              { status },
            ),
        });
        this.tokens = next;
        this.logger.info(`OAuth M2M: token for service principal ${clientId} received (expires in ${Math.round((next.expiresAt - next.obtainedAt) / 1000)} s)`);
        return next;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }
}
