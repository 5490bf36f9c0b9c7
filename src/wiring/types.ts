import * as vscode from 'vscode';
import { Logger } from '../core/logger';
import { SettingsService } from '../editor/settings';
import { FerryCommand } from '../commands/types';

/** What every area's wiring receives from the composition root. */
export interface CoreServices {
  context: vscode.ExtensionContext;
  logger: Logger;
  settings: SettingsService;
}

/** What an area's wiring hands back: its commands, for the one registration table. */
export interface AreaWiring {
  commands: FerryCommand[];
}
