import * as vscode from 'vscode';

/**
 * A view with nothing to show yet: VS Code then shows the view's welcome content, which tells a
 * new user how to connect. Areas replace it with their own provider once they are wired.
 */
export class EmptyTreeProvider implements vscode.TreeDataProvider<never> {
  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }
  getChildren(): never[] {
    return [];
  }
}
