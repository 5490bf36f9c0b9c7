// What the Experiments view's commands share: the tree and its view, the MLflow service of the
// active workspace, the network agents signed artifact URLs go through, the result presenter, the
// log and a cache folder for artifacts opened in an editor; and how they find their node.
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { Logger } from '../../core/logger';
import type { HttpAgents } from '../../core/network';
import { MlflowService } from '../../databricks/mlflow/service';
import { ResultPresenter } from '../../results/model';
import { ExperimentsTreeProvider } from '../../views/mlflow/experimentsTree';
import { ExperimentNode, MetricNode, MlflowTreeNode, RunNode } from '../../views/mlflow/nodes';

export interface MlflowCommandContext {
  tree: ExperimentsTreeProvider;
  view?: vscode.TreeView<MlflowTreeNode>;
  mlflow(): Promise<MlflowService>;
  agents(): HttpAgents;
  presenter: ResultPresenter;
  logger: Logger;
  /** Where artifacts opened in an editor or the image preview are kept (the extension's storage). */
  cacheDir: string;
}

export function picked(ctx: MlflowCommandContext, arg: unknown): unknown {
  return arg ?? ctx.view?.selection[0];
}

/** The experiment a command acts on: an experiment node, or a run's experiment. */
export function experimentOf(ctx: MlflowCommandContext, arg: unknown): ExperimentNode {
  const node = picked(ctx, arg);
  if (node instanceof ExperimentNode) return node;
  if (node instanceof RunNode) return node.parent;
  throw new FerryError('invalidInput', 'Choose an experiment in the Experiments view.');
}

/** The run a command acts on: a run node, or the run of a node below it. */
export function runOf(ctx: MlflowCommandContext, arg: unknown): RunNode {
  let node = picked(ctx, arg) as MlflowTreeNode | undefined;
  if (node instanceof MetricNode) return node.runNode;
  while (node && !(node instanceof RunNode)) node = node.parent;
  if (node instanceof RunNode) return node;
  throw new FerryError('invalidInput', 'Choose a run in the Experiments view.');
}

/** The runs a command acts on: the selected ones (Ctrl+click), or the one clicked. */
export function runsOf(ctx: MlflowCommandContext, arg: unknown, all: unknown): RunNode[] {
  const list = Array.isArray(all) && all.length ? all : ctx.view?.selection.length ? ctx.view.selection : [arg];
  const runs = list.filter((n): n is RunNode => n instanceof RunNode);
  if (arg instanceof RunNode && !runs.includes(arg)) runs.unshift(arg);
  return runs;
}
