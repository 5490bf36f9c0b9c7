// The cluster list shared by the clusters view, the status bar and run-on-cluster; when it polls
// is PolledList's policy (quickly while a cluster moves, slowly while the view is visible, never
// while it is hidden and nothing the user started is settling).
import { ClusterDetails, ClustersService, ClusterState, isTransitional } from './clusters';
import { DEFAULT_POLL_POLICY, listedBy, PolledList, PollPolicy, realTimers, Timers } from './polledList';

export { DEFAULT_POLL_POLICY, realTimers } from './polledList';
export type { PollPolicy, Timers } from './polledList';

export type ClusterAction = 'start' | 'stop' | 'restart';

export class ClustersModel extends PolledList<ClusterDetails, ClusterState> {
  constructor(
    private readonly service: () => Promise<ClustersService>,
    timers: Timers = realTimers,
    policy: PollPolicy = DEFAULT_POLL_POLICY,
  ) {
    super(
      listedBy<ClusterDetails, ClusterState>(service, {
        id: (c) => c.cluster_id,
        state: (c) => c.state,
        isTransitional,
        signature: (c) => `${c.cluster_id}:${c.state}:${c.num_workers ?? ''}:${c.cluster_name ?? ''}`,
      }),
      timers,
      policy,
    );
  }

  get clusters(): ClusterDetails[] | undefined {
    return this.current;
  }

  /** Runs a start/stop/restart and watches the cluster until its transition settles. */
  async act(clusterId: string, action: ClusterAction): Promise<void> {
    const service = await this.service();
    await this.perform(clusterId, () =>
      action === 'start' ? service.start(clusterId) : action === 'stop' ? service.stop(clusterId) : service.restart(clusterId),
    );
  }
}
