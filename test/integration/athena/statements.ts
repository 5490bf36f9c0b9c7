// Runs one Athena statement to its end (SUCCEEDED, FAILED or CANCELLED) and returns its execution:
// the one way the test suites run setup SQL (the integration fixture, the editor's UI tests).
import { AthenaClient, GetQueryExecutionCommand, QueryExecution, StartQueryExecutionCommand } from '@aws-sdk/client-athena';

export async function runStatement(
  client: AthenaClient,
  sql: string,
  opts: { output: string; database?: string; timeoutMs?: number },
): Promise<QueryExecution> {
  const { QueryExecutionId } = await client.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      QueryExecutionContext: opts.database ? { Database: opts.database } : undefined,
      ResultConfiguration: { OutputLocation: opts.output },
    }),
  );
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (let delay = 20; ; delay = Math.min(500, delay * 2)) {
    const { QueryExecution: q } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(q?.Status?.State ?? '')) return q!;
    if (Date.now() > deadline) throw new Error(`${sql.slice(0, 80)}: still ${q?.Status?.State} after ${opts.timeoutMs ?? 60_000} ms`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** runStatement, failing unless the statement succeeded. */
export async function runOk(client: AthenaClient, sql: string, opts: { output: string; database?: string }): Promise<void> {
  const q = await runStatement(client, sql, opts);
  if (q.Status?.State !== 'SUCCEEDED') throw new Error(`${sql.slice(0, 80)}: ${q.Status?.State} ${q.Status?.StateChangeReason ?? ''}`);
}
