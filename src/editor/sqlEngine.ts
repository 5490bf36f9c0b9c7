// Which engine runs a SQL file: Athena or a Databricks SQL warehouse. The choice is per file,
// remembered in workspace state, shown in the status bar (and in the CodeLens), and asked once
// when it cannot be told: a file exported from Databricks (`-- Databricks notebook source`) is
// Databricks SQL; an explicit command (Athena: Run Query, Databricks: Run SQL on Warehouse) is a
// choice; without a Databricks workspace configured a file is Athena's; otherwise the
// `ferry.sql.defaultEngine` setting decides, and "ask" (the default) asks on the first run.
import { ui } from './messages';
import * as vscode from 'vscode';
import { CancelledError } from '../core/errors';
import { SettingsService } from './settings';

export type SqlEngine = 'athena' | 'databricks';

const KEY = 'ferry.sql.engine:';
export const ENGINE_CONTEXT_KEY = 'ferry.sql.activeEngine';

export const ENGINE_LABEL: Record<SqlEngine, string> = { athena: 'Athena', databricks: 'Databricks SQL' };
/** The run command of each engine (both take `(uri?, start?, end?)`). */
export const ENGINE_RUN_COMMAND: Record<SqlEngine, string> = { athena: 'ferry.athena.runQuery', databricks: 'ferry.databricks.runSql' };

/** The document a run command means: its Uri argument, else the active editor's. */
export function targetUri(args: unknown[]): vscode.Uri | undefined {
  return args[0] instanceof vscode.Uri ? args[0] : vscode.window.activeTextEditor?.document.uri;
}

/** The engine a file's text names by itself (a Databricks export), if any. */
export function engineFromText(text: string): SqlEngine | undefined {
  return /^\s*--\s*Databricks notebook source/.test(text) ? 'databricks' : undefined;
}

