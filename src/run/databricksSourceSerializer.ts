// Opens Databricks source notebooks (`# Databricks notebook source`, cells split by
// `# COMMAND ----------`, `# MAGIC` lines) as notebooks, and writes them back in the same form.
// Contributed with priority "option": .py files still open as text unless "Open With…" is used.
import * as vscode from 'vscode';
import { cellLanguage, DATABRICKS_HEADER, parseCells, stripMagic } from './service/cells';

export const DATABRICKS_NOTEBOOK_TYPE = 'ferry-databricks-source';

export class DatabricksSourceSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const text = new TextDecoder().decode(content);
    const cells = parseCells(text);
    const data = (cells.length ? cells : [{ code: text.replace(/^# Databricks notebook source\r?\n/, ''), index: 0 }]).map((c) => {
      const lang = cellLanguage(c.code);
      if (lang === 'markdown') return new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, stripMagic(c.code), 'markdown');
      if (lang === 'sql') return new vscode.NotebookCellData(vscode.NotebookCellKind.Code, stripMagic(c.code), 'sql');
      return new vscode.NotebookCellData(vscode.NotebookCellKind.Code, c.code.replace(/^\n+/, ''), 'python');
    });
    return new vscode.NotebookData(data);
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const magic = (prefix: string, src: string) => [`# MAGIC ${prefix}`, ...src.split('\n').map((l) => (l ? `# MAGIC ${l}` : '# MAGIC'))].join('\n');
    const parts = data.cells.map((c) => (c.kind === vscode.NotebookCellKind.Markup ? magic('%md', c.value) : c.languageId === 'sql' ? magic('%sql', c.value) : c.value));
    return new TextEncoder().encode(`${DATABRICKS_HEADER}\n${parts.join('\n\n# COMMAND ----------\n\n')}\n`);
  }
}
