import * as vscode from 'vscode';
import { FerryCommand } from '../types';

/** Opens the Settings editor on Ferry's settings, or on one area of them (`s3`, `athena`, ...). */
export function openSettingsCommand(extensionId: string): FerryCommand {
  return {
    id: 'ferry.openSettings',
    run: (area?: unknown) => {
      const query = typeof area === 'string' && /^[a-z0-9.]+$/i.test(area) ? `ferry.${area}` : `@ext:${extensionId}`;
      return vscode.commands.executeCommand('workbench.action.openSettings', query);
    },
  };
}
