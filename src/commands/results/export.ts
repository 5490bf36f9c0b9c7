// Ferry: Export Result… — the whole table of the focused result panel as CSV or JSON.
// Arguments (for tests and other commands): format ('csv' | 'json'), a target file path, the
// source whose panel to export (default: the focused result panel), and, for a result with masked
// personal data, 'masked' or 'real' values (default: ask).
import * as vscode from 'vscode';
import type { ResultPanelManager } from '../../results/presenter';
import type { FerryCommand } from '../types';
import { ui } from '../../editor/messages';

export function exportResultCommand(manager: ResultPanelManager): FerryCommand {
  return {
    id: 'ferry.results.export',
    run: async (format?: unknown, target?: unknown, source?: unknown, values?: unknown) => {
      const panel = manager.activePanel(typeof source === 'string' ? source : undefined);
      const outputId = panel?.session.latestTableId();
      if (!panel || !outputId) {
        void ui.info('No table result to export.');
        return undefined;
      }
      let chosen: 'csv' | 'json' | undefined = format === 'csv' || format === 'json' ? format : undefined;
      chosen ??= (await ui.pick(['csv', 'json'], { title: 'Export the result as' })) as 'csv' | 'json' | undefined;
      if (!chosen) return undefined;
      const uri = typeof target === 'string' ? vscode.Uri.file(target) : target instanceof vscode.Uri ? target : undefined;
      return (await panel.exportTable(outputId, chosen, uri, values === 'masked' || values === 'real' ? values : undefined))?.fsPath;
    },
  };
}
