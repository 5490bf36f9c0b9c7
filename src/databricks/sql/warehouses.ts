// SQL warehouses (GET /api/2.0/sql/warehouses, GET …/{id}, POST …/{id}/start|stop), and the pure
// facts the views show: which states move by themselves, which actions make sense, a description.
// Wire facts: docs/reference/services-2026.md §4. No editor API here.
import { count } from '../../core/text';
import { DatabricksError } from '../errors';
import { DatabricksTransport } from '../transport';

export type WarehouseState = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'DELETING' | 'DELETED';

export interface Warehouse {
  id: string;
  name?: string;
  state?: WarehouseState;
  cluster_size?: string;
  min_num_clusters?: number;
  max_num_clusters?: number;
  num_clusters?: number;
  num_active_sessions?: number;
  auto_stop_mins?: number;
  creator_name?: string;
  enable_photon?: boolean;
  enable_serverless_compute?: boolean;
  warehouse_type?: 'CLASSIC' | 'PRO' | 'TYPE_UNSPECIFIED';
  health?: { status?: 'HEALTHY' | 'DEGRADED' | 'FAILED'; summary?: string; message?: string; failure_reason?: unknown };
  [key: string]: unknown;
}

export const WAREHOUSE_TRANSITIONAL: ReadonlySet<WarehouseState> = new Set(['STARTING', 'STOPPING', 'DELETING']);

export function isWarehouseTransitional(state: WarehouseState | undefined): boolean {
  return state !== undefined && WAREHOUSE_TRANSITIONAL.has(state);
}

export function warehouseActions(state: WarehouseState | undefined): { start: boolean; stop: boolean } {
  switch (state) {
    case 'RUNNING':
    case 'STARTING':
      return { start: false, stop: true };
    case 'STOPPED':
    case undefined:
      return { start: true, stop: false };
    default:
      return { start: false, stop: false };
  }
}

/** "Serverless · 2X-Small · 1 cluster" style description. */
export function describeWarehouse(w: Warehouse): string {
  const kind = w.enable_serverless_compute ? 'Serverless' : w.warehouse_type === 'CLASSIC' ? 'Classic' : 'Pro';
  const parts = [kind];
  if (w.cluster_size) parts.push(w.cluster_size);
  const min = w.min_num_clusters ?? 1;
  const max = w.max_num_clusters ?? min;
  parts.push(max > min ? `${min}–${max} clusters` : count(max, 'cluster'));
  if (w.state === 'RUNNING' && w.num_active_sessions) parts.push(`${count(w.num_active_sessions, 'session')} active`);
  return parts.join(' · ');
}

export class WarehousesService {
  constructor(private readonly transport: DatabricksTransport) {}

  get host(): string {
    return this.transport.host;
  }

  /** Every warehouse, following next_page_token. */
  async list(signal?: AbortSignal): Promise<Warehouse[]> {
    const out: Warehouse[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 50; page++) {
      const res = await this.transport.request<{ warehouses?: Warehouse[]; next_page_token?: string }>('GET', '/api/2.0/sql/warehouses', {
        query: { page_size: 100, page_token: pageToken },
        signal,
      });
      out.push(...(res.warehouses ?? []));
      if (!res.next_page_token || res.next_page_token === pageToken) break;
      pageToken = res.next_page_token;
    }
    return out;
  }

  get(id: string, signal?: AbortSignal): Promise<Warehouse> {
    return this.transport.request<Warehouse>('GET', `/api/2.0/sql/warehouses/${encodeURIComponent(id)}`, { signal });
  }

  async start(id: string, signal?: AbortSignal): Promise<void> {
    await this.transport.request('POST', `/api/2.0/sql/warehouses/${encodeURIComponent(id)}/start`, { body: {}, signal });
  }

  async stop(id: string, signal?: AbortSignal): Promise<void> {
    await this.transport.request('POST', `/api/2.0/sql/warehouses/${encodeURIComponent(id)}/stop`, { body: {}, signal });
  }

  /** The warehouse, or a clear error naming what to do when it is gone. */
  async require(id: string, signal?: AbortSignal): Promise<Warehouse> {
    try {
      return await this.get(id, signal);
    } catch (err) {
      if (err instanceof DatabricksError && err.kind === 'notFound') {
        throw new DatabricksError({
          errorCode: err.errorCode,
          message: `The SQL warehouse ${id} no longer exists in ${this.host}. Choose another one.`,
          status: err.status,
          kind: 'notFound',
          actions: [{ title: 'Choose SQL Warehouse', command: 'ferry.databricks.selectWarehouse' }],
          verbatim: true,
        });
      }
      throw err;
    }
  }
}
