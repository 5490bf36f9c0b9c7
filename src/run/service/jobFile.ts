// From a local file to the job that runs it: a notebook (source .py with the header, or .ipynb)
// becomes a notebook_task on the notebook object the workspace import makes (its path without the
// extension); any other .py a spark_python_task. On serverless a Python file's requirements.txt
// (beside it) becomes its environment's dependencies; local wheels it names are pushed too.
import fs from 'node:fs';
import path from 'node:path';
import { FerryError } from '../../core/errors';
import { JobCompute, JobSource } from '../../databricks/jobSpec';
import { detectNotebook, notebookPathFor } from '../../databricks/notebookFiles';
import { planRequirements } from '../../databricks/requirements';
import { toWorkspaceApiPath } from './paths';
import { contentForUpload } from './push';

export type ComputeChoice = { kind: 'cluster'; clusterId: string; clusterName?: string } | { kind: 'serverless'; environmentVersion?: string };

export interface FileJobPlan {
  source: JobSource;
  compute: JobCompute;
  /** 'notebook' or 'Python file', for messages and facts. */
  taskKind: 'notebook' | 'Python file';
  /** Local files the job needs beside the file itself (wheels named by requirements.txt). */
  extraFiles: string[];
  /** Things the user should know (requirements lines skipped, requirements not used). */
  notes: string[];
}

export const REQUIREMENTS_FILE = 'requirements.txt';

/**
 * Plans the job for `localFile`, whose workspace path (as pushed) is `remoteFile`. `remoteOf`
 * maps another local file to its workspace path, or gives undefined when Ferry would not push it.
 */
export function planFileJob(opts: {
  localFile: string;
  remoteFile: string;
  compute: ComputeChoice;
  remoteOf: (local: string) => string | undefined;
  parameters?: string[];
}): FileJobPlan {
  const name = path.basename(opts.localFile);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(opts.localFile);
  } catch (err) {
    throw new FerryError('invalidInput', `${name} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const detected = detectNotebook(opts.localFile, contentForUpload(opts.localFile, bytes));
  if ('problem' in detected) throw new FerryError('invalidInput', `${name} cannot run as a notebook: ${detected.problem}.`);
  const notes: string[] = [];
  const extraFiles: string[] = [];
  if (detected.notebook) {
    const source: JobSource = { kind: 'notebook', path: toWorkspaceApiPath(notebookPathFor(opts.remoteFile)) };
    if (opts.compute.kind === 'serverless' && fs.existsSync(path.join(path.dirname(opts.localFile), REQUIREMENTS_FILE))) {
      notes.push(
        `${REQUIREMENTS_FILE} is not used for a notebook on serverless: a serverless notebook installs its own libraries (%pip install in the notebook).`,
      );
    }
    return { source, compute: opts.compute.kind === 'cluster' ? opts.compute : { kind: 'serverless' }, taskKind: 'notebook', extraFiles, notes };
  }
  if (!/\.py$/i.test(name)) throw new FerryError('invalidInput', `${name} is neither a Python file nor a notebook, so it cannot run as a job.`);
  const source: JobSource = { kind: 'python', path: opts.remoteFile, parameters: opts.parameters };
  if (opts.compute.kind === 'cluster') return { source, compute: opts.compute, taskKind: 'Python file', extraFiles, notes };
  const reqFile = path.join(path.dirname(opts.localFile), REQUIREMENTS_FILE);
  let dependencies: string[] = [];
  if (fs.existsSync(reqFile)) {
    const plan = planRequirements(fs.readFileSync(reqFile, 'utf8'), (relative) => {
      const local = path.resolve(path.dirname(reqFile), ...relative.split('/'));
      if (!fs.existsSync(local)) return { why: `${local} does not exist` };
      const remote = opts.remoteOf(local);
      return remote ? { local, remote } : { why: 'it is outside the workspace folder, which is what Ferry pushes' };
    });
    dependencies = plan.dependencies;
    extraFiles.push(...plan.localFiles);
    for (const s of plan.skipped) notes.push(`${REQUIREMENTS_FILE} line ${s.line} (${s.text}) was left out: ${s.why}.`);
  }
  return {
    source,
    compute: { kind: 'serverless', environmentVersion: opts.compute.environmentVersion, dependencies },
    taskKind: 'Python file',
    extraFiles,
    notes,
  };
}
