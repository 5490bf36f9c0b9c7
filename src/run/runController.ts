// The editor side of run-on-cluster: turns a document, a cell or a selection into a RunRequest,
// finds the cluster (the folder's default) and the remote root, shows progress with Cancel,
// sends every output to the result viewer and the inline preview, and keeps one set of services
// per connected workspace (dropped when the workspace changes).
import path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, classifyError, FerryError } from '../core/errors';
import { Logger } from '../core/logger';
import { redact } from '../core/redact';
import { ActiveConnection } from '../databricks/connection';
import { currentUser } from '../databricks/workspace';
import { SettingsService } from '../editor/settings';
import { ResultFacts, ResultHandle, ResultOutput, ResultPresenter } from '../results/model';
import { ClusterGate, ClusterInfo } from './service/clusterGate';
import { ExecutionApi } from './service/execution';
import { JobRunner, JobRunResult } from './service/jobs';
import { ComputeChoice, planFileJob } from './service/jobFile';
import { interactiveNeedsCluster } from './serverlessGuard';
import type { DefaultCluster } from '../views/databricks/defaultCluster';
import { PathMapper, resolveRemoteRoot } from './service/paths';
import { listPushableFiles, PushCache, PushResult, PushRules, WorkspacePusher } from './service/push';
import { RunKind, RunOutcome, RunService, RunTarget } from './service/runService';
import { SessionKey, SessionManager } from './service/sessions';
import { SessionVariables } from './service/sessionVariables';
import { InlineResults } from './inlineResults';
import { formatSeconds } from './inlineSummary';
import { count } from '../core/text';
import { ui } from '../editor/messages';
import { withCancellableProgress } from '../editor/progress';
import { runFerryCommand } from '../editor/commandArgs';

export interface RunControllerDeps {
  connection: { current(): Promise<ActiveConnection>; onDidChange: vscode.Event<void> };
  defaultCluster: { get(resource?: vscode.Uri): Promise<DefaultCluster | undefined>; tryGet(resource?: vscode.Uri): Promise<DefaultCluster | undefined> };
  presenter: ResultPresenter;
  settings: SettingsService;
  logger: Logger;
  /** Folder for the push cache (the extension's global storage). */
  storageDir: string;
  /** Facts linking the MLflow runs a run's output names (MLflow's "View run … at:" line); optional. */
  mlflowFacts?: (outputs: ResultOutput[], window: { startedAt: number; endedAt: number }) => Promise<ResultFacts>;
}

interface WorkspaceServices {
  connection: ActiveConnection;
  runService: RunService;
  sessions: SessionManager;
  jobs: JobRunner;
  pusher: WorkspacePusher;
  gate: ClusterGate;
  userName: Promise<string>;
}

export interface ResolvedTarget {
  target: RunTarget;
  clusterName: string;
  localRoot: string;
}

export class RunController implements vscode.Disposable {
  readonly inline: InlineResults;
  private services: Promise<WorkspaceServices> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly cache: PushCache;
  /** Runs in flight, so a notebook interrupt or Restart Session can cancel them. */
  private readonly running = new Set<AbortController>();
  private readonly variablesChanged = new vscode.EventEmitter<void>();
  /** A session's variables changed (after any run, or a refresh): the Session view redraws. */
  readonly onDidChangeVariables = this.variablesChanged.event;

  constructor(private readonly deps: RunControllerDeps) {
    this.inline = new InlineResults(() => deps.settings.get('pii.guard'));
    this.cache = new PushCache(path.join(deps.storageDir, 'push-cache.json'));
    this.subscriptions.push(
      deps.connection.onDidChange(() => {
        const old = this.services;
        this.services = undefined;
        void old?.then((s) => s.sessions.disposeAll()).catch(() => undefined);
      }),
    );
  }

  workspace(): Promise<WorkspaceServices> {
    if (!this.services) {
      const built = this.build();
      this.services = built;
      built.catch(() => {
        if (this.services === built) this.services = undefined;
      });
    }
    return this.services;
  }

