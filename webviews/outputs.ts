// Renders each kind of output. All data goes in as textContent; links are buttons that ask the host.
import type { ResultCell } from '../src/results/model';
import { describeKinds } from '../src/core/pii/kinds';
import type { ErrorView, HostMessage, ImageView, OutputPiiView, TableView, TextSegment, TextView } from '../src/results/protocol';
import { MAX_CHART_ROWS } from '../src/results/protocol';
import type { Chart, ChartChoice, Mark } from './chart';
import { Grid } from './grid';
import { count } from '../src/core/text';
import { el, onHostMessage, post, requestId, saveUiState, uiState } from './host';

export interface OutputWidget {
  root: HTMLElement;
  update?(view: unknown): void;
  dispose?(): void;
}

export function segmentsPre(className: string, segments: TextSegment[]): HTMLPreElement {
  const pre = el('pre', className);
  for (const s of segments) {
    if (s.classes.length === 0) pre.append(document.createTextNode(s.text));
    else pre.append(el('span', s.classes.join(' '), s.text));
  }
  return pre;
}

/** "2 e-mail addresses masked in this output. [Reveal]" (or, once revealed, "[Mask]"). */
function piiNote(outputId: string, pii: OutputPiiView): HTMLElement {
  const note = el(
    'div',
    'notice pii-note',
    pii.masked
      ? `Personal data masked in this output (${count(pii.count, 'value')}: ${describeKinds(pii.kinds)}). `
      : `Showing personal data in this output (${describeKinds(pii.kinds)}). `,
  );
  const button = el('button', `link pii-action ${pii.masked ? 'reveal' : 'mask'}`, pii.masked ? 'Reveal' : 'Mask');
  button.title = pii.masked ? 'Show the real values in this output (for this result only)' : 'Mask the personal data again';
  button.addEventListener('click', () => post({ type: 'revealOutput', outputId, reveal: pii.masked }));
  note.append(button);
  return note;
}

/** Text that may grow while a run prints: re-rendered on each update; a long one shows its end. */
export function textWidget(view: TextView): OutputWidget {
  const root = el('section', 'output text-output');
  const render = (v: TextView) => {
    const parts: HTMLElement[] = [];
    if (v.pii) parts.push(piiNote(v.id, v.pii));
    if (v.hiddenChars) {
      const note = el('div', 'notice text-cut', `${v.hiddenChars.toLocaleString('en-US')} earlier characters are not shown here. `);
      const open = el('button', 'link', 'Open Full Text');
      open.title = 'Open the whole output in an editor';
      open.addEventListener('click', () => post({ type: 'openText', outputId: v.id }));
      note.append(open);
      parts.push(note);
    }
    parts.push(segmentsPre('text', v.segments));
    root.replaceChildren(...parts);
  };
  render(view);
  return { root, update: (v) => render(v as TextView) };
}

export function imageWidget(view: ImageView): OutputWidget {
  const root = el('section', 'output image-output');
  if (/^[A-Za-z0-9+/=]+$/.test(view.base64)) {
    const img = el('img', 'result-image');
    img.alt = 'Result image';
    img.src = `data:image/png;base64,${view.base64}`;
    root.append(img);
  } else root.append(el('div', 'notice error', 'The image is not valid base64 PNG data.'));
  return { root };
}

export function errorWidget(first: ErrorView): OutputWidget {
  const root = el('section', 'output error-output');
  const render = (view: ErrorView) => {
    root.replaceChildren();
    if (view.pii) root.append(piiNote(view.id, view.pii));
    errorParts(root, view);
  };
  render(first);
  return { root, update: (v) => render(v as ErrorView) };
}

function errorParts(root: HTMLElement, view: ErrorView): void {
  root.append(el('div', 'error-summary', view.summary));
  if (view.frames.length) {
    const list = el('ul', 'frames');
    view.frames.forEach((f, i) => {
      const li = el('li');
      const label = `${f.file}:${f.line}`;
      if (f.linked) {
        const link = el('button', 'link', label);
        link.title = `Open ${label}`;
        link.addEventListener('click', () => post({ type: 'openFrame', outputId: view.id, frame: i }));
        li.append(link);
      } else li.append(el('span', 'frame-file', label));
      if (f.function) li.append(el('span', 'frame-fn', f.function));
      list.append(li);
    });
    root.append(list);
  }
  root.append(segmentsPre('traceback', view.traceback));
}

