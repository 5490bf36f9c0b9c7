// One vocabulary of failures for every command. Services throw what they throw; classifyError()
// turns it into something a user can act on: a plain message and, where there is a way forward,
// an action that runs a Ferry command (Sign in, Start cluster, Open log).
import type { ErrorAction } from './commandContract';
import { describeNetworkFailure } from './network/failures';
import { redact } from './redact';

export type ErrorKind =
  | 'cancelled'
  | 'auth'
  | 'forbidden'
  | 'notFound'
  | 'throttled'
  | 'network'
  | 'config'
  | 'clusterNotRunning'
  /** A command that had started was cut off (session lost, contact lost): it may have partly run. */
  | 'sessionLost'
  | 'invalidInput'
  | 'conflict'
  | 'unknown';

/**
 * Failures that views and commands answer in a way of their own ("Sign in…", the welcome view),
 * marked by whoever raises them, so that nobody has to recognise them by their message text.
 */
export type FailureCode =
  /** Nothing is configured at all: the view's welcome content is the way forward. */
  | 'NOT_CONFIGURED'
  /** No credentials could be found or loaded (no profile, no token, an SSO session to renew). */
  | 'NO_CREDENTIALS'
  /** The service refused the credentials (expired, revoked, wrong signature). */
  | 'CREDENTIALS_REJECTED'
  /** The caller is known but may not do this. */
  | 'ACCESS_DENIED';

export type { ErrorAction };

export class FerryError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly actions: ErrorAction[] = [],
    readonly detail?: string,
    options?: { cause?: unknown; failureCode?: FailureCode },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FerryError';
    this.failureCode = options?.failureCode;
  }

  /** What views and commands recognise this failure by (not its text). */
  readonly failureCode?: FailureCode;
}

export class CancelledError extends FerryError {
  constructor(message = 'Cancelled') {
    super('cancelled', message);
    this.name = 'CancelledError';
  }
}

export function isCancellation(err: unknown): boolean {
  if (err instanceof FerryError) return err.kind === 'cancelled';
  if (!err || typeof err !== 'object') return false;
  const e = err as { name?: string; code?: string };
  return e.name === 'AbortError' || e.name === 'CanceledError' || e.code === 'ERR_CANCELED' || e.code === 'ABORT_ERR';
}

export interface ClassifiedError {
  kind: ErrorKind;
  message: string;
  actions: ErrorAction[];
  failureCode?: FailureCode;
}

const OPEN_LOG: ErrorAction = { title: 'Open Log', command: 'ferry.showLog' };

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

/** The SDK's error types for credentials it could not find or load (before any request was sent). */
const AWS_NO_CREDENTIALS = new Set(['CredentialsProviderError', 'TokenProviderError']);
/** The services' error codes for credentials they refused. */
const AWS_AUTH = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  ...AWS_NO_CREDENTIALS,
]);
const AWS_THROTTLE = new Set(['ThrottlingException', 'TooManyRequestsException', 'SlowDown', 'RequestLimitExceeded', 'Throttling']);

function field(err: unknown, name: string): unknown {
  return err && typeof err === 'object' ? (err as Record<string, unknown>)[name] : undefined;
}

const CUT = /^(aborted|socket hang up|premature close|other side closed|terminated)$/i;

/**
 * An answer that never arrived whole, or that a proxy gave instead of the service: the SDK's own
 * words for these ("aborted", "UnknownError", "Deserialization error: to see the raw response,
 * inspect the hidden field…", an XML parser's complaint about <hr>) tell a user nothing.
 */
