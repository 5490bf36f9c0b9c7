// One vocabulary of failures for every command. Services throw what they throw; classifyError()
// turns it into something a user can act on: a plain message and, where there is a way forward,
// an action that runs a Ferry command (Sign in, Start cluster, Open log).
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

export interface ErrorAction {
  title: string;
  command: string;
  args?: unknown[];
}

export class FerryError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly actions: ErrorAction[] = [],
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FerryError';
  }
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
}

const OPEN_LOG: ErrorAction = { title: 'Open Log', command: 'ferry.showLog' };

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);

const AWS_AUTH = new Set(['ExpiredToken', 'ExpiredTokenException', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'UnrecognizedClientException', 'InvalidClientTokenId', 'CredentialsProviderError', 'TokenProviderError', 'InvalidSignatureException']);
const AWS_THROTTLE = new Set(['ThrottlingException', 'TooManyRequestsException', 'SlowDown', 'RequestLimitExceeded', 'Throttling']);

function field(err: unknown, name: string): unknown {
  return err && typeof err === 'object' ? (err as Record<string, unknown>)[name] : undefined;
}

/** What a user is shown for a failure; the message is redacted (it goes to toasts, trees and notebook cells). */
export function classifyError(err: unknown): ClassifiedError {
  const c = classify(err);
  return { ...c, message: redact(c.message) };
}

function classify(err: unknown): ClassifiedError {
  if (isCancellation(err)) return { kind: 'cancelled', message: 'Cancelled', actions: [] };
  if (err instanceof FerryError) return { kind: err.kind, message: err.message, actions: err.actions.length ? err.actions : [OPEN_LOG] };
  // Proxy and TLS failures first: their codes (ECONNREFUSED from a proxy, SELF_SIGNED_CERT_IN_CHAIN) mean nothing to a user.
  const net = describeNetworkFailure(err);
  if (net) return { kind: net.kind, message: net.message, actions: [...net.actions, OPEN_LOG] };
  const message = err instanceof Error ? err.message : String(err);
  const name = String(field(err, 'name') ?? '');
  const code = String(field(err, 'code') ?? field(field(err, 'cause'), 'code') ?? '');
  if (AWS_AUTH.has(name)) {
    return { kind: 'auth', message: `AWS rejected the credentials (${name}): ${message}`, actions: [{ title: 'Choose Profile', command: 'ferry.aws.selectProfile' }] };
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || name === 'Forbidden') {
    return { kind: 'forbidden', message: `Access denied: ${message}`, actions: [{ title: 'Choose Profile', command: 'ferry.aws.selectProfile' }] };
  }
  if (AWS_THROTTLE.has(name)) return { kind: 'throttled', message: `The service is throttling requests; try again shortly. (${message})`, actions: [] };
  if (NETWORK_CODES.has(code)) return { kind: 'network', message: `Network error (${code}): ${message}. Check the host or endpoint setting and your connection.`, actions: [OPEN_LOG] };
  return { kind: 'unknown', message: message.split('\n')[0] || 'Unexpected error', actions: [OPEN_LOG] };
}