  private async build(): Promise<WorkspaceServices> {
    const connection = await this.deps.connection.current();
    const logger = this.deps.logger;
    const api = new ExecutionApi(connection);
    const sessions = new SessionManager(api, logger);
    const gate = new ClusterGate(connection);
    const pusher = new WorkspacePusher(connection, this.cache, logger);
    const runService = new RunService(sessions, gate, pusher, {
      settings: () => ({
        autoStartCluster: this.deps.settings.get('databricks.autoStartCluster'),
        pollIntervalCapMs: this.deps.settings.get('databricks.pollIntervalCapMs'),
      }),
      confirmStart: (c) => this.confirmStart(c),
      logger,
    });
    this.subscriptions.push(runService.variables.onDidChange(() => this.variablesChanged.fire()));
    const userName = currentUser(connection).then((u) => u.userName);
    userName.catch(() => undefined);
    return { connection, runService, sessions, jobs: new JobRunner(connection), pusher, gate, userName };
  }

  private async confirmStart(cluster: ClusterInfo): Promise<boolean> {
    const start = 'Start Cluster';
    const always = 'Always Start';
    const pick = await ui.warn(`Cluster "${cluster.cluster_name ?? cluster.cluster_id}" is ${cluster.state.toLowerCase()}. Start it and run?`, start, always);
    if (pick === always) await this.deps.settings.update('databricks.autoStartCluster', true);
    return pick === start || pick === always;
  }

  /** The mapper for a file's workspace folder (or, outside any folder, the file's own folder). */
  async mapperFor(uri: vscode.Uri): Promise<{ mapper: PathMapper; folder: string; localRoot: string }> {
    const ws = await this.workspace();
    // An untitled document belongs to the first folder, as the default cluster does.
    const folder = vscode.workspace.getWorkspaceFolder(uri) ?? (uri.scheme === 'file' ? undefined : vscode.workspace.workspaceFolders?.[0]);
    const localRoot = folder ? folder.uri.fsPath : path.dirname(uri.fsPath);
    const folderName = folder ? folder.name : path.basename(localRoot);
    let user: string;
    try {
      user = await ws.userName;
    } catch (err) {
      // A fresh promise next time: the failure may have been a passing network error.
      this.services = undefined;
      throw err;
    }
    const remoteRoot = resolveRemoteRoot(this.deps.settings.get('databricks.remoteRoot'), user, folderName);
    return { mapper: new PathMapper(localRoot, remoteRoot), folder: (folder?.uri ?? vscode.Uri.file(localRoot)).toString(), localRoot };
  }

  /** The folder's default compute; without one, the picker is shown first. */
  private async defaultCompute(uri: vscode.Uri): Promise<DefaultCluster> {
    let compute = await this.deps.defaultCluster.get(uri);
    if (!compute) {
      await runFerryCommand('ferry.databricks.selectDefaultCluster', uri);
      compute = await this.deps.defaultCluster.get(uri);
      if (!compute) throw new CancelledError();
    }
    return compute;
  }

  /** The cluster for an interactive run; Serverless has no session to run in. */
  async resolve(uri: vscode.Uri): Promise<ResolvedTarget> {
    const { mapper, folder, localRoot } = await this.mapperFor(uri);
    const cluster = await this.defaultCompute(uri);
    if (cluster.kind === 'serverless') throw interactiveNeedsCluster(path.basename(uri.fsPath || uri.path), uri);
    return { target: { clusterId: cluster.clusterId, folder, mapper }, clusterName: cluster.clusterName ?? cluster.clusterId, localRoot };
  }

  /** The files pushed before a run: the folder's (changed ones only are sent), or just the file. */
  async filesToPush(uri: vscode.Uri, localRoot: string): Promise<string[]> {
    if (uri.scheme !== 'file') return [];
    return vscode.workspace.getWorkspaceFolder(uri) ? listPushableFiles(localRoot) : [uri.fsPath];
  }

