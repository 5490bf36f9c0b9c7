// Opens Databricks source notebooks (`# Databricks notebook source`, cells split by
// `# COMMAND ----------`, `# MAGIC` lines) as notebooks, and writes them back in the same form.
// Contributed with priority "option": .py files still open as text unless "Open With…" is used.
import * as vscode from 'vscode';
import { cellLanguage, DATABRICKS_HEADER, magicCellCode, parseCells, stripMagic } from './service/cells';

export const DATABRICKS_NOTEBOOK_TYPE = 'ferry-databricks-source';

export class DatabricksSourceSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const text = new TextDecoder().decode(content);
    const cells = parseCells(text);
    const data = (cells.length ? cells : [{ code: text.replace(/^# Databricks notebook source\r?\n/, ''), index: 0 }]).map((c) => {
      const lang = cellLanguage(c.code);
      if (lang === 'markdown') return new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, stripMagic(c.code), 'markdown');
      if (lang === 'sql') return new vscode.NotebookCellData(vscode.NotebookCellKind.Code, stripMagic(c.code), 'sql');
      // %sh and %pip cells run in the session with their magic line, as in a Databricks notebook.
      if (lang === 'sh' || lang === 'pip')
        return new vscode.NotebookCellData(vscode.NotebookCellKind.Code, magicCellCode(c.code, lang).replace(/^\n+/, ''), 'python');
      return new vscode.NotebookCellData(vscode.NotebookCellKind.Code, c.code.replace(/^\n+/, ''), 'python');
    });
    return new vscode.NotebookData(data);
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const magic = (prefix: string, src: string) => [`# MAGIC ${prefix}`, ...src.split('\n').map((l) => (l ? `# MAGIC ${l}` : '# MAGIC'))].join('\n');
    const shellOrPip = (src: string) => /^\s*%(sh|pip)\b/.test(src);
    const parts = data.cells.map((c) => {
      if (c.kind === vscode.NotebookCellKind.Markup) return magic('%md', c.value);
      if (c.languageId === 'sql') return magic('%sql', c.value);
      if (shellOrPip(c.value))
        return c.value
          .split('\n')
          .map((l) => (l ? `# MAGIC ${l}` : '# MAGIC'))
          .join('\n');
      return c.value;
    });
    return new TextEncoder().encode(`${DATABRICKS_HEADER}\n${parts.join('\n\n# COMMAND ----------\n\n')}\n`);
  }
}
