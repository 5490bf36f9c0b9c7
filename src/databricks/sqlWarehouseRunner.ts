// Where SQL that Ferry writes for a Databricks table (Preview Table's SELECT … LIMIT, a generated
// SELECT) goes to run: a SQL warehouse, through the Statement Execution API, with the rows in the
// result viewer. The warehouse runner and its picker are another part of Ferry; until one is
// connected, NO_WAREHOUSE_RUNNER answers with a clear way forward instead of running anything.
import { FerryError } from '../core/errors';

export interface SqlStatementRequest {
  /** One statement, as the user would see it in an editor. */
  sql: string;
  /** Default catalog and schema for unqualified names. */
  catalog?: string;
  schema?: string;
  /** The result's title ("Preview main.sales.orders"). */
  title: string;
  signal?: AbortSignal;
}

export interface SqlWarehouseRunner {
  /** Runs the statement on the chosen SQL warehouse (asking for one if none is chosen) and shows its result. */
  runStatement(request: SqlStatementRequest): Promise<void>;
}

/** The runner until a SQL warehouse runner is connected: it runs nothing and says what to do. */
export const NO_WAREHOUSE_RUNNER: SqlWarehouseRunner = {
  async runStatement(request: SqlStatementRequest): Promise<void> {
    throw new FerryError(
      'config',
      `Choose a SQL warehouse to run this on Databricks. Ferry runs "${request.title}" on a SQL warehouse, and this build has none connected yet; Generate SELECT opens the SQL in an editor meanwhile.`,
      [{ title: 'Generate SELECT', command: 'ferry.catalog.generateSelect', args: [request] }],
    );
  },
};
