// The result viewer's presenter: one panel per source (`athena`, `databricks:run`, `s3:preview`),
// each keeping a history of its last runs. A new run of the same source lands in the same panel
// (shown on top, earlier runs one click away) instead of piling up tabs or wiping the previous
// result, which is what users of query consoles and notebook outputs expect.
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import type { ResultHandle, ResultPresenter, ResultRequest } from './model';
import { ResultPanel, VIEW_TYPE, webviewOptions } from './panel';
import { ResultSession } from './session';

export const REVIVED_NOTICE =
  'This panel was restored after the window reloaded. Its results were held in memory by the previous window and are gone: run the query or cell again to see them.';

export class ResultPanelManager implements ResultPresenter, vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, ResultPanel>();
  private lastActive: ResultPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly logger: Logger,
    /** Whether the PII guard is on for this workspace (`ferry.pii.guard`). */
    private readonly piiGuard: () => boolean = () => true,
  ) {}

  /** The guard was switched: every panel masks (or shows) again. */
  setPiiGuard(on: boolean): void {
    for (const panel of this.panels.values()) panel.setPiiGuard(on);
  }

  show(request: ResultRequest): ResultHandle {
    let panel = this.panels.get(request.source);
    if (!panel || panel.isDisposed) {
      const webviewPanel = vscode.window.createWebviewPanel(
        VIEW_TYPE,
        'Results',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        webviewOptions(this.extensionUri),
      );
      panel = this.adopt(webviewPanel, new ResultSession(request.source, {}, { piiGuard: this.piiGuard() }));
    } else {
      panel.session.notice = undefined;
      panel.reveal();
    }
    const target = panel;
    const runId = target.session.addRun(request);
    this.lastActive = target;
    target.update();
    return {
      append: (output) => {
        target.session.append(runId, output);
        target.update();
      },
      appendText: (chunk) => {
        target.session.appendText(runId, chunk);
        target.update(true);
      },
      setFacts: (facts) => {
        target.session.setFacts(runId, facts);
        target.update();
      },
      finish: (state) => {
        target.session.finish(runId, state);
        target.update();
      },
    };
  }

  private adopt(webviewPanel: vscode.WebviewPanel, session: ResultSession): ResultPanel {
    const panel = new ResultPanel(webviewPanel, session, { extensionUri: this.extensionUri, logger: this.logger });
    this.panels.set(session.source, panel);
    webviewPanel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.lastActive = panel;
    });
    panel.onDispose.event(() => {
      if (this.panels.get(session.source) === panel) this.panels.delete(session.source);
      if (this.lastActive === panel) this.lastActive = undefined;
    });
    return panel;
  }

  /** The panel commands act on: the one of a given source, else the focused one, else the last shown. */
  activePanel(source?: string): ResultPanel | undefined {
    if (source !== undefined) return this.panels.get(source);
    const active = [...this.panels.values()].find((p) => p.panel.active);
    return active ?? (this.lastActive?.isDisposed ? undefined : this.lastActive);
  }

  allPanels(): ResultPanel[] {
    return [...this.panels.values()];
  }

  /** After a reload: the data lived in the old window's memory, so the panel says so. */
  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const source =
      state && typeof state === 'object' && typeof (state as { source?: unknown }).source === 'string' ? (state as { source: string }).source : 'restored';
    const session = new ResultSession(source, {}, { piiGuard: this.piiGuard() });
    session.notice = REVIVED_NOTICE;
    const existing = this.panels.get(source);
    const panel = this.adopt(webviewPanel, session);
    if (existing && existing !== panel) existing.dispose();
    panel.update();
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
    this.panels.clear();
  }
}
