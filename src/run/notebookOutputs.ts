// Result outputs → notebook cell outputs: text as stdout (ANSI kept), tables as an HTML table
// (every value escaped) with a plain-text fallback, images as image/png, errors with their
// traceback. One NotebookCellOutput per output, so every output of a cell shows. Text and errors
// are redacted: outputs are saved in the .ipynb (tables and images are data and stay as they are).
import * as vscode from 'vscode';
import { redact } from '../core/redact';
import { ResultOutput } from '../results/model';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function tableHtml(o: Extract<ResultOutput, { kind: 'table' }>, maxRows = 200): string {
  const rows = Array.isArray(o.rows) ? o.rows : [];
  const head = o.columns.map((c) => `<th>${esc(c.name)}</th>`).join('');
  const body = rows
    .slice(0, maxRows)
    .map((r) => `<tr>${r.map((v) => `<td>${v === null ? '<i>null</i>' : esc(String(v))}</td>`).join('')}</tr>`)
    .join('');
  const note =
    rows.length > maxRows || o.truncated
      ? `<p>${esc(o.truncationNote ?? `first ${Math.min(maxRows, rows.length)} rows`)}; the result viewer shows all.</p>`
      : '';
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${note}`;
}

function tableText(o: Extract<ResultOutput, { kind: 'table' }>): string {
  const rows = Array.isArray(o.rows) ? o.rows.slice(0, 20) : [];
  return [o.columns.map((c) => c.name).join('\t'), ...rows.map((r) => r.map((v) => (v === null ? 'null' : String(v))).join('\t'))].join('\n');
}

export function toNotebookOutputs(outputs: ResultOutput[]): vscode.NotebookCellOutput[] {
  return outputs.map((o) => {
    switch (o.kind) {
      case 'text': {
        const text = redact(o.text);
        return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.stdout(text.endsWith('\n') ? text : `${text}\n`)]);
      }
      case 'table':
        return new vscode.NotebookCellOutput([
          vscode.NotebookCellOutputItem.text(tableHtml(o), 'text/html'),
          vscode.NotebookCellOutputItem.text(tableText(o), 'text/plain'),
        ]);
      case 'image':
        return new vscode.NotebookCellOutput([new vscode.NotebookCellOutputItem(Buffer.from(o.base64, 'base64'), 'image/png')]);
      case 'error': {
        const summary = redact(o.summary);
        const colon = summary.indexOf(': ');
        const name = colon > 0 ? summary.slice(0, colon) : 'Error';
        const message = colon > 0 ? summary.slice(colon + 2) : summary;
        return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name, message, stack: redact(o.traceback) })]);
      }
    }
  });
}
