// ferry.catalog.copyName: the SQL name of a catalog, schema, table or column, ready to paste.
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { quoteUcIdent, ucTableName } from '../../databricks/ucSql';
import { CatalogNode, ColumnNode, SchemaNode, TableNode } from '../../views/catalog/nodes';
import { FerryCommand } from '../types';
import { CatalogCommandContext } from './context';

export function copyNameCommand(ctx: CatalogCommandContext): FerryCommand {
  return {
    id: 'ferry.catalog.copyName',
    run: async (arg?: unknown) => {
      const node = arg ?? ctx.view?.selection[0];
      let name: string;
      if (node instanceof ColumnNode) name = quoteUcIdent(node.column.name);
      else if (node instanceof TableNode) name = ucTableName(node.table.catalogName, node.table.schemaName, node.table.name);
      else if (node instanceof SchemaNode) name = [node.schema.catalogName, node.schema.name].map(quoteUcIdent).join('.');
      else if (node instanceof CatalogNode) name = quoteUcIdent(node.name);
      else throw new FerryError('invalidInput', 'Choose a catalog, schema, table or column in the Catalog view.');
      await vscode.env.clipboard.writeText(name);
      vscode.window.setStatusBarMessage(`Copied ${name}`, 3000);
      return name;
    },
  };
}
