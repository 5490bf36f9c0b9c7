// SQL warehouses of the stand-in (GET /api/2.0/sql/warehouses[/{id}], POST …/{id}/start|stop):
// seeded warehouses and a state machine driven by the clock, advanced lazily on every read as the
// clusters are (STOPPED → STARTING → RUNNING after `startMs`, RUNNING → STOPPING → STOPPED after
// `stopMs`). Wire facts: docs/reference/services-2026.md §4.
import crypto from 'node:crypto';
import { ApiError, Params, fromPageToken, invalidParam, pageToken } from './http';

export type WarehouseState = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'DELETING' | 'DELETED';

export interface WarehouseTimings {
  /** STOPPED → STARTING → RUNNING. */
  startMs: number;
  /** RUNNING → STOPPING → STOPPED. */
  stopMs: number;
}

export const DEFAULT_WAREHOUSE_TIMINGS: WarehouseTimings = { startMs: 4000, stopMs: 1500 };
export const FAST_WAREHOUSE_TIMINGS: WarehouseTimings = { startMs: 250, stopMs: 150 };

export interface WarehouseSeed {
  id?: string;
  name: string;
  state?: 'RUNNING' | 'STOPPED';
  cluster_size?: string;
  enable_serverless_compute?: boolean;
  warehouse_type?: 'CLASSIC' | 'PRO';
  auto_stop_mins?: number;
  [extra: string]: unknown;
}

export const DEFAULT_WAREHOUSE_SEEDS: WarehouseSeed[] = [
  {
    id: '4f1a9c2e7b3d5a60',
    name: 'Serverless Starter Warehouse',
    state: 'RUNNING',
    cluster_size: '2X-Small',
    enable_serverless_compute: true,
    warehouse_type: 'PRO',
    auto_stop_mins: 10,
  },
  {
    id: '9d27e0b6c4f81a35',
    name: 'ferry-classic-small',
    state: 'STOPPED',
    cluster_size: 'Small',
    enable_serverless_compute: false,
    warehouse_type: 'CLASSIC',
    auto_stop_mins: 45,
  },
];

interface Warehouse {
  info: Record<string, unknown> & { id: string; name: string; state: WarehouseState };
  transition?: { at: number; to: WarehouseState };
}

export function newWarehouseId(): string {
  return crypto.randomBytes(8).toString('hex');
}

export class WarehouseRegistry {
  private readonly warehouses = new Map<string, Warehouse>();

  constructor(
    private timings: WarehouseTimings,
    private readonly user: string,
    private readonly host: string,
    seeds: WarehouseSeed[] = DEFAULT_WAREHOUSE_SEEDS,
  ) {
    for (const seed of seeds) this.add(seed);
  }

  setTimings(t: Partial<WarehouseTimings>): void {
    this.timings = { ...this.timings, ...t };
  }

  add(seed: WarehouseSeed): string {
    const id = seed.id ?? newWarehouseId();
    const { state: seedState, ...rest } = seed;
    const state: WarehouseState = seedState ?? 'STOPPED';
    const hostname = new URL(this.host).hostname;
    const path = `/sql/1.0/warehouses/${id}`;
    const info: Warehouse['info'] = {
      id,
      cluster_size: 'Small',
      min_num_clusters: 1,
      max_num_clusters: 1,
      auto_stop_mins: 45,
      creator_name: this.user,
      enable_photon: true,
      enable_serverless_compute: false,
      warehouse_type: 'PRO',
      spot_instance_policy: 'COST_OPTIMIZED',
      channel: { name: 'CHANNEL_NAME_CURRENT' },
      tags: {},
      jdbc_url: `jdbc:databricks://${hostname}:443/default;transportMode=http;ssl=1;AuthMech=3;httpPath=${path};`,
      odbc_params: { hostname, path, port: 443, protocol: 'https' },
      ...rest,
      state,
      num_clusters: 0,
      num_active_sessions: 0,
      health: { status: 'HEALTHY' },
    };
    const w: Warehouse = { info };
    if (state === 'RUNNING') info.num_clusters = 1;
    this.warehouses.set(id, w);
    return id;
  }

  private advance(w: Warehouse): void {
    const t = w.transition;
    if (!t || Date.now() < t.at) return;
    w.transition = undefined;
    w.info.state = t.to;
    w.info.num_clusters = t.to === 'RUNNING' ? 1 : 0;
    w.info.health = { status: 'HEALTHY' };
  }

  private find(id: string | undefined): Warehouse {
    if (!id) throw invalidParam('Missing required field: id');
    const w = this.warehouses.get(id);
    // [unconfirmed] the real text for an unknown id; RESOURCE_DOES_NOT_EXIST with 404 as the SDKs map it.
    if (!w || w.info.state === 'DELETED') throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `SQL warehouse ${id} does not exist.`);
    this.advance(w);
    return w;
  }

  /** The state of a warehouse, or undefined when there is none. */
  state(id: string): WarehouseState | undefined {
    const w = this.warehouses.get(id);
    if (!w) return undefined;
    this.advance(w);
    return w.info.state;
  }

  ids(): string[] {
    return [...this.warehouses.keys()];
  }

  list(p: Params): Record<string, unknown> {
    const all = [...this.warehouses.values()].filter((w) => w.info.state !== 'DELETED');
    all.forEach((w) => this.advance(w));
    all.sort((a, b) => a.info.name.localeCompare(b.info.name));
    const size = Math.min(Math.max(p.num('page_size') ?? 100, 1), 100);
    const offset = fromPageToken(p.str('page_token'));
    const out: Record<string, unknown> = { warehouses: all.slice(offset, offset + size).map((w) => ({ ...w.info })) };
    if (offset + size < all.length) out.next_page_token = pageToken(offset + size);
    return out;
  }

  get(id: string): Record<string, unknown> {
    return { ...this.find(id).info };
  }

  /** Starting a warehouse that is running or starting already changes nothing ([unconfirmed]: no INVALID_STATE is documented). */
  start(id: string): Record<string, unknown> {
    const w = this.find(id);
    if (w.info.state === 'RUNNING' || w.info.state === 'STARTING') return {};
    if (w.info.state === 'STOPPING') {
      // [unconfirmed] a start while stopping: the warehouse finishes stopping, then starts.
      const stoppedAt = w.transition?.at ?? Date.now();
      w.info.state = 'STARTING';
      w.transition = { at: stoppedAt + this.timings.startMs, to: 'RUNNING' };
      return {};
    }
    w.info.state = 'STARTING';
    w.info.health = { status: 'HEALTHY', summary: 'Starting the warehouse' };
    w.transition = { at: Date.now() + this.timings.startMs, to: 'RUNNING' };
    return {};
  }

  stop(id: string): Record<string, unknown> {
    const w = this.find(id);
    if (w.info.state === 'STOPPED' || w.info.state === 'STOPPING') return {};
    w.info.state = 'STOPPING';
    w.transition = { at: Date.now() + this.timings.stopMs, to: 'STOPPED' };
    this.onStopping(id);
    return {};
  }

  /** Called when a warehouse starts stopping: statements running on it fail. */
  onStopping: (warehouseId: string) => void = () => undefined;

  /** Sessions are counted while statements run (num_active_sessions). */
  sessions(id: string, delta: number): void {
    const w = this.warehouses.get(id);
    if (w) w.info.num_active_sessions = Math.max(0, Number(w.info.num_active_sessions ?? 0) + delta);
  }
}
