// Scans a local data file for personal data before it leaves the machine (Upload to S3, Push,
// sync on save). Bounded: the first MAX_ROWS rows, read through the same preview readers the S3
// view uses (src/aws/preview), from at most MAX_BYTES of the file (Parquet: the footer and the
// first rows' pages, within PARQUET_BYTES). Verdicts come from the same PiiTableGuard the result
// viewer masks with, so a column warned about before upload is a column masked once it is shown.
import fs from 'node:fs';
import path from 'node:path';
import { readCsvPreview, readTsvPreview } from '../../aws/preview/csv';
import { readJsonLinesPreview } from '../../aws/preview/jsonl';
import { parquetColumns, readParquetMetadata, readParquetPreview } from '../../aws/preview/parquet';
import type { PreviewTable } from '../../aws/preview/table';
import type { PiiKind } from './kinds';
import { GuardCell, PiiTableGuard } from './tableGuard';

export const MAX_ROWS = 1_000;
export const MAX_BYTES = 4 * 1024 * 1024;
export const PARQUET_BYTES = 32 * 1024 * 1024;
/** Files a folder upload scans at most (the rest are named as not checked). */
export const MAX_FILES = 200;

export type DataFormat = 'csv' | 'tsv' | 'jsonl' | 'json' | 'parquet';

export function dataFormat(file: string): DataFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.json') return 'json';
  if (ext === '.parquet' || ext === '.parq') return 'parquet';
  return undefined;
}

export interface FlaggedColumn {
  name: string;
  kinds: PiiKind[];
  byName: boolean;
}

export interface FileVerdict {
  file: string;
  format: DataFormat;
  rowsScanned: number;
  /** Columns with personal data (empty when none was found). */
  columns: FlaggedColumn[];
  /** True when only the column names could be checked (a Parquet row group over the budget). */
  namesOnly?: boolean;
}

export interface ScanLimits {
  maxRows?: number;
  maxBytes?: number;
  parquetBytes?: number;
  signal?: AbortSignal;
}

class OverBudget extends Error {}

function verdictOf(file: string, format: DataFormat, table: Pick<PreviewTable, 'columns' | 'rows'>, namesOnly = false): FileVerdict {
  const guard = new PiiTableGuard(table.columns);
  guard.sample(table.rows as GuardCell[][]);
  const columns = guard.flaggedColumns().map((c) => {
    const v = guard.verdict(c)!;
    return { name: table.columns[c].name, kinds: v.kinds, byName: v.byName };
  });
  return { file, format, rowsScanned: table.rows.length, columns, namesOnly: namesOnly || undefined };
}

/** The first records of a JSON array (or a single object) in a text that may be cut short. */
export function jsonRecords(text: string, maxRows: number): Array<Record<string, unknown>> {
  const start = text.search(/\S/);
  if (start < 0) return [];
  if (text[start] === '{') {
    try {
      const one = JSON.parse(text) as unknown;
      return one && typeof one === 'object' && !Array.isArray(one) ? [one as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  }
  if (text[start] !== '[') return [];
  // Each top-level element, found by bracket depth outside strings, parsed on its own: a file cut
  // at the byte budget still yields its complete first records.
  const out: Array<Record<string, unknown>> = [];
  let depth = 0;
  let inString = false;
  let from = -1;
  for (let i = start + 1; i < text.length && out.length < maxRows; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') {
      if (depth === 0) from = i;
      depth++;
    } else if (ch === '}' || ch === ']') {
      if (depth === 0) break; // the end of the array
      depth--;
      if (depth === 0 && from >= 0) {
        try {
          const v = JSON.parse(text.slice(from, i + 1)) as unknown;
          if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v as Record<string, unknown>);
        } catch {
          // A malformed element is skipped.
        }
        from = -1;
      }
    }
  }
  return out;
}

function recordsTable(records: Array<Record<string, unknown>>): Pick<PreviewTable, 'columns' | 'rows'> {
  const names = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown): GuardCell => (v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : (v as GuardCell));
  return { columns: names.map((name) => ({ name, type: 'unknown' as const })), rows: records.map((r) => names.map((n) => cell(r[n]))) };
}

function budgetStream(file: string, maxBytes: number): fs.ReadStream {
  return fs.createReadStream(file, { start: 0, end: Math.max(0, maxBytes - 1), highWaterMark: 256 * 1024 });
}

