// The one compute picker (default cluster, Run File as Job, Create Job from File): Serverless
// beside the workspace's clusters, the current default marked. Serverless is offered even when the
// cluster list fails, since it needs no cluster.
import * as vscode from 'vscode';
import { classifyError } from '../../core/errors';
import { ClusterDetails } from '../../databricks/clusters';
import { ui } from '../../editor/messages';
import { stateWord } from '../../views/databricks/clusterPresentation';
import { DefaultCluster, defaultClusterId } from '../../views/databricks/defaultCluster';
import { DatabricksCommandDeps } from './shared';

export type PickedCompute = { kind: 'cluster'; cluster: ClusterDetails } | { kind: 'serverless' };

export const SERVERLESS_LABEL = 'Serverless';

type Item = vscode.QuickPickItem & { pick?: PickedCompute; action?: () => Promise<void> };

export interface ComputePickOptions {
  placeHolder: string;
  /** The folder's default, marked in the list. */
  current?: DefaultCluster;
  /** 'default': choosing the folder's default (Serverless is for jobs only); 'job': where one job runs. */
  purpose: 'default' | 'job';
  /** Items above the list (e.g. "Start <default cluster>"). */
  actions?: Array<{ label: string; run: () => Promise<void> }>;
}

/** Asks for compute; undefined when the user dismisses the picker (an action, once run, also gives undefined). */
export async function pickCompute(deps: DatabricksCommandDeps, opts: ComputePickOptions): Promise<PickedCompute | undefined> {
  let listError: string | undefined;
  try {
    await deps.clustersModel.refresh();
  } catch (err) {
    listError = classifyError(err).message;
  }
  if (deps.clustersModel.error !== undefined) listError = classifyError(deps.clustersModel.error).message;
  const currentId = defaultClusterId(opts.current);
  const clusters = [...(deps.clustersModel.clusters ?? [])].sort((a, b) => Number(b.cluster_id === currentId) - Number(a.cluster_id === currentId));
  const serverlessIsDefault = opts.current?.kind === 'serverless';
  const items: Item[] = [
    ...(opts.actions ?? []).map((a) => ({ label: a.label, action: a.run })),
    {
      label: `${serverlessIsDefault ? '$(check) ' : '$(cloud) '}${SERVERLESS_LABEL}`,
      description:
        opts.purpose === 'default'
          ? `jobs only: Run File, Run Cell and notebooks need a cluster${serverlessIsDefault ? ' · default' : ''}`
          : `no cluster to start${serverlessIsDefault ? ' · default' : ''}`,
      pick: { kind: 'serverless' },
    },
    {
      label: listError ? `Clusters could not be listed: ${listError}` : clusters.length ? 'Clusters' : 'No clusters in this workspace',
      kind: vscode.QuickPickItemKind.Separator,
    },
    ...clusters.map((c) => ({
      label: `${c.cluster_id === currentId ? '$(check) ' : ''}${c.cluster_name ?? c.cluster_id}`,
      description: `${stateWord(c.state)}${c.cluster_id === currentId ? ' · default' : ''}`,
      detail: c.cluster_id,
      pick: { kind: 'cluster' as const, cluster: c },
    })),
  ];
  const picked = await ui.pick(items, { placeHolder: opts.placeHolder, matchOnDetail: true });
  if (picked?.action) {
    await picked.action();
    return undefined;
  }
  return picked?.pick;
}
