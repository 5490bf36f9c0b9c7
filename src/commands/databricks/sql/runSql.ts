// Databricks: Run SQL on Warehouse — the selection, else the statement under the cursor (the
// CodeLens above each statement), else the whole .sql file, on the chosen SQL warehouse. Statements
// of a file run one after the other, each shown in the result viewer; a failure stops the rest.
// A file whose engine is Athena is not run here without the user's say.
import { FerryError } from '../../../core/errors';
import { statementsToRun } from '../../athena/runQuery';
import type { FerryCommand } from '../../types';
import { DatabricksSqlContext, runOnWarehouse } from './context';

export function runSqlCommand(ctx: DatabricksSqlContext): FerryCommand {
  return {
    id: 'ferry.databricks.runSql',
    run: async (...args: unknown[]) => {
      if (!(await ctx.engines.gate(args, 'databricks'))) return undefined;
      const statements = await statementsToRun(args);
      if (!statements.length) throw new FerryError('invalidInput', 'There is no SQL statement to run here.');
      const warehouse = await ctx.selection.require();
      let last;
      for (const sql of statements) {
        last = await runOnWarehouse(ctx, sql, { warehouse });
        if (!last) break;
      }
      return last?.statementId;
    },
  };
}
