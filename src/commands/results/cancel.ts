// Ferry: Cancel Running Result — the newest running run in the focused panel (or the given source's).
import type { ResultPanelManager } from '../../results/presenter';
import type { FerryCommand } from '../types';
import { ui } from '../../editor/messages';

export function cancelRunCommand(manager: ResultPanelManager): FerryCommand {
  return {
    id: 'ferry.results.cancel',
    run: (source?: unknown) => {
      const panel = manager.activePanel(typeof source === 'string' ? source : undefined);
      const running = panel?.session
        .view()
        .runs.filter((r) => r.cancellable)
        .pop();
      if (!panel || !running) {
        void ui.info('No running result to cancel.');
        return false;
      }
      const cancelled = panel.session.cancel(running.id);
      panel.update();
      return cancelled;
    },
  };
}
