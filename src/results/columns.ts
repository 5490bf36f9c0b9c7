// Column storage for the tables the host holds. A million rows of twenty cells as JS row arrays cost
// several times their CSV (an array per row, a boxed number per fractional cell); here each column
// is one typed array: Int32 or Float64 for numbers, a byte per boolean, and for text a code per row
// into a dictionary of UTF-8 strings (repeated values stored once). Every buffer is a
// SharedArrayBuffer, so the sort/filter worker reads the columns without a copy. Columns grow
// (rows can be appended while a result is shown) and change kind when a value does not fit.
import type { ResultCell } from './model';

export const NULL_CODE = 0xffffffff;
/** Text columns tag values that were not strings (mixed columns keep their cell types). */
export const TAG_STRING = 0;
export const TAG_NUMBER = 1;
export const TAG_BOOLEAN = 2;

/** What the worker reads: plain views over shared memory, posted without copying. */
export type ColumnData =
  | { kind: 'int'; values: Int32Array; nulls?: Uint8Array }
  | { kind: 'float'; values: Float64Array; nulls?: Uint8Array }
  /** 0 false, 1 true, 2 null. */
  | { kind: 'bool'; values: Uint8Array }
  | { kind: 'text'; codes: Uint32Array; heap: Uint8Array; offsets: Uint32Array; entries: number; tags?: Uint8Array; hasStrings: boolean };

function shared<T extends Int32Array | Float64Array | Uint8Array | Uint32Array>(
  Ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
): T {
  return new Ctor(new SharedArrayBuffer(Math.max(1, length) * Ctor.BYTES_PER_ELEMENT));
}

function grown<T extends Int32Array | Float64Array | Uint8Array | Uint32Array>(
  old: T,
  Ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  need: number,
  fill?: number,
): T {
  if (need <= old.length) return old;
  const next = shared(Ctor, Math.max(need, Math.ceil(old.length * 1.5) + 16));
  next.set(old);
  if (fill !== undefined) next.fill(fill, old.length);
  return next;
}

function trimmed<T extends Int32Array | Float64Array | Uint8Array | Uint32Array>(
  old: T,
  Ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
): T {
  if (old.length === Math.max(1, length)) return old;
  const next = shared(Ctor, length);
  next.set(old.subarray(0, length));
  return next;
}

const isInt32 = (v: number) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 && !Object.is(v, -0);

function normalize(v: unknown): ResultCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

export interface Column {
  readonly length: number;
  get(row: number): ResultCell;
  /** Appends a value; returns the column to use from now on (itself, or a wider kind holding it). */
  push(value: ResultCell): Column;
  /** Drops spare capacity (after a bulk load). */
  trim(): void;
  data(): ColumnData;
  /** Bytes held (typed arrays and the string heap). */
  bytes(): number;
}

class NumberColumn implements Column {
  length = 0;
  private values: Int32Array | Float64Array;
  private nulls: Uint8Array | undefined;

  constructor(
    capacity: number,
    private int = true,
  ) {
    this.values = int ? shared(Int32Array, capacity) : shared(Float64Array, capacity);
  }

  get(row: number): ResultCell {
    if (this.nulls && this.nulls[row >> 3] & (1 << (row & 7))) return null;
    return this.values[row];
  }

  push(value: ResultCell): Column {
    if (value !== null && typeof value !== 'number') return TextColumn.from(this, this.length + 1).push(value);
    const i = this.length;
    if (value === null) {
      this.nulls = grown(this.nulls ?? shared(Uint8Array, (this.values.length + 7) >> 3), Uint8Array, (i >> 3) + 1, 0);
      this.nulls[i >> 3] |= 1 << (i & 7);
    } else if (this.int && !isInt32(value)) {
      const wide = shared(Float64Array, this.values.length);
      for (let r = 0; r < i; r++) wide[r] = this.values[r];
      this.values = wide;
      this.int = false;
    }
    if (i >= this.values.length)
      this.values = this.int ? grown(this.values as Int32Array, Int32Array, i + 1) : grown(this.values as Float64Array, Float64Array, i + 1);
    if (value !== null) this.values[i] = value;
    this.length = i + 1;
    return this;
  }

