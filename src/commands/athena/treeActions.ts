// ferry.athena.previewTable, and what the Athena tree's other actions share (each has its own module:
// generateSelect, copyName, showDdl — rebuilt from GetTableMetadata, so it costs no query —, refresh,
// loadMore, selectDatabase).
import * as vscode from 'vscode';
import { previewSql } from '../../aws/athena/tableDdl';
import { FerryError } from '../../core/errors';
import { ColumnNode, TableNode } from '../../views/athena/nodes';
import type { FerryCommand } from '../types';
import { AthenaCommandContext } from './context';
import { executeAndShow } from './execute';

export function tableOf(ctx: AthenaCommandContext, node: unknown): TableNode {
  const picked = node ?? ctx.view?.selection[0];
  if (picked instanceof TableNode) return picked;
  if (picked instanceof ColumnNode) return picked.parent;
  throw new FerryError('invalidInput', 'Choose a table in the Athena view.');
}

export async function openSql(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'sql', content });
  return vscode.window.showTextDocument(doc);
}

export function previewTableCommand(ctx: AthenaCommandContext): FerryCommand {
  return {
    id: 'ferry.athena.previewTable',
    run: async (node?: unknown) => {
      const t = tableOf(ctx, node);
      await ctx.databases.set(t.database);
      await executeAndShow(ctx, previewSql(t.database, t.name), { database: t.database, title: `Preview ${t.database}.${t.name}` });
    },
  };
}
