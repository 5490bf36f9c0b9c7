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

/** Reads a slice at `offset` (at most `limit` spool bytes when set). */
export type SliceSource = (offset: number, hint: number, signal?: AbortSignal, limit?: number) => Promise<Slice>;

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
  /** The most spool bytes one slice has carried: what a reader side by side is given to read. */
  private sliceBytes = 0;

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

  private async readOnce(source: SliceSource, signal?: AbortSignal, at = this.decoder.offset, limit = 0): Promise<Slice> {
    const slice = await source(at, this.hint, signal, limit);
    this.sliceReads++;
    this.resultChars.push(slice.resultChars);
    if (slice.header.n > 0 && slice.header.c > 0) {
      this.hint = slice.header.n / slice.header.c;
      this.sliceBytes = Math.max(this.sliceBytes, slice.header.n);
    }
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
          if (attempt >= 0) await sleep(schedule.delay(attempt), this.stopSignal.signal);
        } catch {
          return;
        }
        if (this.stopped) return;
        try {
          // Not aborted by stopTail: a read takes milliseconds, and cancelling it would cost a request.
          const slice = await this.readOnce(source);
          // More is there already: read on at once. New output: read again soon. Nothing: wait longer.
          const behind = slice.header.size > slice.header.o + slice.header.n;
          attempt = behind ? -1 : slice.data ? 0 : attempt + 1;
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

  /**
   * After the command: the inline part of its result, then slices until the spool's end. With a
   * second source and the spool's size known, both read side by side, each on its own range.
   */
  async drain(summary: RunSummary | undefined, source: SliceSource | undefined, signal?: AbortSignal, second?: SliceSource): Promise<void> {
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
      if (second && summary && summary.size > this.decoder.offset) await this.drainSideBySide([source, second], summary.size, signal);
      while (!this.ended) {
        if (summary && summary.size >= 0 && this.decoder.offset >= summary.size) break;
        const slice = await this.readOnce(source, signal);
        if (slice.header.size < 0 || !slice.data) break;
      }
    } finally {
      this.close();
    }
  }

  /** Readers take the next range (or a range a reader left short) until the spool is read to `size`. */
  private async drainSideBySide(sources: SliceSource[], size: number, signal?: AbortSignal): Promise<void> {
    let cursor = this.decoder.offset;
    const short: Array<[number, number]> = [];
    const next = (): [number, number] | undefined => {
      const hole = short.shift();
      if (hole) return hole;
      if (cursor >= size) return undefined;
      const step = Math.max(16 * 1024, Math.floor(this.sliceBytes * 0.9) || 32 * 1024);
      const range: [number, number] = [cursor, Math.min(size, cursor + step)];
      cursor = range[1];
      return range;
    };
    const worker = async (source: SliceSource): Promise<void> => {
      for (let range = next(); range; range = next()) {
        const [a, b] = range;
        const slice = await this.readOnce(source, signal, a, b - a);
        if (!slice.data || slice.header.size < 0) throw new Error(`a read of spool bytes ${a}-${b} came back empty`);
        if (a + slice.data.length < b) short.unshift([a + slice.data.length, b]);
      }
    };
    try {
      await Promise.all(sources.map(worker));
    } catch (err) {
      if (isCancellation(err)) throw err;
      // The one-reader loop after this picks up from what is assembled.
      this.logger.info(`reading side by side stopped (${err instanceof Error ? err.message : String(err)}); reading on with one reader`);
    }
  }
}
