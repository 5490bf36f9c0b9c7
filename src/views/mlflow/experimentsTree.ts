// The Experiments view's provider: the workspace's MLflow experiments at the root, paged through
// the tree kit; everything below is the nodes' own business. It only delegates, finds a run for a
// link to reveal, and rebuilds from scratch when the Databricks workspace (or its sign-in) changes.
import * as vscode from 'vscode';
import { MlflowService } from '../../databricks/mlflow/service';
import { DATABRICKS_FAILURES } from '../databricks/nodes';
import { pagedChildren } from '../shared/nodes';
import { mapPages, PagedList } from '../shared/paged';
import { ExperimentNode, MlflowContext, MlflowTreeNode, RunNode } from './nodes';
import { experimentPages } from './pages';

export class ExperimentsTreeProvider implements vscode.TreeDataProvider<MlflowTreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<MlflowTreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly experiments: PagedList<ExperimentNode>;
  private readonly ctx: MlflowContext;
  private readonly subscription: { dispose(): void };

  constructor(mlflow: () => Promise<MlflowService>, settings: MlflowContext['settings'], onConnectionChange: (listener: () => void) => { dispose(): void }) {
    this.ctx = { mlflow, settings, changed: (node) => this.emitter.fire(node) };
    this.experiments = new PagedList(
      mapPages(experimentPages(mlflow), (e) => new ExperimentNode(e, this.ctx)),
      { key: (e) => e.experiment.id },
    );
    this.subscription = onConnectionChange(() => this.refresh());
  }

  getTreeItem(node: MlflowTreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: MlflowTreeNode): MlflowTreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: MlflowTreeNode): Promise<MlflowTreeNode[]> {
    if (node) return node.getChildren ? node.getChildren() : [];
    return pagedChildren<ExperimentNode, MlflowTreeNode, ExperimentNode>(this.experiments, {
      id: 'mlflow',
      node: undefined,
      item: (e) => e,
      emptyLabel: 'No MLflow experiments in this workspace yet',
      policy: DATABRICKS_FAILURES,
      loadMoreCommand: 'ferry.mlflow.loadMore',
      changed: () => this.emitter.fire(undefined),
    });
  }

  /** Drops what a node (or, with none, the whole tree) loaded, and lists it again. */
  refresh(node?: MlflowTreeNode): void {
    if (node && 'reset' in node && typeof node.reset === 'function') {
      (node as { reset(): void }).reset();
      this.emitter.fire(node);
      return;
    }
    this.experiments.reset();
    this.emitter.fire(undefined);
  }

  changed(node: MlflowTreeNode | undefined): void {
    this.emitter.fire(node);
  }

  /**
   * The node of a run, for a link to reveal: its experiment from the listing (a few pages at
   * most, else fetched by id), then the run among the newest runs (else the one run, added).
   */
  async findRun(experimentId: string, runId: string): Promise<RunNode | undefined> {
    let exp = await this.experiments.find((e) => e.experiment.id === experimentId, 5);
    const mlflow = await this.ctx.mlflow();
    if (!exp) {
      exp = new ExperimentNode(await mlflow.getExperiment(experimentId), this.ctx);
      this.experiments.add(exp);
      this.emitter.fire(undefined);
    }
    if (exp.filter) exp.setFilter('');
    let run = await exp.runs.find((r) => r.run.id === runId, 3);
    if (!run) {
      run = new RunNode(exp, await mlflow.getRun(runId), this.ctx);
      exp.runs.add(run);
      this.emitter.fire(exp);
    }
    return run;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
