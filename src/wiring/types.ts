import * as vscode from 'vscode';
import { Logger } from '../core/logger';
import type { NetworkSource } from '../core/network';
import { SettingsService } from '../editor/settings';
import { FerryCommand } from '../commands/types';

/** What every area's wiring receives from the composition root. */
export interface CoreServices {
  context: vscode.ExtensionContext;
  logger: Logger;
  settings: SettingsService;
  /** Proxy and CA settings for every connection; fires when they change (clients are rebuilt). */
  network: NetworkSource;
}

/** What an area's wiring hands back: its commands, for the one registration table. */
export interface AreaWiring {
  commands: FerryCommand[];
}
