// What the S3 commands share: the service, the tree, settings, the result presenter, the log.
import * as vscode from 'vscode';
import { SettingsAwsConnectionSource } from '../../aws/awsConnection';
import { S3Service } from '../../aws/s3/s3Service';
import { TransferProgress, TransferResult } from '../../aws/s3/transfer';
import { formatBytes } from '../../aws/s3/keys';
import { CancelledError, FerryError } from '../../core/errors';
import { Logger } from '../../core/logger';
import { PiiDataWarning } from '../../editor/piiWarning';
import { SettingsService } from '../../editor/settings';
import { ResultPresenter } from '../../results/model';
import { isS3Item, S3ItemNode, S3TreeNode } from '../../views/s3/nodes';
import { S3TreeProvider } from '../../views/s3/s3TreeProvider';
import { count } from '../../core/text';
import { ui } from '../../editor/messages';
import { withCancellableProgress } from '../../editor/progress';
import { runFerryCommand } from '../../editor/commandArgs';

export interface S3CommandContext {
  s3: S3Service;
  tree: S3TreeProvider;
  view?: vscode.TreeView<S3TreeNode>;
  settings: SettingsService;
  presenter: ResultPresenter;
  logger: Logger;
  connection: SettingsAwsConnectionSource;
  /** Asks before a local file with personal data is uploaded (the PII guard). */
  piiWarning: PiiDataWarning;
}

/** The node a command acts on: the argument, else the tree's selection. */
export function targetNode(ctx: S3CommandContext, arg: unknown): S3ItemNode | undefined {
  if (isS3Item(arg)) return arg;
  const selected = ctx.view?.selection[0];
  return isS3Item(selected) ? selected : undefined;
}

export function requireNode(ctx: S3CommandContext, arg: unknown, what: string): S3ItemNode {
  const node = targetNode(ctx, arg);
  if (!node || !node.bucket) throw new FerryError('invalidInput', `Select ${what} in the S3 view first.`);
  return node;
}

/** Nodes for multi-select commands (VS Code passes (clicked, selected[])). */
export function targetNodes(ctx: S3CommandContext, arg: unknown, all: unknown): S3ItemNode[] {
  if (Array.isArray(all) && all.length) return all.filter(isS3Item);
  const one = targetNode(ctx, arg);
  return one ? [one] : [];
}

/** Runs a transfer with a cancellable notification; the AbortSignal reaches every request. */
export function withTransferProgress<R extends TransferResult>(
  title: string,
  work: (signal: AbortSignal, report: (p: TransferProgress) => void) => Promise<R>,
): Thenable<R> {
  return withCancellableProgress({ title }, async (signal, progress) => {
    let lastPct = 0;
    let lastReport = 0;
    return work(signal, (p) => {
      const now = Date.now();
      if (now - lastReport < 200 && p.filesDone < p.filesTotal) return;
      lastReport = now;
      const pct = p.bytesTotal ? (p.bytesDone / p.bytesTotal) * 100 : 0;
      progress.report({
        increment: Math.max(0, pct - lastPct),
        message: `${p.filesDone}/${p.filesTotal} files · ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`,
      });
      lastPct = pct;
    });
  });
}

/** Says what happened: done, refused (traversal), failed; throws a cancellation when cancelled. */
export async function reportTransfer(
  ctx: { logger: Logger },
  verb: string,
  result: TransferResult,
  cancelNote = 'unfinished multipart uploads were aborted',
): Promise<void> {
  for (const r of result.refused) ctx.logger.warn(`${verb}: refused ${JSON.stringify(r.name)}: ${r.reason}`);
  for (const f of result.failed) ctx.logger.error(`${verb}: failed ${JSON.stringify(f.name)}: ${f.reason}`);
  for (const k of result.skipped) ctx.logger.info(`${verb}: kept the local file for ${JSON.stringify(k.name)}`);
  if (result.cancelled) {
    void ui.warn(`${verb} cancelled after ${count(result.done.length, 'file')}; ${cancelNote}.`);
    throw new CancelledError();
  }
  const problems = result.refused.length + result.failed.length;
  const kept = result.skipped.length ? `, ${result.skipped.length} kept (the local file was already there)` : '';
  if (!problems) {
    void ui.info(`${verb}: ${count(result.done.length, 'file')} done${kept}.`);
    return;
  }
  const parts = [`${verb}: ${result.done.length} done${kept}`];
  if (result.refused.length)
    parts.push(`${result.refused.length} refused (unsafe local names, e.g. ${JSON.stringify(result.refused[0].name)}: ${result.refused[0].reason})`);
  if (result.failed.length) parts.push(`${result.failed.length} failed (${result.failed[0].reason})`);
  const choice = await ui.warn(parts.join(', '), 'Show Log');
  if (choice) await runFerryCommand('ferry.showLog');
}
