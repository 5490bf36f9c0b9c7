// Ferry: Export Chart… — the chart open in the focused result panel as PNG or SVG.
// Arguments (for tests): format ('png' | 'svg'), a target file path, and the source of the panel.
import * as vscode from 'vscode';
import type { ResultPanelManager } from '../../results/presenter';
import type { FerryCommand } from '../types';
import { ui } from '../../editor/messages';

let nextToken = 1;

export function exportChartCommand(manager: ResultPanelManager): FerryCommand {
  return {
    id: 'ferry.results.exportChart',
    run: async (format?: unknown, target?: unknown, source?: unknown) => {
      const panel = manager.activePanel(typeof source === 'string' ? source : undefined);
      if (!panel) {
        void ui.info('No result panel is open.');
        return;
      }
      let chosen: 'png' | 'svg' | undefined = format === 'png' || format === 'svg' ? format : undefined;
      chosen ??= (await ui.pick(['png', 'svg'], { title: 'Export the chart as' })) as 'png' | 'svg' | undefined;
      if (!chosen) return;
      const token = nextToken++;
      if (typeof target === 'string') panel.chartTargets.set(token, vscode.Uri.file(target));
      panel.post({ type: 'exportChart', format: chosen, token });
    },
  };
}
