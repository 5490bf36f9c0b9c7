// Inline previews: after a cell or selection runs, a short decoration at the end of its last line
// and a hover with a small preview of the output; cleared when that code changes.
import * as vscode from 'vscode';
import { hoverMarkdown, InlineOutcome, inlineSummary } from './inlineSummary';
import { redact } from '../core/redact';

interface Entry {
  /** Lines the run covered (inclusive); the decoration sits at the end of `end`. */
  start: number;
  end: number;
  outcome: InlineOutcome | 'running';
}

export class InlineResults implements vscode.Disposable {
  private readonly ok = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
  });
  private readonly bad = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorError.foreground'), fontStyle: 'italic' },
  });
  private readonly entries = new Map<string, Entry[]>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    /** Whether the PII guard masks the summaries and hovers (`ferry.pii.guard`). */
    private readonly piiGuard: () => boolean = () => true,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.renderAll()),
      vscode.workspace.onDidCloseTextDocument((d) => this.entries.delete(d.uri.toString())),
    );
  }

  /** Marks a range as running (a "⋯ running" note) until set() replaces it. */
  running(doc: vscode.TextDocument, start: number, end: number): void {
    this.put(doc, { start, end, outcome: 'running' });
  }

  set(doc: vscode.TextDocument, start: number, end: number, outcome: InlineOutcome): void {
    this.put(doc, { start, end, outcome });
  }

  clear(doc: vscode.TextDocument, start: number, end: number): void {
    const key = doc.uri.toString();
    this.entries.set(
      key,
      (this.entries.get(key) ?? []).filter((e) => e.end < start || e.start > end),
    );
    this.render(doc);
  }

  /** Summary texts shown for a document (for tests). */
  summaries(uri: vscode.Uri): string[] {
    return (this.entries.get(uri.toString()) ?? []).map((e) => (e.outcome === 'running' ? '⋯ running' : inlineSummary(e.outcome, this.piiGuard())));
  }

  private put(doc: vscode.TextDocument, entry: Entry): void {
    const key = doc.uri.toString();
    const others = (this.entries.get(key) ?? []).filter((e) => e.end < entry.start || e.start > entry.end);
    this.entries.set(key, [...others, entry]);
    this.render(doc);
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const key = e.document.uri.toString();
    let list = this.entries.get(key);
    if (!list?.length || !e.contentChanges.length) return;
    for (const change of e.contentChanges) {
      const delta = change.text.split('\n').length - 1 - (change.range.end.line - change.range.start.line);
      list = list.flatMap((entry) => {
        if (change.range.end.line < entry.start) return [{ ...entry, start: entry.start + delta, end: entry.end + delta }];
        if (change.range.start.line > entry.end) return [entry];
        return []; // the code it describes changed
      });
    }
    this.entries.set(key, list);
    this.render(e.document);
  }

  private renderAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.render(editor.document);
  }

  private render(doc: vscode.TextDocument): void {
    const list = this.entries.get(doc.uri.toString()) ?? [];
    const guard = this.piiGuard();
    const ok: vscode.DecorationOptions[] = [];
    const bad: vscode.DecorationOptions[] = [];
    for (const e of list) {
      if (e.end >= doc.lineCount) continue;
      const end = doc.lineAt(e.end).range.end;
      const text = e.outcome === 'running' ? '⋯ running on the cluster' : redact(inlineSummary(e.outcome, guard));
      const hover = e.outcome === 'running' ? undefined : new vscode.MarkdownString(redact(hoverMarkdown(e.outcome, 12, guard)));
      if (hover) hover.supportHtml = false;
      const opt: vscode.DecorationOptions = { range: new vscode.Range(end, end), hoverMessage: hover, renderOptions: { after: { contentText: text } } };
      (e.outcome !== 'running' && e.outcome.state === 'failed' ? bad : ok).push(opt);
    }
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== doc) continue;
      editor.setDecorations(this.ok, ok);
      editor.setDecorations(this.bad, bad);
    }
  }

  dispose(): void {
    this.ok.dispose();
    this.bad.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
