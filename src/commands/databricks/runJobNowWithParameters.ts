// ferry.databricks.runJobNowWithParameters: starts a run with parameters given as arguments or typed in.
import * as vscode from 'vscode';
import { FerryCommand } from '../types';
import { parseWidgetValues } from '../../databricks/jobs';
import { DatabricksCommandDeps, jobFrom, parseParameters, startRun } from './shared';

/** Run now with parameters: job-level parameters one by one, else a notebook's widget values or the Python task's arguments. */
export function runJobNowWithParametersCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.runJobNowWithParameters',
    run: async (arg?: unknown, given?: unknown) => {
      let job = await jobFrom(deps, arg);
      if (!job) return;
      if (!job.settings?.tasks && !job.settings?.parameters) job = await (await deps.connection.current()).jobs.getJob(job.job_id);
      if (given && typeof given === 'object') {
        return Array.isArray(given)
          ? startRun(deps, job, { pythonParams: given.map(String) })
          : startRun(deps, job, { jobParameters: given as Record<string, string> });
      }
      const declared = job.settings?.parameters ?? [];
      if (declared.length) {
        const values: Record<string, string> = {};
        for (const p of declared) {
          const v = await vscode.window.showInputBox({
            title: `Run ${job.settings?.name ?? job.job_id}: parameter ${p.name}`,
            value: p.default,
            ignoreFocusOut: true,
          });
          if (v === undefined) return;
          values[p.name] = v;
        }
        return startRun(deps, job, { jobParameters: values });
      }
      const notebook = job.settings?.tasks?.[0]?.notebook_task;
      if (notebook) {
        // A notebook job takes widget values (notebook_params), not command-line arguments.
        const text = await vscode.window.showInputBox({
          title: `Run ${job.settings?.name ?? job.job_id} with widget values`,
          prompt: 'name=value pairs separated by spaces (quote values with spaces), or a JSON object',
          value: Object.entries(notebook.base_parameters ?? {})
            .map(([k, v]) => `${k}=${/\s/.test(v) ? JSON.stringify(v) : v}`)
            .join(' '),
          ignoreFocusOut: true,
          validateInput: (v) => {
            try {
              parseWidgetValues(v);
              return undefined;
            } catch (err) {
              return err instanceof Error ? err.message : String(err);
            }
          },
        });
        if (text === undefined) return;
        return startRun(deps, job, { notebookParams: parseWidgetValues(text) });
      }
      const current = job.settings?.tasks?.[0]?.spark_python_task?.parameters ?? [];
      const text = await vscode.window.showInputBox({
        title: `Run ${job.settings?.name ?? job.job_id} with parameters`,
        prompt: 'Arguments for the Python file, separated by spaces (quote those with spaces), or a JSON array',
        value: current.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' '),
        ignoreFocusOut: true,
        validateInput: (v) => {
          try {
            parseParameters(v);
            return undefined;
          } catch (err) {
            return err instanceof Error ? err.message : String(err);
          }
        },
      });
      if (text === undefined) return;
      return startRun(deps, job, { pythonParams: parseParameters(text) });
    },
  };
}
