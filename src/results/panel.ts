// One result panel: a webview bound to a ResultSession. The host owns the data; the webview asks
// for windows of rows, sort, filter, export and file opens by message, and every message is
// checked (parseWebviewMessage) before the host acts.
import path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomically } from '../core/atomicFile';
import type { Logger } from '../core/logger';
import { newNonce, viewerHtml } from './html';
import { frameTarget } from './links';
import type { ResultCell } from './model';
import { ExportFormat, HostMessage, MAX_COPY_ROWS, parseWebviewMessage, WebviewMessage } from './protocol';
import { exportTableToFile } from './exportFile';
import { redactHostMessage } from './redactMessage';
import { tsv } from './serialize';
import { ResultSession } from './session';
import { ui } from '../editor/messages';
import { withCancellableProgress } from '../editor/progress';
import { encodeColumn } from './wire';

export const VIEW_TYPE = 'ferry.results';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  logger: Logger;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webviews')],
  };
}

export class ResultPanel implements vscode.Disposable {
  private ready = false;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private stateTimer: NodeJS.Timeout | undefined;
  private lastStatePost = 0;
  private readonly watched = new WeakSet<object>();
  /** Chart exports asked for by a command with a target path, by token. */
  readonly chartTargets = new Map<number, vscode.Uri>();
  readonly onDispose = new vscode.EventEmitter<void>();
  /** CSP violations the webview reported (the security tests read this). */
  cspViolations = 0;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly session: ResultSession,
    private readonly deps: PanelDeps,
  ) {
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState((e) => {
        // A hidden webview is torn down (no retainContextWhenHidden); it says ready again.
        if (!e.webviewPanel.visible) this.ready = false;
      }),
      this.onDispose,
    );
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private html(): string {
    const webview = this.panel.webview;
    const base = vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webviews');
    return viewerHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(base, 'main.js')).toString(),
      assetBase: `${webview.asWebviewUri(base).toString()}/`,
      nonce: newNonce(),
    });
  }

  /**
   * Sends the panel's state soon (coalesces bursts of appended outputs). Output that streams in
   * while a run prints is sent at most four times a second, however fast it comes.
   */
  update(streaming = false): void {
    if (this.disposed) return;
    this.panel.title = this.title();
    if (this.stateTimer) return;
    const wait = streaming ? Math.max(15, this.lastStatePost + 250 - Date.now()) : 15;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      this.lastStatePost = Date.now();
      this.post({ type: 'state', view: this.session.view() });
    }, wait);
    // A big table is converted to columns in the background: say so when it is done.
    for (const store of this.session.loadingTables()) {
      if (this.watched.has(store)) continue;
      this.watched.add(store);
      void store.ready.then(() => this.update());
    }
  }

  private title(): string {
    const view = this.session.view();
    const latest = view.runs[view.runs.length - 1];
    return latest ? `Results: ${latest.title}` : 'Results';
  }

  post(message: HostMessage): void {
    if (this.disposed || !this.ready) return;
    void this.panel.webview.postMessage(redactHostMessage(message));
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      this.deps.logger.warn('Result viewer: ignored a malformed message');
      return;
    }
    try {
      await this.handle(msg);
    } catch (err) {
      this.deps.logger.error(`Result viewer: ${msg.type} failed`, err);
      this.post({ type: 'notice', level: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }

  private async handle(msg: WebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'state', view: this.session.view() });
        return;
      case 'getRows': {
        const store = this.session.table(msg.outputId);
        if (!store) return;
        const version = store.version;
        const columns = await store.getColumns(msg.start, msg.count);
        const count = columns[0]?.length ?? 0;
        // Masked here, on the host: a masked value never reaches the webview until revealed.
        const shown = this.session.shownWindow(msg.outputId, columns);
        this.post({
          type: 'rows',
          requestId: msg.requestId,
          outputId: msg.outputId,
          version,
          mask: shown.mask,
          start: msg.start,
          count,
          columns: shown.columns.map(encodeColumn),
          rowCount: store.rowCount(),
        });
        // This window flagged a column (personal data deep in the result): the header says so.
        if (shown.changed) this.update();
        return;
      }
      case 'sort': {
        const store = this.session.table(msg.outputId);
        if (!store?.sortable) return;
        await this.reorder(store.setSort(msg.sort));
        return;
      }
      case 'filter': {
        const store = this.session.table(msg.outputId);
        if (!store?.sortable) return;
        await this.reorder(store.setFilter(msg.text.slice(0, 1000)));
        return;
      }
      case 'export':
        // A cancelled export is no error to show.
        await this.exportTable(msg.outputId, msg.format).catch((err: unknown) => {
          if ((err as { name?: string })?.name !== 'AbortError') throw err;
        });
        return;
      case 'copy': {
        const store = this.session.table(msg.outputId);
        if (!store) return;
        const end = Math.min(msg.rowEnd, msg.rowStart + MAX_COPY_ROWS - 1);
        const rows = this.session
          .shownRows(msg.outputId, await store.getRows(msg.rowStart, end - msg.rowStart + 1))
          .map((r) => r.slice(msg.colStart, msg.colEnd + 1));
        const columns = msg.withHeader ? store.columns.slice(msg.colStart, msg.colEnd + 1) : undefined;
        await vscode.env.clipboard.writeText(tsv(columns, rows));
        return;
      }
      case 'chartData': {
        const store = this.session.table(msg.outputId);
        if (!store) return;
        const { rows: real, sampled } = await store.sample(msg.limit);
        const rows = this.session.shownRows(msg.outputId, real);
        const values = rows.map((row) => Object.fromEntries(store.columns.map((c, j) => [c.name, row[j] ?? null])));
        this.post({ type: 'chartData', requestId: msg.requestId, outputId: msg.outputId, values, sampled });
        return;
      }
      case 'exportChart':
        await this.saveChart(msg.format, msg.data, msg.token);
        return;
      case 'openFrame':
        await this.openFrame(msg.outputId, msg.frame);
        return;
      case 'openText': {
        const text = this.session.textOutput(msg.outputId);
        if (text === undefined) throw new Error('That output is no longer held; run it again to see it.');
        const doc = await vscode.workspace.openTextDocument({ content: text, language: 'log' });
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
        return;
      }
      case 'cancel':
        if (this.session.cancel(msg.runId)) this.update();
        return;
      case 'openFact': {
        const link = this.session.factLink(msg.runId, msg.fact);
        if (!link) throw new Error('That result is no longer held; run it again to follow its link.');
        // Only Ferry's own commands: a fact's link is built by Ferry, never by what a run printed.
        if (!link.command.startsWith('ferry.')) throw new Error(`Not running ${link.command}: a result links only to Ferry commands.`);
        await vscode.commands.executeCommand(link.command, ...(link.args ?? []));
        return;
      }
      case 'cspViolation':
        this.cspViolations++;
        this.deps.logger.warn(`Result viewer: the content security policy blocked ${msg.directive.slice(0, 100)}`);
        return;
      case 'revealColumn': {
        const store = this.session.table(msg.outputId);
        if (!store || !this.session.revealColumn(msg.outputId, msg.column, msg.reveal)) return;
        this.deps.logger.info(
          `PII guard: ${msg.reveal ? 'revealed' : 'masked again'} column ${JSON.stringify(store.columns[msg.column]?.name ?? '')} of "${this.title()}"`,
        );
        // The filter skips masked columns: what it searches just changed.
        if (store.sortable && store.filter.trim()) await this.reorder(store.setFilter(store.filter));
        else this.update();
        return;
      }
      case 'revealOutput':
        if (!this.session.revealOutput(msg.outputId, msg.reveal)) return;
        this.deps.logger.info(`PII guard: ${msg.reveal ? 'revealed' : 'masked again'} an output of "${this.title()}"`);
        this.update();
        return;
    }
  }

  /** The guard was switched on or off for this workspace. */
  setPiiGuard(on: boolean): void {
    if (this.session.setPiiGuard(on)) this.update();
  }

  /**
   * Sends the table's busy state at once, then the new order once the worker has it (nothing when
   * a later sort or filter superseded it).
   */
  private async reorder(done: Promise<boolean>): Promise<void> {
    this.update();
    try {
      if (await done) this.update();
    } catch (err) {
      this.update();
      throw err;
    }
  }

  /**
   * Writes the whole table (current sort and filter) as CSV or JSON; asks where unless told. With
   * columns masked, asks first whether to write the masked or the real values (unless told).
   */
  async exportTable(outputId: string, format: ExportFormat, target?: vscode.Uri, values?: ExportValues): Promise<vscode.Uri | undefined> {
    const store = this.session.table(outputId);
    if (!store) throw new Error('That result is no longer held; run it again to export it.');
    const masked = this.session.maskedColumns(outputId);
    if (masked.length && !values) {
      values = await askExportValues(masked);
      if (!values) return undefined;
    }
    const shown = (rows: ResultCell[][]) => (values === 'masked' ? this.session.shownRows(outputId, rows) : rows);
    target ??= await vscode.window.showSaveDialog({
      title: `Export result as ${format.toUpperCase()}`,
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      defaultUri: defaultUri(`result.${format}`),
    });
    if (!target) return undefined;
    const file = target;
    // The masked export maps each chunk through the guard as it streams: real values never sit in a masked file.
    const table = {
      columns: store.columns,
      allRows: async function* (signal?: AbortSignal) {
        for await (const real of store.allRows(signal)) yield shown(real);
      },
    };
    const rows = await withCancellableProgress({ title: `Exporting to ${path.basename(file.fsPath)}` }, (signal) =>
      exportTableToFile(table, format, file.fsPath, signal),
    );
    this.deps.logger.info(`Exported ${rows} rows as ${format.toUpperCase()}${values ? ` (${values} values)` : ''} to ${target.fsPath}`);
    return target;
  }

  private async saveChart(format: 'png' | 'svg', data: string, token: number): Promise<void> {
    let target = this.chartTargets.get(token);
    this.chartTargets.delete(token);
    target ??= await vscode.window.showSaveDialog({
      title: `Export chart as ${format.toUpperCase()}`,
      filters: { [format.toUpperCase()]: [format] },
      defaultUri: defaultUri(`chart.${format}`),
    });
    if (!target) return;
    let bytes: Buffer;
    if (format === 'png') {
      const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(data);
      if (!m) throw new Error('The chart did not render as PNG');
      bytes = Buffer.from(m[1], 'base64');
    } else {
      if (!/^\s*<svg[\s>]/.test(data)) throw new Error('The chart did not render as SVG');
      bytes = Buffer.from(data, 'utf8');
    }
    // The same file writing as exportTable: beside the target, renamed when complete.
    if (target.scheme !== 'file') throw new Error(`Charts are saved to local files; ${target.scheme}: is not one.`);
    await writeFileAtomically(target.fsPath, [bytes]);
    this.deps.logger.info(`Exported the chart as ${format.toUpperCase()} to ${target.fsPath}`);
  }

  private async openFrame(outputId: string, index: number): Promise<void> {
    const error = this.session.errorOutput(outputId);
    const frame = error?.frames[index];
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const target = frameTarget(frame?.localUri, folders);
    if ('reason' in target) {
      this.deps.logger.warn(`Result viewer: not opening a frame: ${target.reason}`);
      void ui.warn(target.reason);
      return;
    }
    const line = Math.max(0, (frame?.line ?? 1) - 1);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(target.file));
    const position = new vscode.Position(Math.min(line, Math.max(0, doc.lineCount - 1)), 0);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
  }

  reveal(): void {
    this.panel.reveal(this.panel.viewColumn, true);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.stateTimer) clearTimeout(this.stateTimer);
    this.onDispose.fire();
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Whether an export writes the values as the viewer shows them, or the real ones. */
export type ExportValues = 'masked' | 'real';

async function askExportValues(masked: string[]): Promise<ExportValues | undefined> {
  const asMasked: string = 'Export Masked Values';
  const asReal: string = 'Export Real Values';
  const names =
    masked
      .slice(0, 5)
      .map((n) => `"${n}"`)
      .join(', ') + (masked.length > 5 ? ` and ${masked.length - 5} more` : '');
  const pick = await ui.warn(
    `This result has personal data in ${masked.length === 1 ? 'column' : 'columns'} ${names}. Export the masked values, as the viewer shows them, or the real values?`,
    {
      modal: true,
      detail: 'Masked values cannot be turned back into real ones. Real values are written to the file as they are: keep it where personal data may be kept.',
    },
    asMasked,
    asReal,
  );
  return pick === asMasked ? 'masked' : pick === asReal ? 'real' : undefined;
}

function defaultUri(name: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, name) : undefined;
}
