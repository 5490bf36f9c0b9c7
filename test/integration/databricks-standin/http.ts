// A tiny fetch-based caller for the Databricks stand-in suites: real HTTP, no client library, so
// these tests pin the wire shapes themselves.
import { DatabricksEndpoint, databricksStandIn } from '../standIns';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export class Api {
  constructor(
    readonly db: DatabricksEndpoint,
    private readonly token = db.token,
  ) {}

  withToken(token: string): Api {
    return new Api(this.db, token);
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const init: RequestInit = { method, headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json', ...headers } };
    if (body !== undefined) {
      init.body = Buffer.isBuffer(body) ? new Uint8Array(body) : typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
    }
    const r = await fetch(`${this.db.url}${path}`, init);
    const text = await r.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { raw: text };
    }
    return { status: r.status, body: parsed as T, headers: r.headers, text };
  }

  get<T = Record<string, unknown>>(path: string, query: Record<string, string | number | boolean> = {}): Promise<Reply<T>> {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)] as [string, string])).toString();
    return this.call<T>('GET', qs ? `${path}?${qs}` : path);
  }

  post<T = Record<string, unknown>>(path: string, body: unknown = {}): Promise<Reply<T>> {
    return this.call<T>('POST', path, body);
  }

  async admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await fetch(`${this.db.admin}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.db.token}` },
    });
    return (await r.json()) as T;
  }
}

export async function connect(): Promise<Api> {
  return new Api(await databricksStandIn());
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value (not undefined), for up to `ms`. */
export async function until<T>(probe: () => Promise<T | undefined>, ms = 60_000, every = 50): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await sleep(every);
  }
}

/** Creates a cluster of this suite's own (so suites sharing an external stand-in stay apart) and waits until it runs. */
export async function runningCluster(api: Api, name: string): Promise<string> {
  const r = await api.post<{ cluster_id: string }>('/api/2.1/clusters/create', {
    cluster_name: name,
    spark_version: '14.3.x-scala2.12',
    node_type_id: 'i3.xlarge',
    num_workers: 1,
  });
  if (r.status !== 200) throw new Error(`clusters/create: ${r.status} ${r.text}`);
  const id = r.body.cluster_id;
  await until(async () => ((await api.get<{ state: string }>('/api/2.1/clusters/get', { cluster_id: id })).body.state === 'RUNNING' ? true : undefined));
  return id;
}
