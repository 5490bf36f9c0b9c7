// A seeded fault run: N mixed operations through Ferry's service layers against the three
// stand-ins, with the kernel's seeded faults on all of them and the S3 stand-in killed (SIGKILL)
// part-way through an operation and started again, twice. The same seed gives the same operations
// with the same inputs, and the same fault sequence per stand-in. With one lane the requests come
// in the same order too, so only timing (how many polls a wait takes) can shift which request meets
// which fault; with several lanes (the default, to fit the test budget) the interleaving does.
import { ATHENA_S3_AGENT } from '../../../sandbox/athena/standIn';
import { prng } from '../../../sandbox/kernel/faults';
import { audit, Audit, formatTable } from './audit';
import { Claim, deletable, newLedger, OperationKind, pickKind, runOperation, seed as seedWorld } from './operations';
import { startWorld } from './world';

export interface FaultRunOptions {
  operations: number;
  seed: number;
  /** Operations in flight at once (default 3). With 1, the faults each request meets repeat exactly. */
  lanes?: number;
  /** Per-request fault rates (the kernel's kinds). */
  rates?: Record<string, number>;
  /** Longest an operation may take before it counts as lost (hung), in ms. */
  operationTimeoutMs?: number;
  progress?: (line: string) => void;
}

export interface FaultRunReport extends Audit {
  table: string;
  perKind: Record<string, { done: number; failed: number }>;
  faults: Record<string, Record<string, number>>;
  restarts: number;
  elapsedMs: number;
  /** What the user was told for each distinct failure (kind: message), most frequent first. */
  messages: Array<{ kind: string; message: string; count: number }>;
}

export const DEFAULT_RATES = {
  latency: 0.05,
  throttle429: 0.012,
  error500: 0.008,
  unavailable503: 0.012,
  resetBefore: 0.008,
  resetDuring: 0.008,
  truncated: 0.008,
  htmlPage: 0.008,
};

/** The default rates times `scale` (FERRY_FAULT_RATE_SCALE: a harsher run, to look for trouble). */
export function scaledRates(scale: number): Record<string, number> {
  return Object.fromEntries(Object.entries(DEFAULT_RATES).map(([k, v]) => [k, Math.min(0.12, v * scale)]));
}

export async function runFaultSuite(opts: FaultRunOptions): Promise<FaultRunReport> {
  const started = Date.now();
  const w = await startWorld();
  const ledger = newLedger();
  const timeoutMs = opts.operationTimeoutMs ?? 90_000;
  let restarts = 0;
  try {
    const stable = await seedWorld(w, prng(opts.seed));
    await w.faults({
      seed: opts.seed,
      rates: opts.rates ?? scaledRates(Number(process.env.FERRY_FAULT_RATE_SCALE ?? 1)),
      latencyMs: [20, 200],
      retryAfterSeconds: 1,
      skipUserAgent: ATHENA_S3_AGENT,
    });
    // Two crashes of the S3 stand-in, each at a seeded moment inside an operation.
    const crashAt = new Set([Math.floor(opts.operations * 0.4), Math.floor(opts.operations * 0.75)]);
    const faultsBefore: Array<Record<string, Record<string, number>>> = [];
    let next = 1;
    const lane = async (): Promise<void> => {
      while (next <= opts.operations) {
        const op = next++;
        // Each operation's own PRNG: its kind and inputs are the same whatever the lanes interleave.
        const random = prng(opts.seed * 1_000_003 + op);
        let kind: OperationKind = pickKind(random);
        if (kind === 's3.delete' && !deletable(ledger).length) kind = 's3.upload';
        const ac = new AbortController();
        let crash: Promise<void> | undefined;
        if (crashAt.has(op)) {
          const after = Math.floor(random() * 150);
          crash = (async () => {
            await new Promise((r) => setTimeout(r, after));
            faultsBefore.push(await w.faultStats());
            await w.crashS3();
            await new Promise((r) => setTimeout(r, 400));
            await w.restartS3();
            restarts++;
          })();
        }
        let timer: NodeJS.Timeout | undefined;
        const hung = new Promise<'hung'>((resolve) => {
          timer = setTimeout(() => {
            ac.abort();
            resolve('hung');
          }, timeoutMs);
        });
        const result = await Promise.race([runOperation(op, kind, { w, stable, ledger, random, signal: ac.signal }), hung]);
        clearTimeout(timer);
        await crash;
        const claim: Claim =
          result === 'hung'
            ? { op, kind, verdict: 'done', wrong: `it did not end within ${timeoutMs / 1000} s (the user is left waiting)` }
            : { op, kind, ...result };
        ledger.claims.push(claim);
        if (claim.verdict === 'failed') w.logger.warn(`fault run: op ${op} ${kind} failed: ${claim.message}`);
        if (opts.progress && ledger.claims.length % 500 === 0)
          opts.progress(
            `${ledger.claims.length}/${opts.operations} operations, ${ledger.claims.filter((c) => c.verdict === 'failed').length} failed so far, ${Math.round((Date.now() - started) / 1000)} s`,
          );
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.lanes ?? 3) }, lane));
    ledger.claims.sort((a, b) => a.op - b.op);
    const faults = await w.faultStats();
    for (const before of faultsBefore) {
      for (const [k, v] of Object.entries(before.S3)) faults.S3[k] = (faults.S3[k] ?? 0) + v;
    }
    await w.faults(undefined);
    if (w.deaths.length) throw new Error(`a stand-in died during the fault run:\n${w.deaths.join('\n')}`);
    const result = await audit(w, ledger);
    const perKind: FaultRunReport['perKind'] = {};
    for (const c of ledger.claims) {
      const k = (perKind[c.kind] ??= { done: 0, failed: 0 });
      k[c.verdict === 'done' ? 'done' : 'failed']++;
    }
    const elapsedMs = Date.now() - started;
    const table = formatTable(
      result.figures,
      `Fault run: ${opts.operations} operations, seed ${opts.seed}, ${restarts} S3 stand-in crashes and restarts, ${Math.round(elapsedMs / 1000)} s`,
    );
    const seen = new Map<string, { kind: string; message: string; count: number }>();
    for (const c of ledger.claims.filter((x) => x.verdict === 'failed')) {
      const key = `${c.kind}\u0000${c.message}`;
      const m = seen.get(key) ?? { kind: c.kind, message: c.message ?? '', count: 0 };
      m.count++;
      seen.set(key, m);
    }
    const messages = [...seen.values()].sort((a, b) => b.count - a.count);
    return { ...result, table, perKind, faults, restarts, elapsedMs, messages };
  } finally {
    await w.faults(undefined).catch(() => undefined);
    await w.stop();
  }
}

/** The figures that must be 0, and the findings behind them (empty when the run is clean). */
export function failures(r: FaultRunReport): string[] {
  const f = r.figures;
  const bad = (['failedUnclear', 'lost', 'duplicated', 'orphaned', 'leaked'] as const).filter((k) => f[k] !== 0);
  return bad.length ? [`${bad.map((k) => `${k} = ${f[k]}`).join(', ')}`, ...r.findings] : [];
}