  /** Runs code from a document; shows progress, the result viewer and (for cells and selections) the inline preview. */
  async runCode(doc: vscode.TextDocument, kind: RunKind, code: string, lines: { start: number; end: number }): Promise<RunOutcome | undefined> {
    const ws = await this.workspace();
    const resolved = await this.resolve(doc.uri);
    const name = path.basename(doc.uri.fsPath || doc.uri.path);
    const what = kind === 'file' ? name : kind === 'cell' ? `cell in ${name}` : `selection in ${name}`;
    const ac = new AbortController();
    this.running.add(ac);
    const inline = kind !== 'file';
    if (inline) this.inline.running(doc, lines.start, lines.end);
    const facts: ResultFacts = [{ label: 'Cluster', value: resolved.clusterName }];
    const push = await this.filesToPush(doc.uri, resolved.localRoot);
    const handle = this.deps.presenter.show({ source: 'databricks:run', title: `Run ${what}`, outputs: [], facts, onCancel: () => ac.abort() });
    const startedAt = Date.now();
    let shown = 0;
    let outcome: RunOutcome;
    try {
      outcome = await withCancellableProgress({ title: `Running ${what} on ${resolved.clusterName}`, controller: ac }, (_signal, progress) => {
        return ws.runService.run({
          target: resolved.target,
          kind,
          code,
          localFile: doc.uri.scheme === 'file' ? doc.uri.fsPath : path.join(resolved.localRoot, name),
          lineOffset: lines.start,
          push,
          signal: ac.signal,
          onProgress: (message) => progress.report({ message }),
          // Output shows while the code runs: printed text as it comes, tables and figures as they are made.
          onText: (chunk) => {
            shown++;
            handle.appendText(chunk);
          },
          onOutput: (o) => {
            shown++;
            handle.append(o);
          },
        });
      });
    } catch (err) {
      handle.finish(ac.signal.aborted ? 'cancelled' : 'failed');
      if (inline) this.inline.clear(doc, lines.start, lines.end);
      throw err;
    } finally {
      this.running.delete(ac);
    }
    if (shown === 0 && outcome.state === 'succeeded') handle.append({ kind: 'text', text: '(no output)' });
    const done: ResultFacts = [
      ...facts,
      { label: 'Duration', value: formatSeconds(outcome.durationMs) },
      { label: 'Session', value: outcome.newSession ? 'new' : 'reused' },
      ...(outcome.pushed ? [{ label: 'Pushed', value: count(outcome.pushed, 'file') }] : []),
    ];
    handle.setFacts(done);
    handle.finish(outcome.state);
    this.linkMlflowRuns(handle, done, outcome.outputs, startedAt);
    if (inline) this.inline.set(doc, lines.start, lines.end, outcome);
    if (outcome.lost) {
      // Never sent again without the user's say: the code may have partly run.
      const again = 'Run Again';
      void ui.warn(`${outcome.lost} (${what} on ${resolved.clusterName})`, again, 'Show Log').then((pick) => {
        if (pick === again) void this.runCode(doc, kind, code, lines).catch((err) => void ui.error(classifyError(err).message));
        else if (pick === 'Show Log') void runFerryCommand('ferry.showLog');
      });
    } else if (outcome.sessionLost) {
      void ui.warn(
        `The Python session on ${resolved.clusterName} was lost (the cluster restarted or the session expired); a new one was started, so earlier variables are gone.`,
      );
    }
    return outcome;
  }

  /** Pushes files (or folders); `confirm` is asked with the changed files before any is sent. */
  async push(uris: vscode.Uri[], folderMode: boolean, confirm?: (files: string[], remoteRoot: string) => Promise<boolean>): Promise<PushResult> {
    const ws = await this.workspace();
    const first = uris[0];
    const { mapper, localRoot } = await this.mapperFor(first);
    const files = folderMode ? (await Promise.all(uris.map((u) => listPushableFiles(u.fsPath, new PushRules(localRoot))))).flat() : uris.map((u) => u.fsPath);
    const outside = files.filter((f) => !mapper.toRemote(f) || mapper.toRemote(f) === mapper.remoteRoot);
    if (outside.length)
      throw new FerryError(
        'invalidInput',
        `${count(outside.length, 'file')} ${outside.length === 1 ? 'is' : 'are'} outside the workspace folder ${localRoot} and cannot be pushed under the remote root.`,
      );
    return withCancellableProgress({ title: `Pushing to ${mapper.remoteRoot}` }, (signal, progress) => {
      return ws.pusher.push(files, mapper, {
        signal,
        confirm: confirm && ((changed) => confirm(changed, mapper.remoteRoot)),
        onProgress: (done, total, remote) => progress.report({ message: `${done}/${total} ${remote.split('/').pop()}`, increment: 100 / total }),
      });
    });
  }

