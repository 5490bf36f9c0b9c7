// How a SQL warehouse looks: state icons with theme colours, words and a tooltip.
import * as vscode from 'vscode';
import { describeWarehouse, Warehouse, WarehouseState } from '../../databricks/sql/warehouses';
import { escapeMd } from './clusterPresentation';

export function warehouseStateWord(state: WarehouseState | undefined): string {
  if (!state) return 'Unknown';
  return state.charAt(0) + state.slice(1).toLowerCase();
}

export function warehouseIcon(state: WarehouseState | undefined): vscode.ThemeIcon {
  switch (state) {
    case 'RUNNING':
      return new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('testing.iconPassed'));
    case 'STARTING':
      return new vscode.ThemeIcon('loading~spin', new vscode.ThemeColor('charts.yellow'));
    case 'STOPPING':
    case 'DELETING':
      return new vscode.ThemeIcon('loading~spin', new vscode.ThemeColor('charts.orange'));
    case 'STOPPED':
      return new vscode.ThemeIcon('vm-outline', new vscode.ThemeColor('disabledForeground'));
    default:
      return new vscode.ThemeIcon('question', new vscode.ThemeColor('disabledForeground'));
  }
}

export function warehouseTooltip(w: Warehouse, isCurrent: boolean): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.supportThemeIcons = true;
  md.appendMarkdown(`**${escapeMd(w.name ?? w.id)}**${isCurrent ? ' — SQL files run here' : ''}\n\n`);
  const rows: Array<[string, string | undefined]> = [
    ['State', `${warehouseStateWord(w.state)}${w.health?.summary ? ` — ${w.health.summary}` : ''}`],
    ['Health', w.health?.status && w.health.status !== 'HEALTHY' ? `${w.health.status}${w.health.message ? `: ${w.health.message}` : ''}` : undefined],
    ['Warehouse ID', w.id],
    ['Type', describeWarehouse(w)],
    ['Size', w.cluster_size],
    ['Auto-stop', w.auto_stop_mins ? `after ${w.auto_stop_mins} min idle` : undefined],
    ['Photon', w.enable_photon === undefined ? undefined : w.enable_photon ? 'on' : 'off'],
    ['Creator', w.creator_name],
  ];
  for (const [k, v] of rows) if (v) md.appendMarkdown(`${k}: ${escapeMd(v)}  \n`);
  return md;
}
