// ferry.athena.copyName (split from treeActions.ts: one command per module).
import * as vscode from 'vscode';
import { qualifiedName, quoteIdent } from '../../aws/athena/tableDdl';
import { FerryError } from '../../core/errors';
import { ColumnNode, DatabaseNode, TableNode } from '../../views/athena/nodes';
import type { FerryCommand } from '../types';
import { AthenaCommandContext } from './context';

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
