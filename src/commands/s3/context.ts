// What the S3 commands share: the service, the tree, settings, the result presenter, the log.
import * as vscode from 'vscode';
import { SettingsAwsConnectionSource } from '../../aws/awsConnection';
import { S3Service } from '../../aws/s3/s3Service';
import { TransferProgress, TransferResult } from '../../aws/s3/transfer';
import { formatBytes } from '../../aws/s3/keys';
import { CancelledError, FerryError } from '../../core/errors';
import { Logger } from '../../core/logger';
import { SettingsService } from '../../editor/settings';
import { ResultPresenter } from '../../results/model';
import { S3TreeNode } from '../../views/s3/nodes';
import { S3TreeProvider } from '../../views/s3/s3TreeProvider';
import { count } from '../../core/text';
import { ui } from '../../editor/messages';

export interface S3CommandContext {
  s3: S3Service;
  tree: S3TreeProvider;
  view?: vscode.TreeView<S3TreeNode>;
  settings: SettingsService;
  presenter: ResultPresenter;
  logger: Logger;
  connection: SettingsAwsConnectionSource;
}

/** The node a command acts on: the argument, else the tree's selection. */
export function targetNode(ctx: S3CommandContext, arg: unknown): S3TreeNode | undefined {
  if (arg && typeof arg === 'object' && 'bucket' in arg && 'key' in arg) return arg as S3TreeNode;
  return ctx.view?.selection[0];
}

export function requireNode(ctx: S3CommandContext, arg: unknown, what: string): S3TreeNode {
  const node = targetNode(ctx, arg);
  if (!node || !node.bucket) throw new FerryError('invalidInput', `Select ${what} in the S3 view first.`);
  return node;
}

/** Nodes for multi-select commands (VS Code passes (clicked, selected[])). */
export function targetNodes(ctx: S3CommandContext, arg: unknown, all: unknown): S3TreeNode[] {
  if (Array.isArray(all) && all.length) return all.filter((n): n is S3TreeNode => !!n && typeof n === 'object' && 'bucket' in n);
  const one = targetNode(ctx, arg);
  return one ? [one] : [];
}

/** Runs a transfer with a cancellable notification; the AbortSignal reaches every request. */
export function withTransferProgress(title: string, work: (signal: AbortSignal, report: (p: TransferProgress) => void) => Promise<TransferResult>): Thenable<TransferResult> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    let lastPct = 0;
    let lastReport = 0;
    try {
      return await work(controller.signal, (p) => {
        const now = Date.now();
        if (now - lastReport < 200 && p.filesDone < p.filesTotal) return;
        lastReport = now;
        const pct = p.bytesTotal ? (p.bytesDone / p.bytesTotal) * 100 : 0;
        progress.report({ increment: Math.max(0, pct - lastPct), message: `${p.filesDone}/${p.filesTotal} files · ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}` });
        lastPct = pct;
      });
    } finally {
      sub.dispose();
    }
  });
}

/** Says what happened: done, refused (traversal), failed; throws a cancellation when cancelled. */
export async function reportTransfer(ctx: S3CommandContext, verb: string, result: TransferResult): Promise<void> {
  for (const r of result.refused) ctx.logger.warn(`${verb}: refused ${JSON.stringify(r.name)}: ${r.reason}`);
  for (const f of result.failed) ctx.logger.error(`${verb}: failed ${JSON.stringify(f.name)}: ${f.reason}`);
  for (const k of result.skipped) ctx.logger.info(`${verb}: kept the local file for ${JSON.stringify(k.name)}`);
  if (result.cancelled) {
    void ui.warn(`${verb} cancelled after ${count(result.done.length, 'file')}; unfinished multipart uploads were aborted.`);
    throw new CancelledError();
  }
  const problems = result.refused.length + result.failed.length;
  const kept = result.skipped.length ? `, ${result.skipped.length} kept (the local file was already there)` : '';
  if (!problems) {
    void ui.info(`${verb}: ${count(result.done.length, 'file')} done${kept}.`);
    return;
  }
  const parts = [`${verb}: ${result.done.length} done${kept}`];
  if (result.refused.length) parts.push(`${result.refused.length} refused (unsafe local names, e.g. ${JSON.stringify(result.refused[0].name)}: ${result.refused[0].reason})`);
  if (result.failed.length) parts.push(`${result.failed.length} failed (${result.failed[0].reason})`);
  const choice = await ui.warn(parts.join(', '), 'Show Log');
  if (choice) await vscode.commands.executeCommand('ferry.showLog');
}
