// Wires the result viewer: the panel manager (the presenter every area shows results through),
// its WebviewPanelSerializer, and its commands.
import * as vscode from 'vscode';
import { cancelRunCommand } from '../commands/results/cancel';
import { exportResultCommand } from '../commands/results/export';
import { exportChartCommand } from '../commands/results/exportChart';
import { openFileCommand } from '../commands/results/openFile';
import { showSampleCommand } from '../commands/results/showSample';
import { disposeSharedOrderWorker } from '../results/orderWorker';
import { VIEW_TYPE } from '../results/panel';
import { ResultPanelManager } from '../results/presenter';
import { AreaWiring, CoreServices } from './types';

export interface ResultsWiring extends AreaWiring {
  presenter: ResultPanelManager;
}

export function wireResults(core: CoreServices): ResultsWiring {
  const presenter = new ResultPanelManager(core.context.extensionUri, core.logger.scoped('results'), () => core.settings.get('pii.guard'));
  core.context.subscriptions.push(
    presenter,
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, presenter),
    { dispose: () => void disposeSharedOrderWorker() },
    core.settings.onDidChange((keys) => keys.includes('pii.guard') && presenter.setPiiGuard(core.settings.get('pii.guard'))),
  );
  return {
    presenter,
    commands: [
      exportResultCommand(presenter),
      exportChartCommand(presenter),
      cancelRunCommand(presenter),
      showSampleCommand(presenter),
      openFileCommand(presenter),
    ],
  };
}
