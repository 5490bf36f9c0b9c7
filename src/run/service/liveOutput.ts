// One run's output, read from its spool on the driver: while the run's command is live, a tail
// loop reads new records from the reader session on the adaptive schedule (quicker while output
// flows, slower while the code is quiet) and hands them to the caller as they come; when the
// command has ended, drain() takes what the command's own result carried inline and reads the
// rest in slices, until the spool's end record.
import { isCancellation } from '../../core/errors';
import { Logger, silentLogger } from '../../core/logger';
import { sleep } from '../../core/retry';
import { ResultOutput } from '../../results/model';
import { PathMapper } from './paths';
import { adaptiveSchedule, PollSchedule } from './pollSchedule';
import { Slice } from './reader';
import { inflate, OutputList, RunSummary, SpoolDecoder } from './spool';

export interface LiveCallbacks {
  /** Printed text as it arrives (may hold carriage returns: progress lines redraw). */
  onText?: (chunk: string) => void;
  /** A table, image, error or value as it arrives. */
  onOutput?: (output: ResultOutput) => void;
}

export type SliceSource = (offset: number, hint: number, signal?: AbortSignal) => Promise<Slice>;

/** While output flows the tail reads every 250 ms; quiet, it backs off to the poll cap. */
export function tailSchedule(capMs: number): PollSchedule {
  return adaptiveSchedule({ firstMs: 250, factor: 2, capMs: Math.max(250, capMs) });
}

export class RunOutputReader {
  readonly list: OutputList;
  private readonly decoder = new SpoolDecoder();
  private hint = 0;
  private stopped = false;
  private closed = false;
  private loop: Promise<void> | undefined;
  private readonly stopSignal = new AbortController();
  /** Characters of every slice result read (for benches and the request accounting). */
  resultChars: number[] = [];
  sliceReads = 0;

  constructor(
    private readonly live: LiveCallbacks,
    mapper: PathMapper | undefined,
    private readonly logger: Logger = silentLogger,
  ) {
    this.list = new OutputList(mapper);
  }

  get offset(): number {
    return this.decoder.offset;
  }

  get ended(): boolean {
    return this.decoder.ended !== undefined;
  }

  private take(at: number, data: string): boolean {
    if (this.closed) return false;
    const before = this.decoder.offset;
    this.list.add(this.decoder.push(at, data), this.live);
    return this.decoder.offset > before;
  }

  private async readOnce(source: SliceSource, signal?: AbortSignal): Promise<Slice> {
    const slice = await source(this.decoder.offset, this.hint, signal);
    this.sliceReads++;
    this.resultChars.push(slice.resultChars);
    if (slice.header.n > 0 && slice.header.c > 0) this.hint = slice.header.n / slice.header.c;
    if (slice.data) this.take(slice.header.o, slice.data);
    return slice;
  }

  /** Starts the tail loop (the run's command has an id). */
  startTail(source: SliceSource, schedule: PollSchedule): void {
    if (this.loop) return;
    this.loop = (async () => {
      let attempt = 0;
      while (!this.stopped && !this.ended) {
        try {
          await sleep(schedule.delay(attempt), this.stopSignal.signal);
        } catch {
          return;
        }
        if (this.stopped) return;
        try {
          // Not aborted by stopTail: a read takes milliseconds, and cancelling it would cost a request.
          const slice = await this.readOnce(source);
          // New output: read again soon; nothing new: wait longer.
          attempt = slice.data ? 0 : attempt + 1;
        } catch (err) {
          if (this.stopped || isCancellation(err)) return;
          this.logger.info(`live output: a read failed (${err instanceof Error ? err.message : String(err)}); trying again later`);
          attempt++;
        }
      }
    })();
  }

  /**
   * Stops the tail loop. A read still in flight is not waited for: what it brings lands by offset,
   * so a piece the drain has already read adds nothing (a trivial run costs no extra round trip).
   */
  stopTail(): void {
    this.stopped = true;
    this.stopSignal.abort();
  }

  /** After the run: nothing more reaches the caller, whatever a late read brings. */
  close(): void {
    this.stopTail();
    this.closed = true;
  }

  /** After the command: the inline part of its result, then slices until the spool's end. */
  async drain(summary: RunSummary | undefined, source: SliceSource | undefined, signal?: AbortSignal): Promise<void> {
    this.stopTail();
    if (summary?.inline) {
      try {
        this.take(0, inflate(summary.inline));
      } catch (err) {
        this.logger.warn('the inline part of a run result did not decode; reading it in slices', err);
      }
    }
    try {
      if (!source) return;
      while (!this.ended) {
        if (summary && summary.size >= 0 && this.decoder.offset >= summary.size) break;
        const slice = await this.readOnce(source, signal);
        if (slice.header.size < 0 || !slice.data) break;
      }
    } finally {
      this.close();
    }
  }
}
