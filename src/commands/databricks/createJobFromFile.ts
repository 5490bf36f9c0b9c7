// ferry.databricks.createJobFromFile (Create Job from File…): pushes the current .py file to the workspace and makes a job
// that runs it (spark_python_task) on the default or a chosen cluster, optionally on a schedule.
import path from 'node:path';
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { pythonFileJob, SCHEDULE_PRESETS, toQuartzCron } from '../../databricks/jobs';
import { currentUser, importFile, remotePathFor } from '../../databricks/workspace';
import { stateWord } from '../../views/databricks/clusterPresentation';
import { FerryCommand } from '../types';
import { DatabricksCommandDeps } from './shared';
import { ui } from '../../editor/messages';

export interface CreateJobOptions {
  name?: string;
  clusterId?: string;
  /** Quartz or Unix cron; '' for no schedule. */
  cron?: string;
  timezone?: string;
}

function localTimezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

async function chooseSchedule(): Promise<{ cron?: string; timezone?: string } | undefined> {
  type Item = vscode.QuickPickItem & { cron?: string; custom?: boolean };
  const items: Item[] = [{ label: 'No schedule', description: 'run only when started' }, ...SCHEDULE_PRESETS.map((p) => ({ label: p.label, description: p.cron, cron: p.cron })), { label: 'Custom cron expression…', custom: true }];
  const picked = await ui.pick(items, { placeHolder: 'Schedule for the job' });
  if (!picked) return undefined;
  let cron = picked.cron;
  if (picked.custom) {
    const typed = await vscode.window.showInputBox({
      title: 'Cron expression',
      prompt: 'Quartz cron (seconds minutes hours day-of-month month day-of-week), e.g. "0 30 7 * * ?"; a 5-field Unix cron is converted',
      ignoreFocusOut: true,
      validateInput: (v) => {
        const r = toQuartzCron(v);
        return 'error' in r ? r.error : undefined;
      },
    });
    if (!typed) return undefined;
    const r = toQuartzCron(typed);
    if ('error' in r) return undefined;
    cron = r.cron;
  }
  if (!cron) return {};
  const tz = await vscode.window.showInputBox({ title: 'Timezone of the schedule', value: localTimezone(), prompt: 'A Java timezone id such as UTC or Europe/Berlin', ignoreFocusOut: true });
  if (tz === undefined) return undefined;
  return { cron, timezone: tz.trim() || 'UTC' };
}

export function createJobFromFileCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.createJobFromFile',
    run: async (arg?: unknown, given?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri) throw new FerryError('invalidInput', 'Open a Python file first, or run this from a .py file in the Explorer.');
      if (!uri.path.toLowerCase().endsWith('.py')) throw new FerryError('invalidInput', `${path.basename(uri.path)} is not a Python (.py) file.`);
      const opts = (given && typeof given === 'object' ? given : {}) as CreateJobOptions;
      const conn = await deps.connection.current();

      let clusterId = opts.clusterId;
      if (!clusterId) {
        const def = await deps.defaults.tryGet(uri);
        if (deps.clustersModel.clusters === undefined) await deps.clustersModel.refresh();
        type Item = vscode.QuickPickItem & { id?: string };
        const items: Item[] = (deps.clustersModel.clusters ?? []).map((c) => ({ label: `${c.cluster_id === def?.clusterId ? '$(star-full) ' : ''}${c.cluster_name ?? c.cluster_id}`, description: `${stateWord(c.state)}${c.cluster_id === def?.clusterId ? ' · default' : ''}`, id: c.cluster_id }));
        items.sort((a, b) => Number(b.id === def?.clusterId) - Number(a.id === def?.clusterId));
        if (deps.clustersModel.error !== undefined) throw deps.clustersModel.error;
        if (!items.length) throw new FerryError('invalidInput', 'This workspace has no cluster to run the job on.');
        const picked = await ui.pick(items, { placeHolder: 'Cluster the job runs on' });
        clusterId = picked?.id;
        if (!clusterId) return;
      }

      const base = path.basename(uri.path);
      const name = opts.name ?? (await vscode.window.showInputBox({ title: 'Job name', value: base.replace(/\.py$/i, ''), ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter a name') }));
      if (!name) return;

      let schedule: { cron?: string; timezone?: string } | undefined;
      if (opts.cron !== undefined) {
        if (opts.cron) {
          const r = toQuartzCron(opts.cron);
          if ('error' in r) throw new FerryError('invalidInput', r.error);
          schedule = { cron: r.cron, timezone: opts.timezone ?? 'UTC' };
        } else schedule = {};
      } else schedule = await chooseSchedule();
      if (!schedule) return;

      const folder = vscode.workspace.getWorkspaceFolder(uri);
      const relativePath = folder ? path.relative(folder.uri.fsPath, uri.fsPath) : base;
      const me = await currentUser(conn);
      const remotePath = remotePathFor({ remoteRoot: deps.settings.get('databricks.remoteRoot'), userName: me.userName, folderName: folder?.name, relativePath });
      const content = await vscode.workspace.fs.readFile(uri);

      const jobId = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating job ${name}…` }, async (progress) => {
        progress.report({ message: `pushing ${remotePath}` });
        await importFile(conn, remotePath, content);
        progress.report({ message: 'creating the job' });
        return conn.jobs.createJob(pythonFileJob({ name: name.trim(), pythonFile: remotePath, clusterId: clusterId as string, cron: schedule?.cron, timezone: schedule?.timezone }));
      });
      deps.jobsTree.refresh();
      void ui.info(`Created job ${name} (${jobId}) running ${remotePath}${schedule.cron ? ` on schedule ${schedule.cron}` : ''}.`, 'Run Now').then((c) => {
        if (c) void vscode.commands.executeCommand('ferry.databricks.runJobNow', jobId);
      });
      return jobId;
    },
  };
}