function countText(view: TableView): string {
  const fmt = (n: number) => n.toLocaleString('en-US');
  if (view.rowCount === undefined) return 'rows loading…';
  let s = `${count(view.rowCount, 'row')} × ${count(view.columns.length, 'column')}`;
  if (view.filter && view.totalRows !== undefined && !view.busy) s += ` (filtered from ${fmt(view.totalRows)})`;
  if (view.busy) s += view.busy === 'loading' ? ' — preparing to sort…' : view.busy === 'sorting' ? ' — sorting…' : ' — filtering…';
  return s;
}

export class TableWidget implements OutputWidget {
  readonly root = el('section', 'output table-output');
  private readonly grid: Grid;
  private readonly count = el('span', 'count');
  private readonly truncation = el('span', 'truncation');
  private readonly piiSummary = el('span', 'pii-summary');
  private readonly filter = el('input');
  private readonly chartBox = el('div', 'chart');
  private chart: Chart | undefined;
  private chartRequest = 0;
  private readonly unsubscribe: () => void;
  private filterTimer: number | undefined;

  constructor(private view: TableView) {
    const bar = el('div', 'bar');
    this.filter.type = 'search';
    this.filter.placeholder = view.sortable ? 'Filter rows' : 'Filter (not available for paged results)';
    this.filter.disabled = !view.sortable;
    this.filter.value = view.filter;
    this.filter.setAttribute('aria-label', 'Filter rows');
    this.filter.addEventListener('input', () => {
      window.clearTimeout(this.filterTimer);
      this.filterTimer = window.setTimeout(() => post({ type: 'filter', outputId: this.view.id, text: this.filter.value }), 250);
    });
    const copy = el('button', 'copy', 'Copy');
    copy.title = 'Copy the selected cells or rows as TSV (Ctrl+C)';
    copy.addEventListener('click', () => this.grid.copySelection());
    const csv = el('button', 'export-csv', 'Export CSV');
    csv.addEventListener('click', () => post({ type: 'export', outputId: this.view.id, format: 'csv' }));
    const json = el('button', 'export-json', 'Export JSON');
    json.addEventListener('click', () => post({ type: 'export', outputId: this.view.id, format: 'json' }));
    const chart = el('button', 'open-chart', 'Chart');
    chart.addEventListener('click', () => void this.toggleChart());
    bar.append(this.filter, this.count, this.truncation, this.piiSummary, copy, csv, json, chart);
    this.grid = new Grid(view);
    this.chartBox.hidden = true;
    this.root.append(bar, this.grid.viewport, this.chartBox);
    this.unsubscribe = onHostMessage((m) => this.onHost(m));
    this.refresh();
    // A table that comes with a chart (a metric's history) opens it, unless the user closed it.
    const saved = uiState().outputs[view.id]?.chart;
    if (saved?.open || (!saved && view.chart)) void this.toggleChart();
  }

  update(view: TableView): void {
    const reorder = view.version !== this.view.version;
    this.view = view;
    this.grid.update(view);
    this.refresh();
    if (reorder && this.chart) this.requestChartData();
  }

  private refresh(): void {
    this.count.textContent = countText(this.view);
    this.truncation.textContent = this.view.truncated ? this.view.truncationNote || 'The result was truncated by its source.' : '';
    const masked = this.view.columns.filter((c) => c.pii?.masked);
    this.piiSummary.textContent = masked.length
      ? `Personal data masked in ${count(masked.length, 'column')} (${masked.map((c) => c.name).join(', ')}): Reveal is in the column's header.`
      : '';
    this.piiSummary.title = masked.length
      ? `Found: ${describeKinds(masked.flatMap((c) => c.pii!.kinds))}. Values are masked before they reach this view; the filter does not search masked columns.`
      : '';
  }

  private choice(): ChartChoice {
    const saved = uiState().outputs[this.view.id]?.chart;
    const preset = this.view.chart;
    if (!saved && preset) return { mark: preset.mark, x: preset.x, y: preset.y, color: preset.color, grouped: preset.grouped };
    const cols = this.view.columns;
    const numeric = cols.findIndex((c) => c.type === 'integer' || c.type === 'number');
    const other = cols.findIndex((c, i) => i !== numeric && (c.type === 'integer' || c.type === 'number'));
    return {
      mark: (saved?.mark as Mark) ?? 'scatter',
      x: saved?.x ?? Math.max(0, numeric),
      y: saved?.y ?? Math.max(0, other >= 0 ? other : numeric),
      color: saved?.color ?? -1,
    };
  }