  /** Runs a file (Python file or notebook) as a one-time job on the folder's default compute (a cluster or serverless). */
  async runAsJob(uri: vscode.Uri): Promise<JobRunResult> {
    const ws = await this.workspace();
    const { mapper, localRoot } = await this.mapperFor(uri);
    const def = await this.defaultCompute(uri);
    const name = path.basename(uri.fsPath);
    const remote = mapper.toRemote(uri.fsPath);
    if (!remote) throw new FerryError('invalidInput', `${name} is outside the workspace folder, so it has no place in the workspace to run from.`);
    const compute: ComputeChoice =
      def.kind === 'serverless'
        ? { kind: 'serverless', environmentVersion: this.deps.settings.get('databricks.serverlessEnvironmentVersion') }
        : { kind: 'cluster', clusterId: def.clusterId, clusterName: def.clusterName };
    const plan = planFileJob({ localFile: uri.fsPath, remoteFile: remote, compute, remoteOf: (local) => mapper.toRemote(local) });
    const push = await this.filesToPush(uri, localRoot);
    await ws.pusher.push([...push, ...plan.extraFiles.filter((f) => !push.includes(f))], mapper);
    const where = def.kind === 'serverless' ? 'serverless compute' : (def.clusterName ?? def.clusterId);
    const ac = new AbortController();
    const facts: ResultFacts = [
      { label: 'Compute', value: def.kind === 'serverless' ? 'Serverless' : where },
      { label: plan.taskKind === 'notebook' ? 'Notebook' : 'File', value: plan.source.path },
      // A requirement line may carry a token (git+https://user:token@…): redacted before it is shown.
      ...(plan.compute.kind === 'serverless' && plan.source.kind === 'python'
        ? [{ label: 'Dependencies', value: plan.compute.dependencies?.length ? redact(plan.compute.dependencies.join(', ')) : 'none' }]
        : []),
    ];
    const handle = this.deps.presenter.show({ source: 'databricks:job', title: `Job run of ${name}`, outputs: [], facts, onCancel: () => ac.abort() });
    for (const note of plan.notes) handle.append({ kind: 'text', text: redact(note) });
    const startedAt = Date.now();
    let result: JobRunResult;
    try {
      result = await withCancellableProgress({ title: `Running ${name} as a job on ${where}`, controller: ac }, (_signal, progress) => {
        return ws.jobs.run({
          compute: plan.compute,
          source: plan.source,
          mapper,
          signal: ac.signal,
          onSubmitted: (id) => progress.report({ message: `run ${id} submitted` }),
          onState: (s) => progress.report({ message: `${s.life_cycle_state.toLowerCase()}${s.state_message ? `: ${s.state_message}` : ''}` }),
        });
      });
    } catch (err) {
      handle.finish(ac.signal.aborted ? 'cancelled' : 'failed');
      throw err;
    }
    for (const o of result.outputs) handle.append(o);
    if (!result.outputs.length) handle.append({ kind: 'text', text: '(the run printed nothing)' });
    const done: ResultFacts = [
      ...facts,
      { label: 'Run', value: String(result.runId) },
      { label: 'Result', value: result.resultState ?? result.lifeCycleState },
      ...(result.runPageUrl ? [{ label: 'Run page', value: result.runPageUrl }] : []),
    ];
    handle.setFacts(done);
    handle.finish(result.state);
    this.linkMlflowRuns(handle, done, result.outputs, startedAt);
    return result;
  }

