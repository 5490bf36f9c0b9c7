// The Jobs view: jobs (paged, "Load more…") → the job's schedule and its recent runs (paged too),
// both through the shared tree kit.
// Runs still in progress are refreshed while the view is visible, with backoff; nothing is polled
// while it is hidden.
import * as vscode from 'vscode';
import { ConnectionManager } from '../../databricks/connection';
import { isRunActive, Job, JobsService, Run, runStatus } from '../../databricks/jobs';
import { computeLabel, computeOfTasks } from '../../databricks/jobSpec';
import { escapeMd, runDescription, runIcon, runStatusWord } from './clusterPresentation';
import { CV, jobContext, runContext } from './contextValues';
import { pagedChildren } from '../shared/nodes';
import { PagedList } from '../shared/paged';
import { DATABRICKS_FAILURES, DatabricksNode } from './nodes';
import { commandCall } from '../../editor/commandArgs';

const JOB_PAGE = 25;
const RUN_PAGE = 10;

export class ScheduleNode implements DatabricksNode {
  readonly id: string;
  constructor(readonly job: JobNode) {
    this.id = `${job.id}/schedule`;
  }

  getTreeItem(): vscode.TreeItem {
    const s = this.job.job.settings?.schedule;
    const paused = s?.pause_status === 'PAUSED';
    const item = new vscode.TreeItem(`Schedule: ${s?.quartz_cron_expression ?? ''}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `${s?.timezone_id ?? ''}${paused ? ' · paused' : ''}`;
    item.iconPath = new vscode.ThemeIcon(paused ? 'debug-pause' : 'calendar', paused ? new vscode.ThemeColor('disabledForeground') : undefined);
    item.tooltip = `Cron (Quartz): ${s?.quartz_cron_expression}\nTimezone: ${s?.timezone_id}\n${paused ? 'Paused' : 'Active'}`;
    item.contextValue = paused ? `${CV.schedule}:paused` : `${CV.schedule}:active`;
    item.command = commandCall('ferry.databricks.showJobSchedule', 'Show Schedule', this.job);
    return item;
  }
}

export class RunNode implements DatabricksNode {
  readonly id: string;
  constructor(
    readonly job: JobNode,
    readonly run: Run,
  ) {
    this.id = `${job.id}/run/${run.run_id}`;
  }

  get status() {
    return runStatus(this.run.state);
  }

  getTreeItem(): vscode.TreeItem {
    const r = this.run;
    const status = this.status;
    const item = new vscode.TreeItem(`Run ${r.number_in_job ?? r.run_id}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = runDescription(r, status);
    item.iconPath = runIcon(status);
    item.contextValue = runContext(status);
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**Run ${r.run_id}** of ${escapeMd(this.job.name)}\n\n`);
    md.appendMarkdown(`State: ${runStatusWord(status)} (${r.state?.life_cycle_state ?? '?'}${r.state?.result_state ? ` / ${r.state.result_state}` : ''})  \n`);
    if (r.state?.state_message) md.appendMarkdown(`Message: ${escapeMd(r.state.state_message)}  \n`);
    if (r.start_time) md.appendMarkdown(`Started: ${new Date(r.start_time).toLocaleString()}  \n`);
    if (r.end_time) md.appendMarkdown(`Ended: ${new Date(r.end_time).toLocaleString()}  \n`);
    if (r.trigger) md.appendMarkdown(`Trigger: ${r.trigger}  \n`);
    const compute = computeLabel(computeOfTasks(r.tasks as Array<Record<string, unknown>> | undefined, r.cluster_instance?.cluster_id));
    if (compute) md.appendMarkdown(`Compute: ${escapeMd(compute)}  \n`);
    item.tooltip = md;
    item.command = commandCall('ferry.databricks.showRunOutput', 'Show Run Output', this);
    return item;
  }
}

export class JobNode implements DatabricksNode {
  readonly id: string;
  /** The job's runs, newest first, a page at a time. */
  readonly runs: PagedList<Run>;

  constructor(
    private readonly provider: JobsTreeProvider,
    readonly host: string,
    public job: Job,
  ) {
    this.id = `databricks/${host}/job/${job.job_id}`;
    this.runs = new PagedList(
      async (token) => {
        const page = await (await provider.service()).listRuns(this.job.job_id, token, RUN_PAGE);
        return { items: page.items, nextToken: page.nextPageToken };
      },
      { key: (r) => String(r.run_id) },
    );
  }

  get name(): string {
    return this.job.settings?.name ?? `Job ${this.job.job_id}`;
  }

  get hasActiveRuns(): boolean {
    return this.runs.items.some((r) => isRunActive(r.state));
  }

  /** The runs loaded so far; undefined before the first page is in. */
  get loadedRuns(): readonly Run[] | undefined {
    return this.runs.loaded ? this.runs.items : undefined;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const s = this.job.settings?.schedule;
    const compute = computeOfTasks(this.job.settings?.tasks);
    const scheduleWord = s ? (s.pause_status === 'PAUSED' ? 'schedule paused' : 'scheduled') : undefined;
    item.description = [compute?.kind === 'serverless' ? 'serverless' : undefined, scheduleWord].filter(Boolean).join(' · ') || undefined;
    item.iconPath = new vscode.ThemeIcon('briefcase');
    const computeLine = compute ? `\nCompute: ${computeLabel(compute)}` : '';
    item.tooltip = `${this.name}\nJob ID: ${this.job.job_id}${this.job.creator_user_name ? `\nCreator: ${this.job.creator_user_name}` : ''}${computeLine}${s ? `\nSchedule: ${s.quartz_cron_expression} (${s.timezone_id})${s.pause_status === 'PAUSED' ? ', paused' : ''}` : ''}`;
    item.contextValue = jobContext(s?.pause_status ?? (s ? 'UNPAUSED' : undefined));
    return item;
  }

  /** Forget the loaded runs so the next expand loads them again (a page in flight is dropped). */
  invalidate(): void {
    this.runs.reset();
  }

  async getChildren(): Promise<DatabricksNode[]> {
    const runs = await pagedChildren(this.runs, {
      id: `${this.id}/runs`,
      node: this,
      item: (r) => new RunNode(this, r),
      emptyLabel: 'No runs yet',
      policy: DATABRICKS_FAILURES,
      loadMoreCommand: 'ferry.databricks.loadMore',
      changed: () => this.provider.changed(this),
    });
    this.provider.runsShown();
    return this.job.settings?.schedule ? [new ScheduleNode(this), ...runs] : runs;
  }
}

export class JobsTreeProvider implements vscode.TreeDataProvider<DatabricksNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<DatabricksNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly jobs: PagedList<JobNode>;
  private visible = false;
  private timer: NodeJS.Timeout | undefined;
  private delay = 3000;
  private readonly subscription: { dispose(): void };

  constructor(private readonly connection: ConnectionManager) {
    this.jobs = new PagedList(
      async (token) => {
        const conn = await this.connection.current();
        const page = await conn.jobs.listJobs(token, JOB_PAGE);
        return { items: page.items.map((j) => new JobNode(this, conn.host, j)), nextToken: page.nextPageToken };
      },
      { key: (j) => String(j.job.job_id) },
    );
    this.subscription = connection.onDidChange(() => this.refresh());
  }

  async service(): Promise<JobsService> {
    return (await this.connection.current()).jobs;
  }

  changed(node?: DatabricksNode): void {
    this.emitter.fire(node);
  }

  /** Reloads everything. */
  refresh(): void {
    this.jobs.reset();
    this.emitter.fire(undefined);
  }

  /** Reloads one job's runs (after run now, cancel). */
  refreshJob(jobId: number): void {
    const node = this.findJob(jobId);
    if (!node) return this.refresh();
    node.invalidate();
    this.delay = 3000;
    this.emitter.fire(node);
  }

  findJob(jobId: number): JobNode | undefined {
    return this.jobs.items.find((j) => j.job.job_id === jobId);
  }

  /** The job nodes loaded so far (for reveal and tests); undefined before the first page is in. */
  get loadedJobs(): readonly JobNode[] | undefined {
    return this.jobs.loaded ? this.jobs.items : undefined;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.schedule();
  }

  /** Called when runs were (re)loaded: poll if some are still going and the view is visible. */
  runsShown(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const active = this.jobs.items.filter((j) => j.hasActiveRuns);
    if (!this.visible || active.length === 0) {
      this.delay = 3000;
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const j of active) {
        j.invalidate();
        this.emitter.fire(j);
      }
    }, this.delay);
    this.delay = Math.min(15_000, Math.round(this.delay * 1.5));
  }

  getTreeItem(node: DatabricksNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: DatabricksNode): DatabricksNode | undefined {
    if (node instanceof RunNode || node instanceof ScheduleNode) return node.job;
    return node.parent as DatabricksNode | undefined;
  }

  async getChildren(node?: DatabricksNode): Promise<DatabricksNode[]> {
    if (node) return (await node.getChildren?.()) ?? [];
    return pagedChildren<JobNode, DatabricksNode, JobNode>(this.jobs, {
      id: 'databricks/jobs',
      node: undefined,
      item: (j) => j,
      emptyLabel: 'No jobs in this workspace',
      policy: DATABRICKS_FAILURES,
      loadMoreCommand: 'ferry.databricks.loadMore',
      changed: () => this.emitter.fire(undefined),
    });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
