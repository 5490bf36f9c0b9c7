// The sort/filter worker thread. It reads the table's columns from shared memory (nothing is
// copied when a job is posted), runs one job at a time, and stops early when the host sets the
// job's cancel flag (the user sorted again), so a stale sort never delays the one wanted.
// Bundled by webpack as its own entry (dist/tableWorker.js); compiled by tsc for the Node tests.
import { parentPort } from 'node:worker_threads';
import { Cancelled, OrderJob, runOrderJob } from './tableOps';

export interface WorkerRequest {
  id: number;
  job: OrderJob;
  /** Element 0 becomes 1 when the host no longer wants the result. */
  cancel: Int32Array;
}

export type WorkerReply =
  { id: number; ok: true; sorted?: Uint32Array; view?: Uint32Array; ms: number } | { id: number; ok: false; cancelled: boolean; message: string };

parentPort?.on('message', (req: WorkerRequest) => {
  const started = performance.now();
  const check = () => Atomics.load(req.cancel, 0) !== 0;
  let reply: WorkerReply;
  try {
    if (check()) throw new Cancelled();
    const result = runOrderJob(req.job, check);
    reply = { id: req.id, ok: true, sorted: result.sorted, view: result.view, ms: performance.now() - started };
  } catch (err) {
    reply = { id: req.id, ok: false, cancelled: err instanceof Cancelled, message: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply);
});
