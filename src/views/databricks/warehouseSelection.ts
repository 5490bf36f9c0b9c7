// The SQL warehouse that Databricks SQL files, selections and %sql cells run on: remembered per
// workspace host (a warehouse id means nothing in another workspace), picked from a quick pick
// that shows each warehouse's state, and shown in the status bar with its state while a SQL file
// whose engine is Databricks SQL is in front, as the Athena database is for Athena files.
import { ui } from '../../editor/messages';
import * as vscode from 'vscode';
import { CancelledError } from '../../core/errors';
import type { WarehouseRef } from '../../databricks/sql/showStatement';
import { describeWarehouse, Warehouse } from '../../databricks/sql/warehouses';
import type { WarehousesModel } from '../../databricks/sql/warehousesModel';
import type { SqlEngineSelection } from '../../editor/sqlEngine';
import { warehouseIcon, warehouseStateWord } from './warehousePresentation';

const key = (host: string): string => `ferry.databricks.warehouse:${host}`;

export class WarehouseSelection implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: Array<{ dispose(): void }> = [];
  private shown: WarehouseRef | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly connection: { current(): Promise<{ host: string }>; onDidChange: (l: () => void) => { dispose(): void } },
    private readonly model: WarehousesModel,
    private readonly engines: SqlEngineSelection,
  ) {
    this.item = vscode.window.createStatusBarItem('ferry.databricks.warehouse', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Databricks SQL Warehouse';
    this.item.command = 'ferry.databricks.selectWarehouse';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => void this.render()),
      engines.onDidChange(() => void this.render()),
      model.onDidChange(() => void this.render()),
      connection.onDidChange(() => {
        this.emitter.fire();
        void this.render();
      }),
    );
    void this.render();
  }

  /** The chosen warehouse of the active workspace; undefined when none is chosen (or none is configured). */
  async current(): Promise<WarehouseRef | undefined> {
    try {
      const host = (await this.connection.current()).host;
      return this.state.get<WarehouseRef>(key(host));
    } catch {
      return undefined;
    }
  }

  async set(w: Pick<Warehouse, 'id' | 'name'>): Promise<void> {
    const host = (await this.connection.current()).host;
    await this.state.update(key(host), { id: w.id, name: w.name });
    this.emitter.fire();
    await this.render();
  }

  /** Quick pick of the workspace's warehouses (running ones first); undefined when dismissed. */
  async pick(opts: { remember?: boolean; title?: string } = {}): Promise<WarehouseRef | undefined> {
    type Item = vscode.QuickPickItem & { warehouse: Warehouse };
    const current = await this.current();
    const items = (async (): Promise<Item[]> => {
      await this.model.refresh();
      if (this.model.error) throw this.model.error;
      const list = [...(this.model.warehouses ?? [])].sort(
        (a, b) => Number(b.state === 'RUNNING') - Number(a.state === 'RUNNING') || (a.name ?? '').localeCompare(b.name ?? ''),
      );
      if (!list.length) throw new CancelledError('This workspace has no SQL warehouses');
      return list.map((w) => ({
        label: `$(${warehouseIcon(w.state).id}) ${w.name ?? w.id}`,
        description: `${warehouseStateWord(w.state)}${w.id === current?.id ? ' · current' : ''}`,
        detail: describeWarehouse(w),
        warehouse: w,
      }));
    })();
    const remember = opts.remember ?? true;
    const chosen = await ui.pick(items, {
      title: opts.title ?? 'Databricks: Choose SQL Warehouse',
      placeHolder: remember ? 'Warehouse that Databricks SQL files and cells run on' : 'SQL warehouse',
    });
    if (!chosen) return undefined;
    if (remember) await this.set(chosen.warehouse);
    return { id: chosen.warehouse.id, name: chosen.warehouse.name };
  }

  /** The current warehouse, asking once when none is chosen yet. */
  async require(): Promise<WarehouseRef> {
    const w = (await this.current()) ?? (await this.pick());
    if (!w) throw new CancelledError();
    return w;
  }

  private async render(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== 'sql' || this.engines.peek(doc.uri, doc.getText()) !== 'databricks') {
      this.item.hide();
      return;
    }
    const w = await this.current();
    this.shown = w;
    const state = w ? this.model.find(w.id)?.state : undefined;
    this.item.text = w
      ? `$(${warehouseIcon(state).id}) ${w.name ?? w.id}${state ? ` (${warehouseStateWord(state).toLowerCase()})` : ''}`
      : '$(server-environment) choose SQL warehouse';
    this.item.tooltip = w
      ? `Databricks SQL statements run on warehouse "${w.name ?? w.id}" (click to change)`
      : 'Choose the SQL warehouse that Databricks SQL runs on';
    this.item.show();
  }

  /** What the status bar shows now (editor tests read it). */
  get shownWarehouse(): WarehouseRef | undefined {
    return this.shown;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
    this.emitter.dispose();
  }
}
