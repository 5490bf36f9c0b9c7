// Reads a result from a local file (untrusted): Ferry's JSON export (an array of objects), a
// `{ columns, rows }` table, a `{ title, outputs }` result, or CSV. Shapes are checked; anything
// else is refused with a plain message.
import type { ColumnType, ResultCell, ResultColumn, ResultOutput, TracebackFrame } from './model';

const TYPES: ColumnType[] = ['string', 'integer', 'number', 'boolean', 'date', 'timestamp', 'json', 'binary', 'unknown'];

function cell(v: unknown): ResultCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

function inferType(values: ResultCell[]): ColumnType {
  const seen = values.filter((v) => v !== null);
  if (seen.length === 0) return 'unknown';
  if (seen.every((v) => typeof v === 'boolean')) return 'boolean';
  if (seen.every((v) => typeof v === 'number')) return seen.every((v) => Number.isInteger(v)) ? 'integer' : 'number';
  return 'string';
}

function table(columns: unknown, rows: unknown): ResultOutput {
  if (!Array.isArray(columns) || !Array.isArray(rows)) throw new Error('A table needs "columns" and "rows" arrays.');
  const cols: ResultColumn[] = columns.map((c) => {
    if (typeof c === 'string') return { name: c, type: 'unknown' as ColumnType };
    const o = (c ?? {}) as Record<string, unknown>;
    return {
      name: String(o.name ?? ''),
      type: TYPES.includes(o.type as ColumnType) ? (o.type as ColumnType) : 'unknown',
      sourceType: typeof o.sourceType === 'string' ? o.sourceType : undefined,
    };
  });
  const data = rows.map((r) => (Array.isArray(r) ? cols.map((_, i) => cell(r[i])) : cols.map(() => null)));
  return { kind: 'table', columns: cols, rows: data };
}

function output(o: unknown): ResultOutput {
  const v = (o ?? {}) as Record<string, unknown>;
  switch (v.kind) {
    case 'table':
      return table(v.columns, v.rows);
    case 'text':
      return { kind: 'text', text: String(v.text ?? '') };
    case 'image':
      if (typeof v.base64 !== 'string' || !/^[A-Za-z0-9+/=\s]*$/.test(v.base64)) throw new Error('An image needs base64 PNG data.');
      return { kind: 'image', mime: 'image/png', base64: v.base64.replace(/\s/g, '') };
    case 'error': {
      const frames: TracebackFrame[] = Array.isArray(v.frames)
        ? v.frames.map((f) => {
            const fr = (f ?? {}) as Record<string, unknown>;
            return {
              file: String(fr.file ?? ''),
              line: Number(fr.line) || 0,
              function: typeof fr.function === 'string' ? fr.function : undefined,
              localUri: typeof fr.localUri === 'string' ? fr.localUri : undefined,
            };
          })
        : [];
      return { kind: 'error', summary: String(v.summary ?? ''), traceback: String(v.traceback ?? ''), frames };
    }
    default:
      throw new Error(`Unknown output kind ${JSON.stringify(v.kind)}.`);
  }
}

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\ufeff/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function resultFromFile(name: string, text: string): { title: string; outputs: ResultOutput[] } {
  if (/\.csv$/i.test(name)) {
    const [header = [], ...rows] = parseCsv(text);
    return { title: name, outputs: [{ kind: 'table', columns: header.map((h) => ({ name: h, type: 'string' })), rows }] };
  }
  const data = JSON.parse(text) as unknown;
  if (Array.isArray(data)) {
    const names = [...new Set(data.flatMap((o) => (o && typeof o === 'object' ? Object.keys(o) : [])))];
    const rows = data.map((o) => names.map((n) => cell((o as Record<string, unknown>)?.[n])));
    const columns = names.map((n, i) => ({ name: n, type: inferType(rows.map((r) => r[i])) }));
    return { title: name, outputs: [{ kind: 'table', columns, rows }] };
  }
  const obj = (data ?? {}) as Record<string, unknown>;
  if (Array.isArray(obj.outputs)) return { title: typeof obj.title === 'string' ? obj.title : name, outputs: obj.outputs.map(output) };
  if (obj.columns) return { title: name, outputs: [table(obj.columns, obj.rows)] };
  throw new Error('The file holds no result Ferry can show (an array of objects, { columns, rows } or { outputs }).');
}
