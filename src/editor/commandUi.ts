import * as vscode from 'vscode';
import { CommandUi } from '../core/commandWrapper';

export const editorCommandUi: CommandUi = {
  showError: (message, actions) => vscode.window.showErrorMessage(message, ...actions),
  executeCommand: (command, ...args) => vscode.commands.executeCommand(command, ...args),
};
