// ferry.catalog.generateSelect: a SELECT naming every column of the table, in a new SQL editor.
// Also opens SQL handed to it as {sql} (the way forward when no SQL warehouse is connected).
import * as vscode from 'vscode';
import { ucSelectSql } from '../../databricks/ucSql';
import { FerryCommand } from '../types';
import { CatalogCommandContext, tableOf } from './context';

export async function openSql(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'sql', content });
  return vscode.window.showTextDocument(doc);
}

export function generateSelectCommand(ctx: CatalogCommandContext): FerryCommand {
  return {
    id: 'ferry.catalog.generateSelect',
    run: async (arg?: unknown) => {
      if (arg && typeof arg === 'object' && typeof (arg as { sql?: unknown }).sql === 'string') {
        await openSql(`${(arg as { sql: string }).sql}\n`);
        return;
      }
      const table = await tableOf(ctx, arg).withColumns();
      await openSql(ucSelectSql(table));
    },
  };
}
