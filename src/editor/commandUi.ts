import * as vscode from 'vscode';
import { CommandUi } from '../core/commandWrapper';
import { ui } from './messages';

export const editorCommandUi: CommandUi = {
  showError: (message, actions) => ui.error(message, ...actions),
  executeCommand: (command, ...args) => vscode.commands.executeCommand(command, ...args),
};
