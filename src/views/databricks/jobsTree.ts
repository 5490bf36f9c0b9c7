// The Jobs view: jobs (paged, "Load more…") → the job's schedule and its recent runs (paged too).
// Runs still in progress are refreshed while the view is visible, with backoff; nothing is polled
// while it is hidden.
import * as vscode from 'vscode';
import { ConnectionManager } from '../../databricks/connection';
import { isRunActive, Job, JobsService, Run, runStatus } from '../../databricks/jobs';
import { escapeMd, runDescription, runIcon, runStatusWord } from './clusterPresentation';
import { CV, jobContext, runContext } from './contextValues';
import { DatabricksNode, errorNodes, LoadMoreNode, MessageNode } from './nodes';

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
    item.command = { title: 'Show Schedule', command: 'ferry.databricks.showJobSchedule', arguments: [this.job] };
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
    item.tooltip = md;
    item.command = { title: 'Show Run Output', command: 'ferry.databricks.showRunOutput', arguments: [this] };
    return item;
  }
}

export class JobNode implements DatabricksNode {
  readonly id: string;
  private runs: Run[] | undefined;
  private nextToken: string | undefined;
  private error: unknown;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly provider: JobsTreeProvider,
    readonly host: string,
    public job: Job,
  ) {
    this.id = `databricks/${host}/job/${job.job_id}`;
  }

  get name(): string {
    return this.job.settings?.name ?? `Job ${this.job.job_id}`;
  }

  get hasActiveRuns(): boolean {
    return (this.runs ?? []).some((r) => isRunActive(r.state));
  }

  get loadedRuns(): Run[] | undefined {
    return this.runs;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const s = this.job.settings?.schedule;
    item.description = s ? (s.pause_status === 'PAUSED' ? 'schedule paused' : 'scheduled') : undefined;
    item.iconPath = new vscode.ThemeIcon('briefcase');
    item.tooltip = `${this.name}\nJob ID: ${this.job.job_id}${this.job.creator_user_name ? `\nCreator: ${this.job.creator_user_name}` : ''}${s ? `\nSchedule: ${s.quartz_cron_expression} (${s.timezone_id})${s.pause_status === 'PAUSED' ? ', paused' : ''}` : ''}`;
    item.contextValue = jobContext(s?.pause_status ?? (s ? 'UNPAUSED' : undefined));
    return item;
  }

  /** Forget the loaded runs so the next expand loads them again. */
  invalidate(): void {
    this.runs = undefined;
    this.nextToken = undefined;
    this.error = undefined;
  }

  private loadRuns(more: boolean): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      try {
        const jobs = await this.provider.service();
        const page = await jobs.listRuns(this.job.job_id, more ? this.nextToken : undefined, RUN_PAGE);
        this.runs = more ? [...(this.runs ?? []), ...page.items.filter((r) => !(this.runs ?? []).some((x) => x.run_id === r.run_id))] : page.items;
        this.nextToken = page.nextPageToken;
        this.error = undefined;
      } catch (err) {
        this.error = err;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  async getChildren(): Promise<DatabricksNode[]> {
    if (this.runs === undefined && this.error === undefined) await this.loadRuns(false);
    const nodes: DatabricksNode[] = [];
    if (this.job.settings?.schedule) nodes.push(new ScheduleNode(this));
    if (this.error !== undefined) return [...nodes, ...errorNodes(`${this.id}/runs`, this.error)];
    const runs = this.runs ?? [];
    if (runs.length === 0) nodes.push(new MessageNode(`${this.id}/noRuns`, 'No runs yet', new vscode.ThemeIcon('info')));
    nodes.push(...runs.map((r) => new RunNode(this, r)));
    if (this.nextToken) {
      nodes.push(
        new LoadMoreNode(`${this.id}/more`, async () => {
          await this.loadRuns(true);
          this.provider.changed(this);
        }),
      );
    }
    this.provider.runsShown();
    return nodes;
  }
}

export class JobsTreeProvider implements vscode.TreeDataProvider<DatabricksNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<DatabricksNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private jobs: JobNode[] | undefined;
  private nextToken: string | undefined;
  private error: unknown;
  private loading: Promise<void> | undefined;
  private visible = false;
  private timer: NodeJS.Timeout | undefined;
  private delay = 3000;
  private readonly subscription: { dispose(): void };

  constructor(private readonly connection: ConnectionManager) {
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
    this.jobs = undefined;
    this.nextToken = undefined;
    this.error = undefined;
    this.emitter.fire(undefined);
  }

  /** Reloads one job's runs (after run now, cancel). */
  refreshJob(jobId: number): void {
    const node = this.jobs?.find((j) => j.job.job_id === jobId);
    if (!node) return this.refresh();
    node.invalidate();
    this.delay = 3000;
    this.emitter.fire(node);
  }

  findJob(jobId: number): JobNode | undefined {
    return this.jobs?.find((j) => j.job.job_id === jobId);
  }

  /** The job nodes loaded so far (for reveal and tests). */
  get loadedJobs(): JobNode[] | undefined {
    return this.jobs;
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
    const active = (this.jobs ?? []).filter((j) => j.hasActiveRuns);
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

  private loadJobs(more: boolean): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      try {
        const conn = await this.connection.current();
        const page = await conn.jobs.listJobs(more ? this.nextToken : undefined, JOB_PAGE);
        const existing = more ? (this.jobs ?? []) : [];
        const fresh = page.items.filter((j) => !existing.some((e) => e.job.job_id === j.job_id)).map((j) => new JobNode(this, conn.host, j));
        this.jobs = [...existing, ...fresh];
        this.nextToken = page.nextPageToken;
        this.error = undefined;
      } catch (err) {
        this.error = err;
        this.jobs = undefined;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  getTreeItem(node: DatabricksNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: DatabricksNode): DatabricksNode | undefined {
    if (node instanceof RunNode || node instanceof ScheduleNode) return node.job;
    return undefined;
  }

  async getChildren(node?: DatabricksNode): Promise<DatabricksNode[]> {
    if (node) return (await node.getChildren?.()) ?? [];
    if (this.jobs === undefined && this.error === undefined) await this.loadJobs(false);
    if (this.error !== undefined) return errorNodes('databricks/jobs', this.error);
    const jobs = this.jobs ?? [];
    if (jobs.length === 0) return [new MessageNode('databricks/jobs/empty', 'No jobs in this workspace', new vscode.ThemeIcon('info'))];
    const nodes: DatabricksNode[] = [...jobs];
    if (this.nextToken) {
      nodes.push(
        new LoadMoreNode('databricks/jobs/more', async () => {
          await this.loadJobs(true);
          this.emitter.fire(undefined);
        }),
      );
    }
    return nodes;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