  trim(): void {
    this.values = this.int ? trimmed(this.values as Int32Array, Int32Array, this.length) : trimmed(this.values as Float64Array, Float64Array, this.length);
    if (this.nulls) this.nulls = trimmed(grown(this.nulls, Uint8Array, (this.length + 7) >> 3, 0), Uint8Array, (this.length + 7) >> 3);
  }

  data(): ColumnData {
    return this.int
      ? { kind: 'int', values: this.values as Int32Array, nulls: this.nulls }
      : { kind: 'float', values: this.values as Float64Array, nulls: this.nulls };
  }

  bytes(): number {
    return this.values.byteLength + (this.nulls?.byteLength ?? 0);
  }
}

class BooleanColumn implements Column {
  length = 0;
  private values: Uint8Array;

  constructor(capacity: number) {
    this.values = shared(Uint8Array, capacity);
  }

  get(row: number): ResultCell {
    const v = this.values[row];
    return v === 2 ? null : v === 1;
  }

  push(value: ResultCell): Column {
    if (value !== null && typeof value !== 'boolean') return TextColumn.from(this, this.length + 1).push(value);
    this.values = grown(this.values, Uint8Array, this.length + 1);
    this.values[this.length++] = value === null ? 2 : value ? 1 : 0;
    return this;
  }

  trim(): void {
    this.values = trimmed(this.values, Uint8Array, this.length);
  }

  data(): ColumnData {
    return { kind: 'bool', values: this.values };
  }

  bytes(): number {
    return this.values.byteLength;
  }
}

/** Dictionaries up to this size keep their decoded strings on the host for serving windows. */
const DECODED_CACHE_MAX = 65_536;

class TextColumn implements Column {
  length = 0;
  private codes: Uint32Array;
  private tags: Uint8Array | undefined;
  private hasStrings = false;
  private heap: Uint8Array;
  private heapBuf: Buffer;
  private heapUsed = 0;
  private offsets: Uint32Array;
  private entries = 0;
  /**
   * Interning while values arrive; dropped once the dictionary is large, and after a bulk load of a
   * large one (later equal strings may then repeat in the dictionary, which sorting and filtering
   * tolerate).
   */
  private intern: Map<string, number> | undefined = new Map();
  private decoded: string[] = [];

  constructor(capacity: number) {
    this.codes = shared(Uint32Array, capacity);
    this.heap = shared(Uint8Array, 1024);
    this.heapBuf = Buffer.from(this.heap.buffer);
    this.offsets = shared(Uint32Array, 65);
    this.offsets[0] = 0;
  }

  /** The values of a number or boolean column, re-held as text with their cell types kept. */
  static from(old: Column, capacity: number): TextColumn {
    const text = new TextColumn(capacity);
    for (let r = 0; r < old.length; r++) text.push(old.get(r));
    return text;
  }

  private entry(text: string): number {
    const known = this.intern?.get(text);
    if (known !== undefined) return known;
    const size = Buffer.byteLength(text, 'utf8');
    if (this.heapUsed + size > this.heap.length) {
      this.heap = grown(this.heap, Uint8Array, Math.max(this.heapUsed + size, this.heap.length * 2));
      this.heapBuf = Buffer.from(this.heap.buffer);
    }
    this.heapBuf.write(text, this.heapUsed, 'utf8');
    this.heapUsed += size;
    const code = this.entries++;
    this.offsets = grown(this.offsets, Uint32Array, this.entries + 1);
    this.offsets[this.entries] = this.heapUsed;
    if (this.intern) {
      this.intern.set(text, code);
      if (this.intern.size > 1_000_000) this.intern = undefined;
    }
    if (code < DECODED_CACHE_MAX) this.decoded[code] = text;
    return code;
  }

