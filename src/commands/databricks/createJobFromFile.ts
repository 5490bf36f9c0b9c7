// ferry.databricks.createJobFromFile (Create Job from File…): pushes the current file (a Python
// file or a notebook: source .py or .ipynb) to the workspace and makes a job that runs it, as a
// spark_python_task or a notebook_task, on Serverless or a cluster (the default is offered first),
// optionally on a schedule. On Serverless a Python file's requirements.txt gives the dependencies.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { fileJob, SCHEDULE_PRESETS, toQuartzCron } from '../../databricks/jobs';
import { currentUser, importFile, remotePathFor } from '../../databricks/workspace';
import { ComputeChoice, planFileJob } from '../../run/service/jobFile';
import { contentForUpload } from '../../run/service/push';
import { FerryCommand } from '../types';
import { pickCompute } from './computePicker';
import { jobTargetFile } from './jobTarget';
import { DatabricksCommandDeps } from './shared';
import { ui } from '../../editor/messages';
import { runFerryCommand } from '../../editor/commandArgs';

export interface CreateJobOptions {
  name?: string;
  clusterId?: string;
  /** Run on serverless compute (no cluster). */
  serverless?: boolean;
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
  const items: Item[] = [
    { label: 'No schedule', description: 'run only when started' },
    ...SCHEDULE_PRESETS.map((p) => ({ label: p.label, description: p.cron, cron: p.cron })),
    { label: 'Custom cron expression…', custom: true },
  ];
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
  const tz = await vscode.window.showInputBox({
    title: 'Timezone of the schedule',
    value: localTimezone(),
    prompt: 'A Java timezone id such as UTC or Europe/Berlin',
    ignoreFocusOut: true,
  });
  if (tz === undefined) return undefined;
  return { cron, timezone: tz.trim() || 'UTC' };
}

export function createJobFromFileCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.createJobFromFile',
    run: async (arg?: unknown, given?: unknown) => {
      const uri = await jobTargetFile(arg);
      const opts = (given && typeof given === 'object' ? given : {}) as CreateJobOptions;
      const conn = await deps.connection.current();

      let compute: ComputeChoice | undefined;
      const serverless = (): ComputeChoice => ({ kind: 'serverless', environmentVersion: deps.settings.get('databricks.serverlessEnvironmentVersion') });
      if (opts.serverless) compute = serverless();
      else if (opts.clusterId) compute = { kind: 'cluster', clusterId: opts.clusterId };
      else {
        const picked = await pickCompute(deps, { placeHolder: 'Compute the job runs on', current: await deps.defaults.tryGet(uri), purpose: 'job' });
        if (!picked) return;
        compute =
          picked.kind === 'serverless' ? serverless() : { kind: 'cluster', clusterId: picked.cluster.cluster_id, clusterName: picked.cluster.cluster_name };
      }

      const base = path.basename(uri.fsPath);
      const name =
        opts.name ??
        (await vscode.window.showInputBox({
          title: 'Job name',
          value: base.replace(/\.(py|ipynb)$/i, ''),
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : 'Enter a name'),
        }));
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
      const me = await currentUser(conn);
      const remoteOf = (local: string): string | undefined => {
        const relativePath = folder ? path.relative(folder.uri.fsPath, local) : path.relative(path.dirname(uri.fsPath), local);
        if (relativePath.startsWith('..') || path.isAbsolute(relativePath)) return undefined;
        return remotePathFor({ remoteRoot: deps.settings.get('databricks.remoteRoot'), userName: me.userName, folderName: folder?.name, relativePath });
      };
      const remotePath =
        remoteOf(uri.fsPath) ??
        remotePathFor({ remoteRoot: deps.settings.get('databricks.remoteRoot'), userName: me.userName, folderName: folder?.name, relativePath: base });
      const plan = planFileJob({ localFile: uri.fsPath, remoteFile: remotePath, compute, remoteOf });
      const where = plan.compute.kind === 'serverless' ? 'Serverless' : compute.kind === 'cluster' ? (compute.clusterName ?? compute.clusterId) : '';

      const jobId = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating job ${name}…` }, async (progress) => {
        for (const local of [uri.fsPath, ...plan.extraFiles]) {
          const remote = local === uri.fsPath ? remotePath : remoteOf(local);
          if (!remote) continue;
          progress.report({ message: `pushing ${remote}` });
          await importFile(conn, remote, contentForUpload(local, fs.readFileSync(local)));
        }
        progress.report({ message: 'creating the job' });
        return conn.jobs.createJob(
          fileJob({ name: name.trim(), source: plan.source, compute: plan.compute, cron: schedule?.cron, timezone: schedule?.timezone }),
        );
      });
      deps.jobsTree.refresh();
      for (const note of plan.notes) void ui.warn(`Job ${name}: ${note}`);
      void ui
        .info(
          `Created job ${name} (${jobId}) running the ${plan.taskKind} ${plan.source.path} on ${where}${schedule.cron ? ` on schedule ${schedule.cron}` : ''}.`,
          'Run Now',
        )
        .then((c) => {
          if (c) void runFerryCommand('ferry.databricks.runJobNow', jobId);
        });
      return jobId;
    },
  };
}