export class SqlEngineSelection implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri | undefined>();
  readonly onDidChange = this.emitter.event;
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly state: vscode.Memento,
    private readonly settings: SettingsService,
    /** True when a Databricks workspace is configured (no network). */
    private readonly databricksConfigured: () => Promise<boolean>,
  ) {
    this.item = vscode.window.createStatusBarItem('ferry.sql.engine', vscode.StatusBarAlignment.Left, 51);
    this.item.name = 'SQL Engine';
    this.item.command = 'ferry.sql.selectEngine';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor((e) => this.render(e)),
      this.onDidChange(() => this.render(vscode.window.activeTextEditor)),
      settings.onDidChange((keys) => {
        if (keys.includes('sql.defaultEngine')) this.emitter.fire(undefined);
      }),
    );
    this.render(vscode.window.activeTextEditor);
  }

  /** The remembered engine, or what the file's text or the setting says; undefined when it is to be asked. */
  peek(uri: vscode.Uri, text?: string): SqlEngine | undefined {
    const stored = this.state.get<SqlEngine>(KEY + uri.toString());
    if (stored) return stored;
    const named = text !== undefined ? engineFromText(text) : undefined;
    if (named) return named;
    const d = this.settings.get('sql.defaultEngine');
    return d === 'athena' || d === 'databricks' ? d : undefined;
  }

  async set(uri: vscode.Uri, engine: SqlEngine): Promise<void> {
    await this.state.update(KEY + uri.toString(), engine);
    this.emitter.fire(uri);
  }

  /** The engine for a run that did not say which (the title button, the keybinding): asked once per file. */
  async resolve(doc: vscode.TextDocument): Promise<SqlEngine> {
    const known = this.peek(doc.uri, doc.getText());
    if (known) return known;
    if (!(await this.databricksConfigured())) {
      await this.set(doc.uri, 'athena');
      return 'athena';
    }
    const chosen = await this.ask(doc.uri, true);
    if (!chosen) throw new CancelledError();
    return chosen;
  }

  /** For an explicit command: a file with no engine yet takes this one. */
  async adopt(uri: vscode.Uri, engine: SqlEngine): Promise<void> {
    if (!this.state.get<SqlEngine>(KEY + uri.toString())) await this.set(uri, engine);
  }

  /**
   * For an engine's own run command: true to go on. A file without an engine takes this one; a
   * file set to the other engine is not run here silently — the user runs it there, or switches it.
   */
  async gate(args: unknown[], wanted: SqlEngine): Promise<boolean> {
    const uri = targetUri(args);
    if (!uri) return true;
    const stored = this.state.get<SqlEngine>(KEY + uri.toString());
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const other: SqlEngine = wanted === 'athena' ? 'databricks' : 'athena';
    const engine = stored ?? (doc ? engineFromText(doc.getText()) : undefined);
    if (engine !== other) {
      await this.adopt(uri, wanted);
      return true;
    }
    const name = uri.path.split('/').pop() ?? 'This file';
    const runThere = `Run on ${ENGINE_LABEL[other]}`;
    const switchHere = `Switch to ${ENGINE_LABEL[wanted]} and Run`;
    const pick = await ui.warn(`${name} runs on ${ENGINE_LABEL[other]}, not ${ENGINE_LABEL[wanted]}.`, runThere, switchHere);
    if (pick === switchHere) {
      await this.set(uri, wanted);
      return true;
    }
    if (pick === runThere) await vscode.commands.executeCommand(ENGINE_RUN_COMMAND[other], ...args);
    return false;
  }

  /** The first-run prompt (and Choose Engine): the choice is remembered for the file. */
  async ask(uri: vscode.Uri, firstRun = false): Promise<SqlEngine | undefined> {
    type Item = vscode.QuickPickItem & { engine?: SqlEngine; always?: SqlEngine };
    const name = uri.path.split('/').pop() ?? 'this file';
    const current = this.state.get<SqlEngine>(KEY + uri.toString());
    const items: Item[] = [
      {
        label: '$(database) Athena',
        description: current === 'athena' ? 'current' : undefined,
        detail: 'Run on Amazon Athena, in the database shown in the status bar',
        engine: 'athena',
      },
      {
        label: '$(server-environment) Databricks SQL',
        description: current === 'databricks' ? 'current' : undefined,
        detail: 'Run on a Databricks SQL warehouse, chosen in the status bar',
        engine: 'databricks',
      },
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: 'Athena for this and every new SQL file', always: 'athena' },
      { label: 'Databricks SQL for this and every new SQL file', always: 'databricks' },
    ];
    const picked = await ui.pick(items, {
      title: firstRun ? `Which engine runs ${name}?` : `SQL engine for ${name}`,
      placeHolder: `Remembered for ${name}; change it any time from the status bar or the CodeLens`,
      ignoreFocusOut: firstRun,
    });
    const engine = picked?.engine ?? picked?.always;
    if (!engine) return undefined;
    if (picked?.always) await this.settings.update('sql.defaultEngine', engine);
    await this.set(uri, engine);
    return engine;
  }

  private render(editor: vscode.TextEditor | undefined): void {
    const doc = editor?.document;
    if (!doc || doc.languageId !== 'sql') {
      this.item.hide();
      void vscode.commands.executeCommand('setContext', ENGINE_CONTEXT_KEY, undefined);
      return;
    }
    const engine = this.peek(doc.uri, doc.getText());
    this.item.text = engine ? `$(${engine === 'athena' ? 'database' : 'server-environment'}) SQL: ${ENGINE_LABEL[engine]}` : '$(question) SQL: choose engine';
    this.item.tooltip = engine
      ? `This file runs on ${ENGINE_LABEL[engine]} (click to change)`
      : 'Choose whether this file runs on Athena or on a Databricks SQL warehouse';
    this.item.show();
    void vscode.commands.executeCommand('setContext', ENGINE_CONTEXT_KEY, engine ?? 'none');
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
    this.emitter.dispose();
  }
}
