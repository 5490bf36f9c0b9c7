// A notebook task run's cells and their results, from GET /api/2.x/jobs/runs/export (called with
// the task run id; VSC shows notebook job results this way, docs/reference/services-2026.md §2).
// The answer is {views:[{content, name, type}]}; `content` is the notebook as an HTML page that
// carries its model in `var __DATABRICKS_NOTEBOOK_MODEL = '<base64 of URL-encoded JSON>'`, with
// `commands[]` of {command, position, results: {type, data, schema?, summary?, cause?}}. That
// layout is read by several third-party export parsers, not documented by Databricks
// ([secondary], docs/reference-additions.md): anything else is reported, never guessed at.
import { stripAnsi } from '../core/ansi';
import type { ResultOutput, TableOutput } from '../results/model';
import { DatabricksError } from './errors';
import type { DatabricksTransport } from './transport';

export interface ExportView {
  content?: string;
  name?: string;
  type?: string;
}

export interface ExportedRun {
  views?: ExportView[];
  /** Why the export could not be read (the run output is still shown). */
  problem?: string;
}

interface CommandResult {
  type?: string;
  data?: unknown;
  schema?: Array<{ name?: string; type?: string }>;
  summary?: string;
  cause?: string;
}

interface NotebookCommand {
  command?: string;
  position?: number;
  results?: CommandResult | null;
}

/** runs/export for a task run; a failure becomes `problem`, since the cells are extra to the run's own output. */
export async function exportRun(transport: DatabricksTransport, taskRunId: number, signal?: AbortSignal): Promise<ExportedRun> {
  try {
    return await transport.request<ExportedRun>('GET', '/api/2.1/jobs/runs/export', { query: { run_id: taskRunId, views_to_export: 'CODE' }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    return { problem: err instanceof DatabricksError ? err.serverMessage : err instanceof Error ? err.message : String(err) };
  }
}

/** The notebook model inside an exported HTML page, or a reason it is not there. */
export function notebookModel(html: string): { commands: NotebookCommand[]; name?: string } | { problem: string } {
  const m = /__DATABRICKS_NOTEBOOK_MODEL\s*=\s*'([^']*)'/.exec(html);
  if (!m) return { problem: 'the exported page carries no notebook model' };
  try {
    let raw = m[1];
    // Some pages URL-encode the base64 text itself; decoding it first is harmless when it is not.
    if (raw.includes('%')) raw = decodeURIComponent(raw);
    const decoded = Buffer.from(raw, 'base64').toString('utf8');
    let json: string;
    try {
      json = decodeURIComponent(decoded);
    } catch {
      json = decoded;
    }
    const model = JSON.parse(json) as { commands?: NotebookCommand[]; name?: string };
    return { commands: Array.isArray(model.commands) ? model.commands : [], name: model.name };
  } catch (err) {
    return { problem: `the notebook model could not be read (${err instanceof Error ? err.message : String(err)})` };
  }
}

function htmlText(t: string): string {
  return t
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function tableOf(r: CommandResult): TableOutput {
  const schema = Array.isArray(r.schema) ? r.schema : [];
  const rows = Array.isArray(r.data)
    ? (r.data as unknown[]).map((row) =>
        (Array.isArray(row) ? row : [row]).map((v) =>
          v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean),
        ),
      )
    : [];
  const width = Math.max(schema.length, ...rows.map((r) => r.length), 0);
  const columns = Array.from({ length: width }, (_, i) => ({ name: schema[i]?.name ?? `_${i + 1}`, type: 'unknown' as const, sourceType: schema[i]?.type }));
  return { kind: 'table', columns, rows };
}

function resultOutputs(r: CommandResult | null | undefined, cell: string): ResultOutput[] {
  if (!r) return [];
  if (r.type === 'listResults' && Array.isArray(r.data)) return (r.data as CommandResult[]).flatMap((x) => resultOutputs(x, cell));
  if (r.type === 'error' || r.cause !== undefined) {
    const trace = stripAnsi(htmlText(String(r.cause ?? r.data ?? r.summary ?? '')));
    const summary = stripAnsi(htmlText(String(r.summary ?? ''))).trim() || trace.trim().split('\n').pop() || 'The cell failed';
    return [{ kind: 'error', summary: `${cell}: ${summary}`.slice(0, 500), traceback: trace, frames: [] }];
  }
  if (r.type === 'table') return [tableOf(r)];
  if (typeof r.data === 'string') {
    const text = r.type === 'html' || r.type === 'htmlSandbox' ? htmlText(r.data) : stripAnsi(r.data);
    return text.trim() ? [{ kind: 'text', text: `${cell}\n${text}` }] : [];
  }
  return [];
}

/** The outputs of an exported notebook run, cell by cell, in the notebook's order. */
export function exportOutputs(exported: ExportedRun | undefined): ResultOutput[] {
  if (!exported) return [];
  if (exported.problem) return [{ kind: 'text', text: `(the notebook's cell outputs could not be exported: ${exported.problem})` }];
  const view = (exported.views ?? []).find((v) => typeof v.content === 'string' && v.content.includes('__DATABRICKS_NOTEBOOK_MODEL'));
  if (!view?.content) return [];
  const model = notebookModel(view.content);
  if ('problem' in model) return [{ kind: 'text', text: `(the notebook's cell outputs could not be read: ${model.problem})` }];
  const commands = [...model.commands].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  return commands.flatMap((c, i) => resultOutputs(c.results, `── cell ${i + 1} ──`));
}
