// The PII guard before data leaves the machine: Upload to S3, Push and sync on save ask before
// sending a local CSV/TSV, Parquet or JSON(-lines) file whose first rows hold personal data
// (src/core/pii/fileScan.ts). A modal names the files and columns and offers to go on or cancel,
// and "Don't Ask Again for This Workspace" (kept in the workspace's state, not in settings).
// The setting `ferry.pii.guard` off (for the file's folder) skips the check.
import path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError } from '../core/errors';
import { Logger } from '../core/logger';
import { describeKinds } from '../core/pii/kinds';
import { dataFormat, FileVerdict, MAX_ROWS, scanDataFiles } from '../core/pii/fileScan';
import { count } from '../core/text';
import { ui } from './messages';
import { withCancellableProgress } from './progress';
import { SettingsService } from './settings';

/** The workspace-state key of "Don't Ask Again for This Workspace". */
export const PII_DONT_ASK_KEY = 'ferry.pii.dataWarning.off';
const DONT_ASK = "Don't Ask Again for This Workspace";

export interface DataLeaving {
  /** The button that goes on: "Upload", "Push". */
  verb: string;
  /** Where the files go, for the message ("s3://bucket/prefix/"). */
  destination: string;
}

function fileLine(v: FileVerdict, root: string | undefined): string {
  const name = root ? path.relative(root, v.file) || path.basename(v.file) : path.basename(v.file);
  const columns = v.columns.slice(0, 6).map((c) => `"${c.name}" (${describeKinds(c.kinds)})`);
  if (v.columns.length > 6) columns.push(`${v.columns.length - 6} more`);
  return `${name}: ${columns.join(', ')}`;
}

export class PiiDataWarning {
  constructor(
    private readonly settings: SettingsService,
    private readonly state: vscode.Memento,
    private readonly logger: Logger,
  ) {}

  /** Whether data files among `files` should be checked at all (guard on, not turned off here). */
  private active(files: readonly string[]): boolean {
    if (!files.some((f) => dataFormat(f))) return false;
    if (!this.settings.forResource('pii.guard', vscode.Uri.file(files[0]))) return false;
    if (this.state.get<boolean>(PII_DONT_ASK_KEY)) {
      this.logger.info('PII guard: data files not checked before sending (turned off for this workspace with "Don\'t Ask Again")');
      return false;
    }
    return true;
  }

  /** Scans the data files among `files` (with progress and Cancel); the files with personal data. */
  async scan(files: readonly string[], opts: { progress?: boolean } = {}): Promise<FileVerdict[]> {
    if (!this.active(files)) return [];
    const run = async (signal?: AbortSignal, report?: (message: string) => void) => {
      const result = await scanDataFiles(files, { signal, onFile: (f, done, total) => report?.(`${done + 1}/${total} ${path.basename(f)}`) });
      for (const f of result.failed) this.logger.warn(`PII guard: could not check ${f.file}: ${f.reason}`);
      if (result.notScanned) this.logger.warn(`PII guard: checked the first ${result.scanned} data files; ${result.notScanned} more were not checked`);
      if (signal?.aborted) throw new CancelledError();
      return result.flagged;
    };
    if (opts.progress === false) return run();
    return withCancellableProgress({ title: 'Checking files for personal data' }, (signal, progress) => run(signal, (message) => progress.report({ message })));
  }

  /**
   * Asks before `flagged` files are sent; true to go on. "Don't Ask Again for This Workspace" goes
   * on and is remembered.
   */
  async ask(flagged: readonly FileVerdict[], leaving: DataLeaving): Promise<boolean> {
    if (!flagged.length) return true;
    const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(flagged[0].file))?.uri.fsPath;
    const lines = flagged.slice(0, 8).map((v) => fileLine(v, root));
    if (flagged.length > 8) lines.push(`… and ${count(flagged.length - 8, 'more file')}`);
    const subject =
      flagged.length === 1
        ? `${path.basename(flagged[0].file)} looks like it holds personal data`
        : `${count(flagged.length, 'file')} look like they hold personal data`;
    const namesOnly = flagged.some((v) => v.namesOnly) ? ' (a large Parquet row group: by column names only)' : '';
    const detail = `${lines.join('\n')}\n\nFerry checked the first ${MAX_ROWS.toLocaleString('en-US')} rows of each file${namesOnly}. Continue to send the files as they are, or cancel and remove or mask the data first.`;
    const pick = await ui.warn(`${subject}. ${leaving.verb} to ${leaving.destination} anyway?`, { modal: true, detail }, leaving.verb, DONT_ASK);
    const names = flagged.map((v) => v.file).join(', ');
    if (pick === DONT_ASK) {
      await this.state.update(PII_DONT_ASK_KEY, true);
      this.logger.info(`PII guard: ${leaving.verb.toLowerCase()} of ${names} confirmed; will not ask again in this workspace`);
      return true;
    }
    if (pick === leaving.verb) {
      this.logger.info(`PII guard: ${leaving.verb.toLowerCase()} of ${names} confirmed despite personal data`);
      return true;
    }
    this.logger.info(`PII guard: ${leaving.verb.toLowerCase()} of ${names} cancelled (personal data)`);
    return false;
  }

  /** Scan, then ask: true to go on. */
  async confirm(files: readonly string[], leaving: DataLeaving): Promise<boolean> {
    return this.ask(await this.scan(files), leaving);
  }
}
