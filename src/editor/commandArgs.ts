// What each command takes when Ferry itself runs it: from a tree item's click, a code lens, a
// notification's button or `executeCommand`. The call sites build their calls through
// `commandCall`, `commandAction` and `runFerryCommand` below, so a call that passes the wrong
// thing, or a command that changes what it takes, does not compile; and `FerryCommand`
// (src/commands/types.ts) holds each handler to its entry here.
//
// A command missing from the table takes no arguments from Ferry. What the user's menus and the
// palette pass is still checked at run time by each handler (VS Code passes whatever the menu's
// node or the Explorer's selection is), which is why handlers narrow their `unknown` arguments.
import * as vscode from 'vscode';
import type { ServiceCommandArgs } from '../core/commandContract';
import type { ErrorAction } from '../core/errors';
import type { SqlStatementRequest } from '../databricks/sqlWarehouseRunner';
import type { FileNode, VolumeItem } from '../views/catalog/nodes';
import type { JobNode, RunNode } from '../views/databricks/jobsTree';
import type { ArtifactFileNode, ExperimentNode, MetricNode } from '../views/mlflow/nodes';
import type { ObjectNode } from '../views/s3/nodes';
import type { LoadMoreNode } from '../views/shared/nodes';
import type { CommandId } from '../commands/ids';

export interface CommandArgTable {
  'ferry.openSettings': [area: string];
  // Databricks
  'ferry.databricks.selectDefaultCluster': [file?: vscode.Uri];
  'ferry.databricks.startCluster': [clusterId: string];
  'ferry.databricks.runFileAsJob': [file?: vscode.Uri];
  'ferry.databricks.runCell': [file: vscode.Uri, cell: number];
  'ferry.databricks.runJobNow': [jobId: number];
  'ferry.databricks.showRunOutput': [run: number | RunNode];
  'ferry.databricks.showJobSchedule': [job: JobNode];
  'ferry.databricks.loadMore': [node: LoadMoreNode];
  'ferry.databricks.runSql': [file: vscode.Uri, start: number, end: number];
  'ferry.sql.selectEngine': [file: vscode.Uri];
  // Athena
  'ferry.athena.runQuery': [file: vscode.Uri, start: number, end: number];
  'ferry.athena.loadMore': [node: LoadMoreNode];
  // Unity Catalog
  'ferry.catalog.openFile': [file: FileNode];
  'ferry.catalog.download': [item: VolumeItem];
  'ferry.catalog.generateSelect': [request: SqlStatementRequest];
  'ferry.catalog.loadMore': [node: LoadMoreNode];
  // MLflow
  'ferry.mlflow.filterRuns': [experiment: ExperimentNode];
  'ferry.mlflow.clearFilter': [experiment: ExperimentNode];
  'ferry.mlflow.showMetricChart': [metric: MetricNode];
  'ferry.mlflow.openArtifact': [artifact: ArtifactFileNode];
  'ferry.mlflow.downloadArtifact': [artifact: ArtifactFileNode];
  'ferry.mlflow.openRun': [run: { experimentId: string; runId: string }];
  'ferry.mlflow.loadMore': [node: LoadMoreNode];
  // S3
  'ferry.s3.open': [object: ObjectNode];
  'ferry.s3.loadMore': [node: LoadMoreNode];
}

/** The arguments Ferry passes to a command (none for a command not in the table). */
export type CommandArgs<K extends CommandId> = K extends keyof CommandArgTable ? CommandArgTable[K] : [];

/** The commands Ferry runs with no arguments. */
export type NoArgCommandId = Exclude<CommandId, keyof CommandArgTable>;

/** The commands of the trees' "Load more…" nodes. */
export type LoadMoreCommandId =
  'ferry.databricks.loadMore' | 'ferry.athena.loadMore' | 'ferry.catalog.loadMore' | 'ferry.mlflow.loadMore' | 'ferry.s3.loadMore';

/** A tree item's or code lens's command. */
export function commandCall<K extends CommandId>(command: K, title: string, ...args: CommandArgs<K>): vscode.Command {
  return { command, title, arguments: args };
}

/** A button on an error or notification. */
export function commandAction<K extends CommandId>(title: string, command: K, ...args: CommandArgs<K>): ErrorAction {
  return args.length ? { title, command, args, checked: true } : { title, command, checked: true };
}

// The service layers' table (src/core/commandContract.ts) agrees with this one: each of its
// commands is contributed, and what a service passes is what the command takes from Ferry.
type Agrees<K> = K extends CommandId ? (K extends keyof ServiceCommandArgs ? (ServiceCommandArgs[K] extends CommandArgs<K> ? true : false) : false) : false;
type AllTrue<T extends true> = T;
export type ServiceTableAgrees = AllTrue<Agrees<keyof ServiceCommandArgs>>;

/** Runs one of Ferry's commands. */
export function runFerryCommand<K extends CommandId>(command: K, ...args: CommandArgs<K>): Thenable<unknown> {
  return vscode.commands.executeCommand(command, ...args);
}