async function readText(file: string, maxBytes: number): Promise<string> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(maxBytes, (await handle.stat()).size));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

async function parquetVerdict(file: string, limits: Required<Omit<ScanLimits, 'signal'>> & { signal?: AbortSignal }): Promise<FileVerdict> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const byteLength = (await handle.stat()).size;
    let read = 0;
    let bounded = true;
    const source = {
      byteLength,
      read: async (start: number, end: number) => {
        read += end - start;
        if (bounded && read > limits.parquetBytes) throw new OverBudget();
        const buf = Buffer.alloc(end - start);
        await handle.read(buf, 0, buf.length, start);
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      },
    };
    try {
      return verdictOf(file, 'parquet', await readParquetPreview(source, { maxRows: limits.maxRows, signal: limits.signal }));
    } catch (err) {
      if (!(err instanceof OverBudget)) throw err;
      // The first rows' pages are over the budget: the names (from the footer alone) still say something.
      bounded = false;
      const columns = parquetColumns(await readParquetMetadata(source));
      return verdictOf(file, 'parquet', { columns, rows: [] }, true);
    }
  } finally {
    await handle.close();
  }
}

/** Scans one data file; undefined when it is not a format Ferry reads. Throws when it cannot be read or parsed. */
export async function scanDataFile(file: string, limits: ScanLimits = {}): Promise<FileVerdict | undefined> {
  const format = dataFormat(file);
  if (!format) return undefined;
  const l = {
    maxRows: limits.maxRows ?? MAX_ROWS,
    maxBytes: limits.maxBytes ?? MAX_BYTES,
    parquetBytes: limits.parquetBytes ?? PARQUET_BYTES,
    signal: limits.signal,
  };
  switch (format) {
    case 'parquet':
      return parquetVerdict(file, l);
    case 'csv':
    case 'tsv': {
      const stream = budgetStream(file, l.maxBytes);
      try {
        const table = await (format === 'csv' ? readCsvPreview : readTsvPreview)(stream, { maxRows: l.maxRows, signal: l.signal });
        return verdictOf(file, format, table);
      } finally {
        stream.destroy();
      }
    }
    case 'jsonl':
    case 'json': {
      const text = await readText(file, l.maxBytes);
      const first = text.search(/\S/);
      // A .json file may hold JSON Lines; a .jsonl file cut at the budget loses only its last line.
      if (format === 'jsonl' || (first >= 0 && text[first] === '{' && /\}\s*\r?\n\s*\{/.test(text.slice(first, first + 1_000_000)))) {
        const lines = text.split('\n');
        if (text.length >= l.maxBytes) lines.pop();
        const body = lines.join('\n');
        return verdictOf(
          file,
          format,
          await readJsonLinesPreview(
            (async function* () {
              yield body;
            })(),
            { maxRows: l.maxRows, signal: l.signal },
          ),
        );
      }
      return verdictOf(file, format, recordsTable(jsonRecords(text, l.maxRows)));
    }
  }
}

export interface FilesVerdict {
  /** Files with personal data, with their columns. */
  flagged: FileVerdict[];
  /** Data files scanned (with or without findings). */
  scanned: number;
  /** Data files that could not be read or parsed, with why. */
  failed: Array<{ file: string; reason: string }>;
  /** Data files left unscanned (over MAX_FILES). */
  notScanned: number;
}

/** Scans the data files among `files` (others are ignored), one at a time, until cancelled. */
export async function scanDataFiles(
  files: readonly string[],
  limits: ScanLimits & { maxFiles?: number; onFile?: (file: string, done: number, total: number) => void } = {},
): Promise<FilesVerdict> {
  const data = files.filter((f) => dataFormat(f));
  const maxFiles = limits.maxFiles ?? MAX_FILES;
  const out: FilesVerdict = { flagged: [], scanned: 0, failed: [], notScanned: Math.max(0, data.length - maxFiles) };
  for (const file of data.slice(0, maxFiles)) {
    if (limits.signal?.aborted) break;
    limits.onFile?.(file, out.scanned, Math.min(data.length, maxFiles));
    try {
      const verdict = await scanDataFile(file, limits);
      out.scanned++;
      if (verdict?.columns.length) out.flagged.push(verdict);
    } catch (err) {
      out.failed.push({ file, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}
