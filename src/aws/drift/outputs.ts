// A drift report as result-viewer outputs: one table of every column sorted by drift (PSI, a flag
// over the threshold, and both datasets' null rate, distinct count, mean/min/max and top values),
// then per compared column a heading and a chart of its shares per bin in both datasets.
import type { ResultCell, ResultColumn, ResultFacts, ResultOutput } from '../../results/model';
import { formatBytes } from '../s3/keys';
import { ColumnStats, DriftReport } from './psi';

export const DRIFT_FLAG = '⚠ drift';

function pct(v: number | undefined): string | null {
  return v === undefined ? null : `${(v * 100).toFixed(v > 0 && v < 0.001 ? 3 : 1)}%`;
}

function stat(v: number | string | undefined): ResultCell {
  if (v === undefined) return null;
  return typeof v === 'number' ? Number(v.toPrecision(6)) : v;
}

function top(s: ColumnStats): string | null {
  return s.top?.length ? s.top.map((t) => `${t.value} (${(t.share * 100).toFixed(1)}%)`).join(', ') : null;
}

export function driftOutputs(report: DriftReport, labels: [string, string]): ResultOutput[] {
  const columns: ResultColumn[] = [
    { name: 'column', type: 'string' },
    { name: 'type', type: 'string' },
    { name: 'PSI', type: 'number' },
    { name: 'drift', type: 'string' },
    { name: 'null rate A', type: 'string' },
    { name: 'null rate B', type: 'string' },
    { name: 'distinct A', type: 'integer' },
    { name: 'distinct B', type: 'integer' },
    { name: 'mean A', type: 'number' },
    { name: 'mean B', type: 'number' },
    { name: 'min A', type: 'string' },
    { name: 'min B', type: 'string' },
    { name: 'max A', type: 'string' },
    { name: 'max B', type: 'string' },
    { name: 'top values A', type: 'string' },
    { name: 'top values B', type: 'string' },
  ];
  const rows: ResultCell[][] = report.columns.map((c) => [
    c.name,
    c.sqlType,
    c.psi === undefined ? null : Number(c.psi.toFixed(4)),
    c.psi === undefined ? `not compared: ${c.note ?? 'no bins'}` : c.drifted ? DRIFT_FLAG : 'ok',
    pct(c.a.nullRate),
    pct(c.b.nullRate),
    c.a.distinct ?? null,
    c.b.distinct ?? null,
    stat(c.a.mean),
    stat(c.b.mean),
    stat(c.a.min) === null ? null : String(stat(c.a.min)),
    stat(c.b.min) === null ? null : String(stat(c.b.min)),
    stat(c.a.max) === null ? null : String(stat(c.a.max)),
    stat(c.b.max) === null ? null : String(stat(c.b.max)),
    top(c.a),
    top(c.b),
  ]);
  for (const name of report.onlyInA) rows.push([name, null, null, `only in A`, ...new Array(columns.length - 4).fill(null)]);
  for (const name of report.onlyInB) rows.push([name, null, null, `only in B`, ...new Array(columns.length - 4).fill(null)]);
  const outputs: ResultOutput[] = [
    {
      kind: 'table',
      columns,
      rows,
      truncationNote: `A = ${labels[0]}, B = ${labels[1]}; PSI over A's deciles (numbers) or categories (text), flagged above ${report.threshold}`,
    },
  ];
  for (const c of report.columns) {
    if (!c.bins.length) continue;
    outputs.push({
      kind: 'text',
      text: `${c.name} — PSI ${c.psi === undefined ? 'n/a' : c.psi.toFixed(4)}${c.drifted ? `  ${DRIFT_FLAG} (above ${report.threshold})` : ''}`,
    });
    const binRows: ResultCell[][] = [];
    for (const bin of c.bins) {
      binRows.push([bin.label, 'A', Number(bin.a.toFixed(6))]);
      binRows.push([bin.label, 'B', Number(bin.b.toFixed(6))]);
    }
    outputs.push({
      kind: 'table',
      columns: [
        { name: c.name, type: 'string' },
        { name: 'dataset', type: 'string' },
        { name: 'share', type: 'number' },
      ],
      rows: binRows,
      chart: { mark: 'bar', x: c.name, y: 'share', color: 'dataset', grouped: true },
    });
  }
  return outputs;
}

export function driftFacts(report: DriftReport, labels: [string, string], scannedBytes: number): ResultFacts {
  const compared = report.columns.filter((c) => c.psi !== undefined);
  const drifted = compared.filter((c) => c.drifted);
  return [
    { label: 'A', value: `${labels[0]} (${report.rowsA.toLocaleString('en-US')} rows)` },
    { label: 'B', value: `${labels[1]} (${report.rowsB.toLocaleString('en-US')} rows)` },
    { label: 'Drifted', value: `${drifted.length} of ${compared.length} columns${drifted.length ? `: ${drifted.map((c) => c.name).join(', ')}` : ''}` },
    { label: 'Threshold', value: `PSI ${report.threshold}` },
    { label: 'Scanned', value: `${formatBytes(scannedBytes)} in 2 Athena queries` },
  ];
}
