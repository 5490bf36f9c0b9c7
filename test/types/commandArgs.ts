// Compile-time checks of the typed command table (src/editor/commandArgs.ts). Nothing here runs:
// `npm test` compiles the test program before any layer, and each `@ts-expect-error` below fails
// that compile if the call it marks ever becomes acceptable (the table loosened to unknown[], an
// entry dropped, a handler allowed to disagree with its entry).
import type * as vscode from 'vscode';
import type { CommandId } from '../../src/commands/ids';
import type { ErrorAction } from '../../src/core/errors';
import type { FerryCommand } from '../../src/commands/types';
import type { CommandArgTable, commandAction, commandCall, runFerryCommand } from '../../src/editor/commandArgs';
import type { RunNode } from '../../src/views/databricks/jobsTree';

type Assert<T extends true> = T;
/** Every entry names a contributed command. */
export type EntriesAreCommands = Assert<keyof CommandArgTable extends CommandId ? true : false>;

export function calls(call: typeof commandCall, action: typeof commandAction, run: typeof runFerryCommand, uri: vscode.Uri, node: RunNode): void {
  call('ferry.databricks.runCell', 'Run Cell', uri, 3);
  // @ts-expect-error a cell is addressed by its index, not its text
  call('ferry.databricks.runCell', 'Run Cell', uri, 'print(1)');
  // @ts-expect-error the cell is missing
  call('ferry.databricks.runCell', 'Run Cell', uri);
  call('ferry.databricks.showRunOutput', 'Show Run Output', node);
  void run('ferry.databricks.showRunOutput', 42);
  // @ts-expect-error a run id is a number
  void run('ferry.databricks.showRunOutput', '42');
  void run('ferry.showLog');
  // @ts-expect-error Show Log takes nothing
  void run('ferry.showLog', 'now');
  // @ts-expect-error not a command Ferry contributes
  void run('ferry.noSuchCommand');
  action('Choose Cluster', 'ferry.databricks.selectDefaultCluster', uri);
  // @ts-expect-error Open Settings names an area
  action('Open Settings', 'ferry.openSettings', 7);
}

/** A handler must take what its table entry says Ferry passes. */
export const agrees: FerryCommand = { id: 'ferry.databricks.runJobNow', run: (jobId?: number) => jobId };
// @ts-expect-error Run Job Now is given a job id (a number), which this handler cannot take
export const disagrees: FerryCommand = { id: 'ferry.databricks.runJobNow', run: (name?: string) => name };

/** What a service layer offers with an error is checked against its table (src/core/commandContract.ts). */
export const offered: ErrorAction[] = [
  { title: 'Open Log', command: 'ferry.showLog' },
  { title: 'Start Cluster', command: 'ferry.databricks.startCluster', args: ['0101-abc'] },
  { title: 'Open Proxy Settings', command: 'workbench.action.openSettings', args: ['http.proxy'] },
  // @ts-expect-error a cluster id is a string
  { title: 'Start Cluster', command: 'ferry.databricks.startCluster', args: [101] },
  // @ts-expect-error Start Cluster needs to know which cluster
  { title: 'Start Cluster', command: 'ferry.databricks.startCluster' },
  // @ts-expect-error a service may offer only the commands of its table
  { title: 'Delete', command: 'ferry.s3.delete', args: ['s3://bucket/key'] },
];
