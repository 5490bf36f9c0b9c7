// A seeded fault injector every stand-in gets from the kernel: each request the stand-in serves
// (never /__admin) draws from one PRNG, so that a run with the same seed and the same sequence of
// requests meets the same faults. Configured over HTTP with the stand-in's admin token:
//   POST   /__admin/seeded-faults  {seed, rates: {kind: 0..1}, latencyMs?: [min, max], retryAfterSeconds?, match?, skip?}
//   GET    /__admin/seeded-faults  {config, stats: {requests, injected: {kind: count}}}
//   DELETE /__admin/seeded-faults  turns it off (the stats are kept until the next POST)
// The kinds are the faults a client meets on the way to a real service (a proxy, a load balancer,
// a node going away), each with its own name:
//   latency         the request is held (an independent draw: it may come with another fault)
//   throttle429     429 with Retry-After, in the stand-in's error shape
//   error500        500, in the stand-in's error shape
//   unavailable503  503 with Retry-After, in the stand-in's error shape
//   resetBefore     the connection is destroyed before the request is handled (nothing happened)
//   resetDuring     the request is handled, then the connection is destroyed part-way through the
//                   answer's body (or before any byte when there is no body): the client cannot know
//                   whether a POST took effect
//   truncated       the request is handled, the answer's headers promise the whole body and the
//                   connection is closed cleanly (FIN) after half of it
//   htmlPage        502 with an HTML page and no protocol body, as a corporate proxy answers
import { HttpError } from './errors';
import { prng } from './prng';

export { prng } from './prng';

export const FAULT_KINDS = ['latency', 'throttle429', 'error500', 'unavailable503', 'resetBefore', 'resetDuring', 'truncated', 'htmlPage'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
/** The kinds that stand instead of the stand-in's answer (latency comes on top of them). */
const EXCLUSIVE: FaultKind[] = FAULT_KINDS.filter((k) => k !== 'latency');

export interface SeededFaultConfig {
  seed: number;
  /** Probability per request of each kind. At most one exclusive kind per request; their sum must be ≤ 1. */
  rates: Partial<Record<FaultKind, number>>;
  /** The added latency is drawn uniformly from [min, max] ms (default [50, 400]). */
  latencyMs?: [number, number];
  /** Sent with 429 and 503 (default 1). */
  retryAfterSeconds?: number;
  /** Only requests whose "METHOD /path" matches this regular expression meet faults. */
  match?: string;
  /** Requests whose "METHOD /path" matches this regular expression never meet faults. */
  skip?: string;
  /**
   * Requests whose User-Agent matches this regular expression never meet faults: another stand-in's
   * own calls (the Athena stand-in reading S3), which in the real service never cross the user's proxy.
   */
  skipUserAgent?: string;
}

export interface FaultDecision {
  kind?: Exclude<FaultKind, 'latency'>;
  latencyMs?: number;
}

export interface SeededFaultStats {
  /** Requests considered (those that `match` and not `skip`) since the last POST. */
  requests: number;
  injected: Partial<Record<FaultKind, number>>;
}

/** The error a stand-in renders for an injected status fault; `errorReply` may give it its protocol's code. */
export class InjectedFault extends HttpError {
  constructor(
    status: number,
    readonly kind: FaultKind,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(status, message, headers);
  }
}

/** The body of the htmlPage fault: what a proxy shows, not what the service says. */
export const PROXY_PAGE =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p><hr><address>corporate-proxy/3.1</address></body></html>\n';

export function validateConfig(raw: unknown): SeededFaultConfig {
  const c = (raw ?? {}) as Partial<SeededFaultConfig>;
  if (typeof c.seed !== 'number' || !Number.isFinite(c.seed)) throw new HttpError(400, 'seeded faults need a numeric seed');
  const rates = (c.rates ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(rates)) {
    if (!(FAULT_KINDS as readonly string[]).includes(k)) throw new HttpError(400, `unknown fault kind "${k}" (known: ${FAULT_KINDS.join(', ')})`);
    if (typeof v !== 'number' || v < 0 || v > 1) throw new HttpError(400, `the rate of ${k} must be a number from 0 to 1`);
  }
  const sum = EXCLUSIVE.reduce((n, k) => n + ((rates[k] as number | undefined) ?? 0), 0);
  if (sum > 1) throw new HttpError(400, `the rates of the exclusive kinds add up to ${sum}, more than 1`);
  for (const re of [c.match, c.skip, c.skipUserAgent]) {
    if (re === undefined) continue;
    try {
      new RegExp(re);
    } catch {
      throw new HttpError(400, `"${re}" is not a regular expression`);
    }
  }
  const lat = c.latencyMs;
  if (lat !== undefined && !(Array.isArray(lat) && lat.length === 2 && lat.every((n) => typeof n === 'number' && n >= 0) && lat[0] <= lat[1]))
    throw new HttpError(400, 'latencyMs must be [min, max]');
  return {
    seed: c.seed,
    rates: rates as SeededFaultConfig['rates'],
    latencyMs: lat,
    retryAfterSeconds: c.retryAfterSeconds,
    match: c.match,
    skip: c.skip,
    skipUserAgent: c.skipUserAgent,
  };
}

export class SeededFaults {
  private config?: SeededFaultConfig;
  private random: () => number = Math.random;
  private match?: RegExp;
  private skip?: RegExp;
  private skipAgent?: RegExp;
  private stats: SeededFaultStats = { requests: 0, injected: {} };

  configure(raw: unknown): { config: SeededFaultConfig; stats: SeededFaultStats } {
    const config = validateConfig(raw);
    this.config = config;
    this.random = prng(config.seed);
    this.match = config.match ? new RegExp(config.match) : undefined;
    this.skip = config.skip ? new RegExp(config.skip) : undefined;
    this.skipAgent = config.skipUserAgent ? new RegExp(config.skipUserAgent) : undefined;
    this.stats = { requests: 0, injected: {} };
    return this.describe();
  }

  off(): { config?: SeededFaultConfig; stats: SeededFaultStats } {
    this.config = undefined;
    return this.describe();
  }

  describe(): { config: SeededFaultConfig; stats: SeededFaultStats } {
    return { config: this.config as SeededFaultConfig, stats: { requests: this.stats.requests, injected: { ...this.stats.injected } } };
  }

  get retryAfterSeconds(): number {
    return this.config?.retryAfterSeconds ?? 1;
  }

  /** What this request meets; `key` is "METHOD /path". Three draws per considered request, always. */
  decide(key: string, userAgent = ''): FaultDecision | undefined {
    const c = this.config;
    if (!c || (this.match && !this.match.test(key)) || this.skip?.test(key) || this.skipAgent?.test(userAgent)) return undefined;
    this.stats.requests++;
    const latencyDraw = this.random();
    const kindDraw = this.random();
    const latencyDelay = this.random();
    const out: FaultDecision = {};
    if (latencyDraw < (c.rates.latency ?? 0)) {
      const [min, max] = c.latencyMs ?? [50, 400];
      out.latencyMs = Math.round(min + (max - min) * latencyDelay);
      this.count('latency');
    }
    let edge = 0;
    for (const kind of EXCLUSIVE) {
      edge += c.rates[kind] ?? 0;
      if (kindDraw < edge) {
        out.kind = kind as FaultDecision['kind'];
        this.count(kind);
        break;
      }
    }
    return out.kind || out.latencyMs ? out : undefined;
  }

  private count(kind: FaultKind): void {
    this.stats.injected[kind] = (this.stats.injected[kind] ?? 0) + 1;
  }
}
