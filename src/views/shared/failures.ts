// How a tree answers a failure: a message node, then the ways forward its view offers for that kind
// of failure. The kind is read from the error's type and code (FailureCode, ErrorKind), never from
// its text. No editor API here; nodes.ts renders the result.
import type { NoArgCommandId } from '../../editor/commandArgs';
import { classifyError } from '../../core/errors';
import { redact } from '../../core/redact';

/** The groups of failures a view may answer differently. */
export type FailureGroup = 'notConfigured' | 'signIn' | 'denied' | 'network' | 'other';

export interface FailureAction {
  label: string;
  /** A command Ferry contributes that takes no arguments (sign in, choose a profile, open the log). */
  command: NoArgCommandId;
  /** A codicon name ('sign-in', 'account', 'output'). */
  icon: string;
}

export interface FailurePolicy {
  /** Groups answered with no nodes at all, because the view's welcome content says what to do. */
  silent?: FailureGroup[];
  /** The ways forward offered after the message, per group (none when a group is absent). */
  actions: Partial<Record<FailureGroup, FailureAction[]>>;
  /** Replaces the message's first line for a group ("Access Denied"). */
  labels?: Partial<Record<FailureGroup, string>>;
}

export interface FailureView {
  group: FailureGroup;
  /** "Error: …", one line, with what was being done when the caller names it. */
  label: string;
  /** The whole message, for the tooltip. */
  detail: string;
  actions: FailureAction[];
}

export function failureGroup(err: unknown): FailureGroup {
  const c = classifyError(err);
  if (c.failureCode === 'NOT_CONFIGURED') return 'notConfigured';
  if (c.failureCode === 'NO_CREDENTIALS' || c.failureCode === 'CREDENTIALS_REJECTED' || c.kind === 'auth' || c.kind === 'config') return 'signIn';
  if (c.failureCode === 'ACCESS_DENIED' || c.kind === 'forbidden') return 'denied';
  if (c.kind === 'network') return 'network';
  return 'other';
}

/**
 * What to show for a failure; undefined when the view stays silent (its welcome content answers).
 * `doing` names the action and the place ("s3:ListBucket on my-bucket").
 */
export function describeFailure(err: unknown, policy: FailurePolicy, doing?: string): FailureView | undefined {
  const group = failureGroup(err);
  if (policy.silent?.includes(group)) return undefined;
  const detail = redact(classifyError(err).message || 'Unexpected error');
  const first = policy.labels?.[group] ?? detail.split('\n')[0];
  return { group, label: `Error: ${first}${doing ? ` (${doing})` : ''}`, detail, actions: policy.actions[group] ?? [] };
}
