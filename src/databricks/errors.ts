// Databricks failures as one typed error. It extends FerryError so the one command wrapper gives
// the user a plain message and a way forward (Sign In, Choose Profile, Open Log) without knowing
// anything about Databricks.
import { ErrorAction, ErrorKind, FailureCode, FerryError } from '../core/errors';
import { htmlToText } from '../core/traceback';

export const SIGN_IN: ErrorAction = { title: 'Sign In', command: 'ferry.databricks.signIn' };
export const CHOOSE_PROFILE: ErrorAction = { title: 'Choose Profile', command: 'ferry.databricks.selectProfile' };
export const OPEN_LOG: ErrorAction = { title: 'Open Log', command: 'ferry.showLog' };
export const SIGN_IN_BROWSER: ErrorAction = { title: 'Sign In with Browser', command: 'ferry.databricks.signInWithBrowser' };

/** The canonical error code for an HTTP status (used when the body carries none, or a number). */
const CANONICAL: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'RESOURCE_CONFLICT',
  429: 'TOO_MANY_REQUESTS',
  499: 'CANCELLED',
  500: 'INTERNAL_ERROR',
  501: 'NOT_IMPLEMENTED',
  503: 'TEMPORARILY_UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function canonicalCode(status: number): string {
  return CANONICAL[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : status >= 400 ? 'BAD_REQUEST' : 'UNKNOWN');
}

export function isInvalidToken(status: number, message: string): boolean {
  return status === 401 || (status === 403 && /invalid access token|token.*(expired|invalid)|expired.*token/i.test(message));
}

function kindFor(status: number, errorCode: string, message: string): ErrorKind {
  if (isInvalidToken(status, message) || errorCode === 'UNAUTHENTICATED') return 'auth';
  if (status === 403 || errorCode === 'PERMISSION_DENIED') return 'forbidden';
  if (status === 429) return 'throttled';
  if (status === 404 || errorCode === 'RESOURCE_DOES_NOT_EXIST' || / does not exist|doesn't exist/i.test(message)) return 'notFound';
  if (errorCode === 'INVALID_STATE') return 'conflict';
  if (status === 409 || errorCode === 'RESOURCE_ALREADY_EXISTS') return 'conflict';
  if (status === 400) return 'invalidInput';
  if (status === 0) return 'network';
  return 'unknown';
}

function friendlyMessage(kind: ErrorKind, status: number, message: string, host?: string): string {
  const where = host ? ` (${host})` : '';
  switch (kind) {
    case 'auth':
      return `Databricks rejected the token${where}: ${message}. The token may be expired or revoked; sign in again with a new personal access token.`;
    case 'forbidden':
      return `Databricks denied access${where}: ${message}`;
    case 'throttled':
      return `Databricks is throttling requests${where}; try again shortly. (${message})`;
    default:
      return status ? `Databricks: ${message}` : message;
  }
}

export class DatabricksError extends FerryError {
  /** The error code from the body (`INVALID_STATE`), or the canonical code for the HTTP status. */
  readonly errorCode: string;
  /** The HTTP status (0 for a network failure or an answer that was not from a workspace). */
  readonly status: number;
  /** The server's own message, without the friendly framing. */
  readonly serverMessage: string;
  /** Retry-After from the response, in milliseconds. */
  readonly retryAfterMs?: number;

  constructor(init: {
    errorCode: string;
    message: string;
    status: number;
    host?: string;
    retryAfterMs?: number;
    kind?: ErrorKind;
    actions?: ErrorAction[];
    cause?: unknown;
    verbatim?: boolean;
    failureCode?: FailureCode;
  }) {
    const kind = init.kind ?? kindFor(init.status, init.errorCode, init.message);
    const actions = init.actions ?? (kind === 'auth' ? [SIGN_IN, CHOOSE_PROFILE] : kind === 'forbidden' ? [CHOOSE_PROFILE] : [OPEN_LOG]);
    // verbatim: the message is already written for the user (OAuth sign-in), no PAT framing.
    super(kind, init.verbatim ? init.message : friendlyMessage(kind, init.status, init.message, init.host), actions, undefined, {
      cause: init.cause,
      failureCode: init.failureCode,
    });
    this.name = 'DatabricksError';
    this.errorCode = init.errorCode;
    this.status = init.status;
    this.serverMessage = init.message;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * Reads an error body in any of the shapes Databricks uses: `{error_code, message}` (code may be a
 * number, as for an invalid token), API 1.2's `{error}`, SCIM's `{detail}`, `CODE: message` text,
 * or an HTML page with the message in `<pre>`.
 */
export function parseErrorBody(status: number, body: string, reasonPhrase?: string): { errorCode: string; message: string } {
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      const message =
        typeof json.message === 'string'
          ? json.message
          : typeof json.error === 'string'
            ? json.error
            : typeof json.detail === 'string'
              ? json.detail
              : undefined;
      const code = typeof json.error_code === 'string' && json.error_code ? json.error_code : canonicalCode(status);
      if (message !== undefined) return { errorCode: code, message };
      if (typeof json.error_code === 'string') return { errorCode: code, message: reasonPhrase || json.error_code };
    } catch {
      // fall through to the text forms
    }
  }
  const pre = /<pre>([\s\S]*?)<\/pre>/i.exec(text);
  if (pre) return { errorCode: canonicalCode(status), message: htmlToText(pre[1]) };
  const coded = /^([A-Z][A-Z_]+):\s+(.+)$/s.exec(text);
  if (coded) return { errorCode: coded[1], message: coded[2].trim() };
  if (/^<!doctype html|^<html/i.test(text)) {
    const title = /<title>([\s\S]*?)<\/title>/i.exec(text);
    return { errorCode: canonicalCode(status), message: reasonPhrase || (title ? htmlToText(title[1]) : `HTTP ${status}`) };
  }
  return { errorCode: canonicalCode(status), message: reasonPhrase || text.split('\n')[0].slice(0, 300) || `HTTP ${status}` };
}