  private text(code: number): string {
    return this.decoded[code] ?? this.heapBuf.toString('utf8', this.offsets[code], this.offsets[code + 1]);
  }

  get(row: number): ResultCell {
    const code = this.codes[row];
    if (code === NULL_CODE) return null;
    const text = this.text(code);
    const tag = this.tags ? this.tags[row] : TAG_STRING;
    return tag === TAG_STRING ? text : tag === TAG_NUMBER ? Number(text) : text === 'true';
  }

  push(value: ResultCell): Column {
    const i = this.length;
    this.codes = grown(this.codes, Uint32Array, i + 1);
    if (value === null) this.codes[i] = NULL_CODE;
    else {
      const tag = typeof value === 'string' ? TAG_STRING : typeof value === 'number' ? TAG_NUMBER : TAG_BOOLEAN;
      if (tag !== TAG_STRING && !this.tags) this.tags = shared(Uint8Array, this.codes.length);
      if (this.tags) {
        this.tags = grown(this.tags, Uint8Array, i + 1);
        this.tags[i] = tag;
      }
      if (tag === TAG_STRING) this.hasStrings = true;
      this.codes[i] = this.entry(String(value));
    }
    this.length = i + 1;
    return this;
  }

  trim(): void {
    // A big dictionary's interning map would hold every distinct string on the heap a second time.
    if (this.entries > DECODED_CACHE_MAX) this.intern = undefined;
    this.codes = trimmed(this.codes, Uint32Array, this.length);
    if (this.tags) this.tags = trimmed(this.tags, Uint8Array, this.length);
    this.heap = trimmed(this.heap, Uint8Array, this.heapUsed);
    this.heapBuf = Buffer.from(this.heap.buffer);
    this.offsets = trimmed(this.offsets, Uint32Array, this.entries + 1);
  }

  data(): ColumnData {
    return { kind: 'text', codes: this.codes, heap: this.heap, offsets: this.offsets, entries: this.entries, tags: this.tags, hasStrings: this.hasStrings };
  }

  bytes(): number {
    return this.codes.byteLength + (this.tags?.byteLength ?? 0) + this.heap.byteLength + this.offsets.byteLength;
  }
}

/** A column for values of unknown kind: the first non-null value picks it (a later misfit widens it). */
class EmptyColumn implements Column {
  length = 0;
  constructor(private readonly capacity: number) {}
  get(): ResultCell {
    return null;
  }
  push(value: ResultCell): Column {
    if (value === null) {
      this.length++;
      return this;
    }
    const col: Column =
      typeof value === 'number'
        ? new NumberColumn(this.capacity)
        : typeof value === 'boolean'
          ? new BooleanColumn(this.capacity)
          : new TextColumn(this.capacity);
    let c = col;
    for (let r = 0; r < this.length; r++) c = c.push(null);
    return c.push(value);
  }
  trim(): void {}
  data(): ColumnData {
    return {
      kind: 'int',
      values: new Int32Array(new SharedArrayBuffer(4 * Math.max(1, this.length))),
      nulls: new Uint8Array(new SharedArrayBuffer(Math.max(1, (this.length + 7) >> 3))).fill(0xff),
    };
  }
  bytes(): number {
    return 0;
  }
}

export function newColumn(capacity: number): Column {
  return new EmptyColumn(capacity);
}

/** Appends rows to columns (a row shorter than the columns gets NULLs). */
export function appendRows(columns: Column[], rows: ReadonlyArray<ReadonlyArray<unknown>>, from = 0, to = rows.length): void {
  for (let c = 0; c < columns.length; c++) {
    let col = columns[c];
    for (let r = from; r < to; r++) col = col.push(normalize(rows[r]?.[c]));
    columns[c] = col;
  }
}
