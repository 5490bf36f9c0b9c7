// The Experiments view's listings as page fetchers for the tree kit: experiments, the runs of one
// (filtered, newest first) and a folder of a run's artifacts. No editor API here, so the
// integration tests page through exactly what the tree pages through.
import { MlflowService } from '../../databricks/mlflow/service';
import { ArtifactEntry, MlflowExperiment, MlflowRun } from '../../databricks/mlflow/types';
import { FetchPage } from '../shared/paged';

export const EXPERIMENTS_PAGE = 100;
export const DEFAULT_RUNS_PAGE = 100;

export function experimentPages(mlflow: () => Promise<MlflowService>, pageSize = EXPERIMENTS_PAGE): FetchPage<MlflowExperiment> {
  return async (token) => (await mlflow()).searchExperiments({ pageToken: token, maxResults: pageSize, orderBy: ['name ASC'] });
}

export function runPages(mlflow: () => Promise<MlflowService>, experimentId: string, opts: { filter?: string; pageSize?: number } = {}): FetchPage<MlflowRun> {
  return async (token) =>
    (await mlflow()).searchRuns([experimentId], {
      filter: opts.filter,
      orderBy: ['attributes.start_time DESC'],
      maxResults: opts.pageSize ?? DEFAULT_RUNS_PAGE,
      pageToken: token,
    });
}

/** A folder's entries, folders first, each group in the service's order. */
export function artifactPages(mlflow: () => Promise<MlflowService>, runId: string, path: string): FetchPage<ArtifactEntry> {
  return async (token) => {
    const page = await (await mlflow()).listArtifacts(runId, path, token);
    return { items: [...page.items.filter((e) => e.isDir), ...page.items.filter((e) => !e.isDir)], nextToken: page.nextToken };
  };
}