  private async toggleChart(): Promise<void> {
    if (this.chart) {
      this.chart.dispose();
      this.chart = undefined;
      this.chartBox.hidden = true;
      this.chartBox.textContent = '';
      saveUiState((s) => (s.outputs[this.view.id] = { ...s.outputs[this.view.id], chart: { ...this.choice(), open: false } }));
      return;
    }
    this.chartBox.hidden = false;
    this.chartBox.textContent = 'Loading the chart library…';
    // The only place vega is imported: webpack puts it in its own chunk, fetched on first use.
    const { Chart } = await import(/* webpackChunkName: "chart" */ './chart');
    this.chartBox.textContent = '';
    const controls = el('div', 'bar chart-controls');
    const choice = this.choice();
    const select = (label: string, name: string, options: Array<[string, string]>, value: string) => {
      const s = el('select');
      s.name = name;
      s.setAttribute('aria-label', label);
      for (const [v, text] of options) {
        const o = el('option', undefined, text);
        o.value = v;
        s.append(o);
      }
      s.value = value;
      s.addEventListener('change', () => this.requestChartData());
      controls.append(el('span', undefined, label), s);
      return s;
    };
    const cols: Array<[string, string]> = this.view.columns.map((c, i) => [String(i), c.name]);
    select(
      'Chart',
      'mark',
      [
        ['line', 'Line'],
        ['bar', 'Bar'],
        ['scatter', 'Scatter'],
        ['histogram', 'Histogram'],
      ],
      choice.mark,
    );
    select('x', 'x', cols, String(choice.x));
    select('y', 'y', cols, String(choice.y));
    select('colour', 'color', [['-1', '(none)'], ...cols], String(choice.color));
    const png = el('button', 'export-png', 'Export PNG');
    png.addEventListener('click', () => void this.exportChart('png', 0));
    const svg = el('button', 'export-svg', 'Export SVG');
    svg.addEventListener('click', () => void this.exportChart('svg', 0));
    const note = el('span', 'count chart-note');
    controls.append(png, svg, note);
    const canvas = el('div', 'chart-canvas');
    this.chartBox.append(controls, canvas);
    this.chart = new Chart(canvas);
    this.requestChartData();
  }

  private readChoice(): ChartChoice {
    const get = (name: string) => (this.chartBox.querySelector(`select[name="${name}"]`) as HTMLSelectElement | null)?.value ?? '';
    return { mark: get('mark') as Mark, x: Number(get('x')), y: Number(get('y')), color: Number(get('color')), grouped: this.view.chart?.grouped };
  }

  private requestChartData(): void {
    const choice = this.readChoice();
    saveUiState((s) => (s.outputs[this.view.id] = { ...s.outputs[this.view.id], chart: { ...choice, open: true } }));
    this.chartRequest = requestId();
    post({ type: 'chartData', requestId: this.chartRequest, outputId: this.view.id, limit: MAX_CHART_ROWS });
  }

  async exportChart(format: 'png' | 'svg', token: number): Promise<void> {
    const data = await this.chart?.export(format);
    if (data) post({ type: 'exportChart', format, data, token });
  }

  get chartOpen(): boolean {
    return !!this.chart;
  }

  private onHost(m: HostMessage): void {
    if (m.type === 'chartData' && m.requestId === this.chartRequest && this.chart) void this.drawChart(m.values, m.sampled);
  }

  private async drawChart(values: Array<Record<string, ResultCell>>, sampled: boolean): Promise<void> {
    const note = this.chartBox.querySelector('.chart-note');
    if (note) note.textContent = sampled ? `An even sample of ${values.length.toLocaleString('en-US')} rows` : '';
    try {
      await this.chart?.draw(this.view, values, this.readChoice());
      this.chartBox.dataset.drawn = String(Number(this.chartBox.dataset.drawn ?? '0') + 1);
    } catch (err) {
      if (note) note.textContent = `The chart could not be drawn: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  dispose(): void {
    this.unsubscribe();
    this.grid.dispose();
    this.chart?.dispose();
  }
}
