import * as vscode from 'vscode';
import { FerryCommand } from '../types';

export function showLogCommand(channel: vscode.LogOutputChannel): FerryCommand {
  return { id: 'ferry.showLog', run: () => channel.show(true) };
}
