// The warehouse list shared by the SQL Warehouses view, the status-bar picker and the SQL commands.
// It polls by PolledList's policy, the clusters' one: quickly while a warehouse starts or stops,
// slowly while the view is visible, never while it is hidden and nothing the user started settles.
import { DEFAULT_POLL_POLICY, listedBy, PolledList, PollPolicy, realTimers, Timers } from '../polledList';
import { isWarehouseTransitional, Warehouse, WarehousesService, WarehouseState } from './warehouses';

export class WarehousesModel extends PolledList<Warehouse, WarehouseState> {
  constructor(
    private readonly service: () => Promise<WarehousesService>,
    timers: Timers = realTimers,
    policy: PollPolicy = DEFAULT_POLL_POLICY,
  ) {
    super(
      listedBy<Warehouse, WarehouseState>(service, {
        id: (w) => w.id,
        state: (w) => w.state,
        isTransitional: isWarehouseTransitional,
        signature: (w) => `${w.id}:${w.state}:${w.name ?? ''}:${w.num_active_sessions ?? 0}`,
      }),
      timers,
      policy,
    );
  }

  get warehouses(): Warehouse[] | undefined {
    return this.current;
  }

  async act(id: string, action: 'start' | 'stop'): Promise<void> {
    const service = await this.service();
    await this.perform(id, () => (action === 'start' ? service.start(id) : service.stop(id)));
  }
}
