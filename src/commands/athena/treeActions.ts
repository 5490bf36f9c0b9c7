// The Athena tree's actions: Preview Table, Generate SELECT, Copy Name, Show DDL (rebuilt from
// GetTableMetadata, so it costs no query), Refresh, Load more, Select Database.
import * as vscode from 'vscode';
import { ddlFromMetadata, generateSelectSql, previewSql, qualifiedName, quoteIdent } from '../../aws/athena/tableDdl';
import { FerryError } from '../../core/errors';
import { AthenaNode, ColumnNode, DatabaseNode, LoadMoreNode, TableNode } from '../../views/athena/nodes';
import type { FerryCommand } from '../types';
import { AthenaCommandContext } from './context';
import { executeAndShow } from './execute';

function tableOf(ctx: AthenaCommandContext, node: unknown): TableNode {
  const picked = node ?? ctx.view?.selection[0];
  if (picked instanceof TableNode) return picked;
  if (picked instanceof ColumnNode) return picked.parent;
  throw new FerryError('invalidInput', 'Choose a table in the Athena view.');
}

async function openSql(content: string): Promise<vscode.TextEditor> {
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

export function generateSelectCommand(ctx: AthenaCommandContext): FerryCommand {
  return {
    id: 'ferry.athena.generateSelect',
    run: async (node?: unknown) => {
      const t = tableOf(ctx, node);
      await ctx.databases.set(t.database);
      await openSql(generateSelectSql(t.database, t.metadata));
    },
  };
}

export function copyNameCommand(ctx: AthenaCommandContext): FerryCommand {
  return {
    id: 'ferry.athena.copyName',
    run: async (node?: unknown) => {
      const picked = node ?? ctx.view?.selection[0];
      let name: string;
      if (picked instanceof ColumnNode) name = quoteIdent(picked.name);
      else if (picked instanceof TableNode) name = qualifiedName(picked.database, picked.name);
      else if (picked instanceof DatabaseNode) name = quoteIdent(picked.name);
      else throw new FerryError('invalidInput', 'Choose a database, table or column in the Athena view.');
      await vscode.env.clipboard.writeText(name);
      vscode.window.setStatusBarMessage(`Copied ${name}`, 3000);
      return name;
    },
  };
}

export function showDdlCommand(ctx: AthenaCommandContext): FerryCommand {
  return {
    id: 'ferry.athena.showDdl',
    run: async (node?: unknown) => {
      const t = tableOf(ctx, node);
      const fresh = await ctx.service.getTable(t.catalog, t.database, t.name);
      t.metadata = fresh;
      await openSql(ddlFromMetadata(t.database, fresh));
    },
  };
}

export function refreshCommand(ctx: AthenaCommandContext): FerryCommand {
  return { id: 'ferry.athena.refresh', run: (node?: unknown) => ctx.tree.refresh(node as AthenaNode | undefined) };
}

export function loadMoreCommand(ctx: AthenaCommandContext): FerryCommand {
  return {
    id: 'ferry.athena.loadMore',
    run: async (node?: unknown) => {
      if (node instanceof LoadMoreNode) await ctx.tree.loadMore(node.parent);
      else if (node instanceof DatabaseNode) await ctx.tree.loadMore(node);
    },
  };
}

export function selectDatabaseCommand(ctx: AthenaCommandContext): FerryCommand {
  return {
    id: 'ferry.athena.selectDatabase',
    run: async (node?: unknown) => {
      if (node instanceof DatabaseNode) {
        await ctx.databases.set(node.name);
        return node.name;
      }
      return ctx.databases.pick();
    },
  };
}