  /** Adds links to the MLflow runs the output names to the result's header, once they are confirmed (never blocks the run). */
  private linkMlflowRuns(handle: ResultHandle, facts: ResultFacts, outputs: ResultOutput[], startedAt: number): void {
    if (!this.deps.mlflowFacts) return;
    this.deps
      .mlflowFacts(outputs, { startedAt, endedAt: Date.now() })
      .then((links) => {
        if (links.length) handle.setFacts([...facts, ...links]);
      })
      .catch((err) => this.deps.logger.warn(`Could not link the MLflow run: ${classifyError(err).message}`));
  }

  /**
   * The session the Session view shows: the active notebook's, else that of the active file's
   * folder on its default cluster; undefined when there is no cluster or no session yet.
   */
  async currentSession(): Promise<{ key: SessionKey; uri: vscode.Uri; clusterName: string; live: boolean } | undefined> {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    const uri = notebook?.uri ?? vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!uri) return undefined;
    const cluster = await this.deps.defaultCluster.tryGet(uri);
    // Serverless has no session to show.
    if (!cluster || cluster.kind !== 'cluster') return undefined;
    let folder: string;
    if (notebook) folder = notebook.uri.toString();
    else {
      const ws = vscode.workspace.getWorkspaceFolder(uri) ?? (uri.scheme === 'file' ? undefined : vscode.workspace.workspaceFolders?.[0]);
      folder = (ws?.uri ?? vscode.Uri.file(path.dirname(uri.fsPath))).toString();
    }
    const key: SessionKey = { clusterId: cluster.clusterId, folder };
    const services = this.services ? await this.services.catch(() => undefined) : undefined;
    return { key, uri, clusterName: cluster.clusterName ?? cluster.clusterId, live: !!services?.sessions.has(key) };
  }

  /** The variables service of the connected workspace (undefined before anything ran). */
  async variables(): Promise<SessionVariables | undefined> {
    return this.services ? (await this.services.catch(() => undefined))?.runService.variables : undefined;
  }

  /** Runs a short piece of code in a session (Show, Delete from the Session view), results in the viewer. */
  async runSnippet(uri: vscode.Uri, key: SessionKey, code: string, title: string): Promise<RunOutcome> {
    const ws = await this.workspace();
    const resolved = await this.resolve(uri);
    const ac = new AbortController();
    const handle = this.deps.presenter.show({
      source: 'databricks:run',
      title,
      outputs: [],
      facts: [{ label: 'Cluster', value: resolved.clusterName }],
      onCancel: () => ac.abort(),
    });
    try {
      const outcome = await ws.runService.run({
        target: { ...resolved.target, clusterId: key.clusterId, folder: key.folder },
        kind: 'selection',
        code,
        localFile: path.join(resolved.localRoot, path.basename(uri.fsPath || uri.path) || 'session.py'),
        signal: ac.signal,
        onText: (chunk) => handle.appendText(chunk),
        onOutput: (o) => handle.append(o),
      });
      handle.finish(outcome.state);
      return outcome;
    } catch (err) {
      handle.finish(ac.signal.aborted ? 'cancelled' : 'failed');
      throw err;
    }
  }

  /** Destroys the session of a file's (cluster, folder); false when there was none. */
  async restartSession(uri: vscode.Uri | undefined): Promise<boolean> {
    const ws = await this.workspace();
    for (const ac of this.running) ac.abort();
    if (!uri) {
      const keys = ws.sessions.keys();
      await ws.sessions.disposeAll();
      return keys.length > 0;
    }
    const resolved = await this.resolve(uri);
    const key = { clusterId: resolved.target.clusterId, folder: resolved.target.folder };
    ws.runService.variables.clear(key);
    return ws.sessions.restart(key);
  }

  dispose(): void {
    for (const ac of this.running) ac.abort();
    void this.services?.then((s) => s.sessions.disposeAll()).catch(() => undefined);
    this.inline.dispose();
    this.variablesChanged.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
