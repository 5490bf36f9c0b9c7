// The host's side of the sort/filter worker (tableWorker.ts): one worker thread, started on first
// use, that runs sort and filter jobs over a table's shared columns. A job can be cancelled; the
// worker then stops at its next check. The worker keeps the process alive only while it has work.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { OrderJob, OrderResult } from './tableOps';
import { Cancelled } from './tableOps';
import type { WorkerReply, WorkerRequest } from './tableWorker';

interface Pending {
  resolve(result: OrderResult): void;
  reject(err: Error): void;
  cancel: Int32Array;
}

/** Where the worker's script is: beside this module in the bundle (dist/) and in tsc's output. */
export function workerScript(): string {
  return path.join(__dirname, 'tableWorker.js');
}

export class OrderWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Jobs the worker finished, and jobs it stopped because they were cancelled (tests read these). */
  readonly stats = { posted: 0, completed: 0, cancelled: 0 };

  constructor(private readonly script = workerScript()) {}

  run(job: OrderJob, signal?: AbortSignal): Promise<OrderResult> {
    if (signal?.aborted) return Promise.reject(new Cancelled());
    const worker = this.start();
    const id = this.nextId++;
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    return new Promise<OrderResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, cancel });
      signal?.addEventListener(
        'abort',
        () => {
          Atomics.store(cancel, 0, 1);
          const p = this.pending.get(id);
          if (p) {
            // The caller moves on at once; the worker's late reply is dropped.
            this.pending.delete(id);
            p.reject(new Cancelled());
            this.idle();
          }
        },
        { once: true },
      );
      worker.ref();
      this.stats.posted++;
      worker.postMessage({ id, job, cancel } satisfies WorkerRequest);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(new Error(`The sort worker stopped: ${err.message}`));
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private onReply(reply: WorkerReply): void {
    if (reply.ok) this.stats.completed++;
    else if (reply.cancelled) this.stats.cancelled++;
    const p = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    this.idle();
    if (!p) return;
    if (reply.ok) p.resolve({ sorted: reply.sorted, view: reply.view });
    else p.reject(reply.cancelled ? new Cancelled() : new Error(reply.message));
  }

  private idle(): void {
    if (this.pending.size === 0) this.worker?.unref();
  }

  /** Jobs still waiting for a reply (cancelled ones are not counted). */
  get busy(): number {
    return this.pending.size;
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    for (const p of this.pending.values()) Atomics.store(p.cancel, 0, 1);
    if (worker) await worker.terminate();
  }
}

let shared: OrderWorker | undefined;
/** The one worker the extension's tables share (the extension disposes it on deactivate). */
export function sharedOrderWorker(): OrderWorker {
  shared ??= new OrderWorker();
  return shared;
}

export async function disposeSharedOrderWorker(): Promise<void> {
  const w = shared;
  shared = undefined;
  await w?.dispose();
}