function unreadableAnswer(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as {
    name?: string;
    message?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: { statusCode?: number; headers?: Record<string, string> };
    cause?: { code?: string };
  };
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const contentType = String(e.$response?.headers?.['content-type'] ?? '');
  const firstLine = String(e.message ?? '')
    .split('\n')[0]
    .trim();
  const deserialization = /Deserialization error/.test(String(e.message ?? ''));
  const code = e.code ?? e.cause?.code ?? '';
  if (status !== undefined && status >= 400 && (/html/i.test(contentType) || (deserialization && /parse error|<html|<!doctype/i.test(String(e.message))))) {
    return `A proxy or gateway answered instead of the service (HTTP ${status}, a web page rather than the service's answer). Try again; if it keeps happening, check the proxy settings (http.proxy) or ask whoever runs the proxy.`;
  }
  if (CUT.test(firstLine) || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (deserialization && (status === undefined || status < 300))) {
    return `The connection was cut before the answer was complete${status ? ` (HTTP ${status})` : ''}. Try again; if it keeps happening, check your connection and any proxy in between.`;
  }
  if (status !== undefined && status >= 400 && (e.name === 'UnknownError' || firstLine === 'UnknownError' || firstLine === '' || /^\d{3}$/.test(firstLine))) {
    return `The service answered HTTP ${status} without saying why (a proxy or gateway may be in the way). Try again; if it keeps happening, open the log.`;
  }
  return undefined;
}

/** What a user is shown for a failure; the message is redacted (it goes to toasts, trees and notebook cells). */
export function classifyError(err: unknown): ClassifiedError {
  const c = classify(err);
  return { ...c, message: redact(c.message) };
}

function classify(err: unknown): ClassifiedError {
  if (isCancellation(err)) return { kind: 'cancelled', message: 'Cancelled', actions: [] };
  if (err instanceof FerryError)
    return {
      kind: err.kind,
      message: err.message,
      actions: err.actions.length ? err.actions : [OPEN_LOG],
      failureCode: err.failureCode ?? codeForKind(err.kind),
    };
  // Proxy and TLS failures first: their codes (ECONNREFUSED from a proxy, SELF_SIGNED_CERT_IN_CHAIN) mean nothing to a user.
  const net = describeNetworkFailure(err);
  if (net) return { kind: net.kind, message: net.message, actions: [...net.actions, OPEN_LOG] };
  const unreadable = unreadableAnswer(err);
  if (unreadable) return { kind: 'network', message: unreadable, actions: [OPEN_LOG] };
  const message = err instanceof Error ? err.message : String(err);
  const name = String(field(err, 'name') ?? '');
  const code = String(field(err, 'code') ?? field(field(err, 'cause'), 'code') ?? '');
  if (AWS_AUTH.has(name)) {
    const found = !AWS_NO_CREDENTIALS.has(name);
    const text = found ? `AWS rejected the credentials (${name}): ${message}` : `No usable AWS credentials (${name}): ${message}`;
    return {
      kind: 'auth',
      message: text,
      actions: [{ title: 'Choose Profile', command: 'ferry.aws.selectProfile' }],
      failureCode: found ? 'CREDENTIALS_REJECTED' : 'NO_CREDENTIALS',
    };
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || name === 'Forbidden') {
    return {
      kind: 'forbidden',
      message: `Access denied: ${message}`,
      actions: [{ title: 'Choose Profile', command: 'ferry.aws.selectProfile' }],
      failureCode: 'ACCESS_DENIED',
    };
  }
  if (AWS_THROTTLE.has(name)) return { kind: 'throttled', message: `The service is throttling requests; try again shortly. (${message})`, actions: [] };
  if (NETWORK_CODES.has(code))
    return {
      kind: 'network',
      message: `Network error (${code}): ${message.split('\n')[0]}. Check the host or endpoint setting and your connection.`,
      actions: [OPEN_LOG],
    };
  return { kind: 'unknown', message: message.split('\n')[0] || 'Unexpected error', actions: [OPEN_LOG] };
}

function codeForKind(kind: ErrorKind): FailureCode | undefined {
  if (kind === 'auth') return 'CREDENTIALS_REJECTED';
  if (kind === 'forbidden') return 'ACCESS_DENIED';
  return undefined;
}
