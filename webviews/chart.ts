// The quick chart, loaded lazily (webpack chunk "chart") the first time a chart is opened.
// Vega runs under the viewer's CSP without 'unsafe-eval': expressions are parsed to an AST and
// run by vega-interpreter instead of being compiled with the Function constructor.
import embed, { Result } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import type { ResultCell } from '../src/results/model';
import type { TableView } from '../src/results/protocol';

export type Mark = 'line' | 'bar' | 'scatter' | 'histogram';

export interface ChartChoice {
  mark: Mark;
  x: number;
  y: number;
  /** -1 for none. */
  color: number;
  /** Bars of each colour side by side (comparing two distributions) rather than stacked. */
  grouped?: boolean;
}

function fieldType(type: string): 'quantitative' | 'temporal' | 'nominal' {
  if (type === 'integer' || type === 'number') return 'quantitative';
  if (type === 'date' || type === 'timestamp') return 'temporal';
  return 'nominal';
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function chartSpec(view: TableView, values: Array<Record<string, ResultCell>>, choice: ChartChoice): Record<string, unknown> {
  const col = (i: number) => view.columns[i];
  // Field names go through `field` with dots and brackets escaped, never into an expression.
  const field = (i: number) => col(i).name.replace(/([.[\]\\])/g, '\\$1');
  const x = { field: field(choice.x), type: fieldType(col(choice.x).type), title: col(choice.x).name };
  const yType = fieldType(col(choice.y).type);
  const encoding: Record<string, unknown> = {};
  let mark: string;
  switch (choice.mark) {
    case 'histogram':
      mark = 'bar';
      encoding.x = { ...x, bin: x.type === 'quantitative' ? { maxbins: 40 } : undefined };
      encoding.y = { aggregate: 'count', type: 'quantitative', title: 'count' };
      break;
    case 'bar':
      mark = 'bar';
      encoding.x = x.type === 'quantitative' ? { ...x, type: 'ordinal' } : x;
      encoding.y = { field: field(choice.y), type: 'quantitative', aggregate: yType === 'quantitative' ? 'sum' : 'count', title: col(choice.y).name };
      break;
    case 'line':
      mark = 'line';
      encoding.x = x;
      encoding.y = { field: field(choice.y), type: yType, title: col(choice.y).name };
      break;
    default:
      mark = 'point';
      encoding.x = x;
      encoding.y = { field: field(choice.y), type: yType, title: col(choice.y).name };
  }
  if (choice.color >= 0)
    encoding.color = {
      field: field(choice.color),
      type: fieldType(col(choice.color).type) === 'quantitative' ? 'quantitative' : 'nominal',
      title: col(choice.color).name,
    };
  if (choice.grouped && mark === 'bar' && choice.color >= 0) encoding.xOffset = { field: field(choice.color), type: 'nominal' };
  const fg = cssVar('--vscode-foreground', '#888');
  const font = cssVar('--vscode-font-family', 'sans-serif');
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    mark: { type: mark, tooltip: false },
    encoding,
    width: 'container',
    height: 300,
    background: 'transparent',
    config: {
      font,
      axis: { labelColor: fg, titleColor: fg, domainColor: fg, tickColor: fg, gridColor: cssVar('--vscode-editorGroup-border', '#8884') },
      legend: { labelColor: fg, titleColor: fg },
      view: { stroke: 'transparent' },
      mark: { color: cssVar('--vscode-charts-blue', '#3794ff') },
      range: { category: ['blue', 'red', 'yellow', 'orange', 'green', 'purple'].map((c) => cssVar(`--vscode-charts-${c}`, '#888')) },
    },
  };
}

export class Chart {
  private result: Result | undefined;

  constructor(private readonly host: HTMLElement) {}

  async draw(view: TableView, values: Array<Record<string, ResultCell>>, choice: ChartChoice): Promise<void> {
    this.result?.finalize();
    this.result = await embed(this.host, chartSpec(view, values, choice) as never, {
      mode: 'vega-lite',
      renderer: 'canvas',
      actions: false,
      defaultStyle: false,
      tooltip: false,
      ast: true,
      expr: expressionInterpreter,
    });
  }

  async export(format: 'png' | 'svg'): Promise<string | undefined> {
    if (!this.result) return undefined;
    return format === 'png' ? this.result.view.toImageURL('png', 2) : this.result.view.toSVG();
  }

  dispose(): void {
    this.result?.finalize();
    this.result = undefined;
  }
}
