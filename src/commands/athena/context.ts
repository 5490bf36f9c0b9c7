// What the Athena commands share: the service, the tree, the result presenter, the settings and
// the database queries run in (chosen once per workspace, shown in the status bar).
import * as vscode from 'vscode';
import type { S3Client } from '@aws-sdk/client-s3';
import { AthenaService } from '../../aws/athena/service';
import { CancelledError } from '../../core/errors';
import { FerrySettings } from '../../core/config';
import { Logger } from '../../core/logger';
import type { ResultPresenter } from '../../results/model';
import { AthenaTreeProvider } from '../../views/athena/athenaTreeProvider';
import { AthenaNode } from '../../views/athena/nodes';
import { ui } from '../../editor/messages';

const DATABASE_KEY = 'ferry.athena.database';

/** The database queries run in: remembered per workspace, shown in the status bar, picked from ListDatabases. */
export class DatabaseSelection implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(
    private readonly state: vscode.Memento,
    private readonly service: AthenaService,
    private readonly catalog: () => string,
  ) {
    this.item = vscode.window.createStatusBarItem('ferry.athena.database', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Athena Database';
    this.item.command = 'ferry.athena.selectDatabase';
    this.render();
  }

  get current(): string | undefined {
    return this.state.get<string>(DATABASE_KEY);
  }

  async set(database: string): Promise<void> {
    await this.state.update(DATABASE_KEY, database);
    this.render();
  }

  /** Shows the status bar item while a SQL file is in front. */
  updateVisibility(editor: vscode.TextEditor | undefined): void {
    if (editor?.document.languageId === 'sql') this.item.show();
    else this.item.hide();
  }

  private render(): void {
    this.item.text = `$(database) Athena: ${this.current ?? 'choose database'}`;
    this.item.tooltip = 'Database that Athena queries run in (click to change)';
  }

  /** Quick pick of the catalog's databases; undefined when dismissed. */
  async pick(): Promise<string | undefined> {
    const items = (async () => {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await this.service.listDatabases(this.catalog(), token);
        names.push(...page.items.map((d) => d.Name ?? '').filter(Boolean));
        token = page.nextToken;
      } while (token && names.length < 1000);
      const current = this.current;
      return names.map((n) => ({ label: n, description: n === current ? 'current' : undefined }));
    })();
    const chosen = await ui.pick(items, { title: 'Athena: Select Database', placeHolder: 'Database for Athena queries' });
    if (!chosen) return undefined;
    await this.set(chosen.label);
    return chosen.label;
  }

  /** The current database, asking once when none is chosen yet. */
  async require(): Promise<string> {
    const db = this.current ?? (await this.pick());
    if (!db) throw new CancelledError();
    return db;
  }

  dispose(): void {
    this.item.dispose();
  }
}

export interface AthenaCommandContext {
  service: AthenaService;
  tree: AthenaTreeProvider;
  view?: vscode.TreeView<AthenaNode>;
  presenter: ResultPresenter;
  settings: () => FerrySettings;
  databases: DatabaseSelection;
  /** The S3 client for a bucket, in that bucket's own region. */
  s3: (bucket: string) => Promise<S3Client>;
  logger: Logger;
}
