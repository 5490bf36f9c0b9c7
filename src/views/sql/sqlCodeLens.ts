// The SQL file's CodeLens beyond Athena's: the file's engine on its first line (click to change),
// and "Run on <warehouse>" above each statement of a Databricks SQL file ("Run on Databricks SQL"
// beside Athena's lens while the engine is not chosen, so a click is the choice).
import * as vscode from 'vscode';
import { executableText, splitStatements } from '../../aws/athena/statements';
import { ENGINE_LABEL, SqlEngineSelection } from '../../editor/sqlEngine';
import { lensRange } from '../athena/codeLens';
import type { WarehouseSelection } from '../databricks/warehouseSelection';
import { commandCall } from '../../editor/commandArgs';

export class SqlCodeLensProvider implements vscode.CodeLensProvider {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly engines: SqlEngineSelection,
    private readonly warehouses: WarehouseSelection,
  ) {
    this.subscriptions = [engines.onDidChange(() => this.emitter.fire()), warehouses.onDidChange(() => this.emitter.fire()), this.emitter];
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const engine = this.engines.peek(doc.uri, doc.getText());
    const top = new vscode.Range(0, 0, 0, 0);
    const warehouse = engine === 'databricks' ? await this.warehouses.current() : undefined;
    const label = engine
      ? `$(${engine === 'athena' ? 'database' : 'server-environment'}) ${ENGINE_LABEL[engine]}${warehouse ? ` · ${warehouse.name ?? warehouse.id}` : ''}`
      : '$(question) SQL engine: not chosen';
    const lenses = [
      new vscode.CodeLens(top, {
        ...commandCall('ferry.sql.selectEngine', `${label} — change`, doc.uri),
        tooltip: 'Choose whether this file runs on Athena or a Databricks SQL warehouse',
      }),
    ];
    if (engine === 'athena') return lenses;
    const title = engine === 'databricks' ? `$(play) Run on ${warehouse?.name ?? 'SQL warehouse'}` : '$(play) Run on Databricks SQL';
    for (const s of splitStatements(doc.getText()).filter((x) => executableText(x.text))) {
      lenses.push(
        new vscode.CodeLens(lensRange(doc, s), {
          ...commandCall('ferry.databricks.runSql', title, doc.uri, s.start, s.end),
          tooltip: 'Run this statement on the Databricks SQL warehouse',
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
