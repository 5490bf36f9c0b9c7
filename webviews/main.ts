// The result viewer's browser program. It holds UI state only (selected run, scroll, widths,
// chart choices); the host holds the results and sends windows of rows on request. It says
// `ready` once its listeners are in place, and the host posts nothing before that.
import css from './styles.css';
import type { HostMessage, OutputView, PanelView, RunView } from '../src/results/protocol';
import { el, onHostMessage, post, resetOutputsState, saveUiState, uiState } from './host';
import { errorWidget, imageWidget, OutputWidget, TableWidget, textWidget } from './outputs';

const meta = (name: string) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';
// Chunks (the chart library) load from the bundle folder, with the page's nonce, under the CSP.
__webpack_public_path__ = meta('ferry-asset-base');
__webpack_nonce__ = meta('ferry-nonce');

const style = document.createElement('style');
style.nonce = __webpack_nonce__;
style.textContent = css;
document.head.append(style);

let cspViolations = 0;
document.addEventListener('securitypolicyviolation', (e) => {
  cspViolations++;
  document.body.dataset.cspViolations = String(cspViolations);
  post({ type: 'cspViolation', directive: e.violatedDirective });
});

const root = document.getElementById('ferry-results')!;
const widgets = new Map<string, { widget: OutputWidget; kind: OutputView['kind'] }>();
let current: PanelView | undefined;
let shownRun: string | undefined;
let lastLatest: string | undefined;

function widgetFor(view: OutputView): OutputWidget {
  const existing = widgets.get(view.id);
  if (existing && existing.kind === view.kind) {
    existing.widget.update?.(view);
    return existing.widget;
  }
  let widget: OutputWidget;
  switch (view.kind) {
    case 'table':
      widget = new TableWidget(view);
      break;
    case 'text':
      widget = textWidget(view);
      break;
    case 'image':
      widget = imageWidget(view);
      break;
    case 'error':
      widget = errorWidget(view);
      break;
  }
  widget.root.dataset.outputId = view.id;
  widget.root.dataset.kind = view.kind;
  widgets.set(view.id, { widget, kind: view.kind });
  return widget;
}

function runLabel(run: RunView): string {
  const time = new Date(run.startedAt).toLocaleTimeString();
  return `${run.title} — ${time} (${run.state})`;
}

function render(view: PanelView): void {
  current = view;
  const latest = view.runs[view.runs.length - 1]?.id;
  // A new run comes to the front; otherwise keep what the user chose.
  if (latest !== lastLatest) shownRun = latest;
  lastLatest = latest;
  if (!view.runs.some((r) => r.id === shownRun)) shownRun = uiState().runId && view.runs.some((r) => r.id === uiState().runId) ? uiState().runId : latest;
  saveUiState((s) => ((s.source = view.source), (s.runId = shownRun)));

  const header = el('header', 'bar run-bar');
  if (view.runs.length > 1) {
    const select = el('select', 'run-select');
    select.setAttribute('aria-label', 'Run');
    for (const run of [...view.runs].reverse()) {
      const o = el('option', undefined, runLabel(run));
      o.value = run.id;
      select.append(o);
    }
    select.value = shownRun ?? '';
    select.addEventListener('change', () => {
      shownRun = select.value;
      render(current!);
    });
    header.append(select);
  }
  const run = view.runs.find((r) => r.id === shownRun);
  if (run) {
    if (view.runs.length <= 1) header.append(el('strong', 'run-title', run.title));
    header.append(el('span', `run-state ${run.state}`, run.state));
    if (run.cancellable) {
      const cancel = el('button', 'cancel', 'Cancel');
      cancel.addEventListener('click', () => post({ type: 'cancel', runId: run.id }));
      header.append(cancel);
    }
  }
  const parts: HTMLElement[] = [header];
  if (view.notice) parts.push(el('div', 'notice', view.notice));
  if (run?.facts.length) {
    const facts = el('div', 'facts');
    run.facts.forEach((f, i) => {
      const item = el('span', 'fact');
      let value: HTMLElement;
      if (f.linked) {
        // The host keeps what the link opens; the webview only says which fact was clicked.
        value = el('button', 'link value fact-link', f.value);
        value.title = f.tooltip ?? f.value;
        value.addEventListener('click', () => post({ type: 'openFact', runId: run.id, fact: i }));
      } else value = el('span', 'value', f.value);
      item.append(el('span', 'label', `${f.label}:`), value);
      facts.append(item);
    });
    parts.push(facts);
  }
  if (!run && !view.notice) parts.push(el('div', 'notice', 'No results yet.'));
  const keep = new Set<string>();
  for (const output of run?.outputs ?? []) {
    keep.add(output.id);
    parts.push(widgetFor(output).root);
  }
  if (run?.state === 'running') parts.push(el('div', 'count', 'Running…'));
  // Widgets of runs no longer shown are dropped (their rows stay on the host).
  for (const [id, w] of widgets) {
    if (!keep.has(id)) {
      w.widget.dispose?.();
      widgets.delete(id);
    }
  }
  reconcile(root, parts);
  if (view.notice && view.runs.length === 0) resetOutputsState(keep);
}

/**
 * Puts `parts` in `parent` in order, without detaching elements that stay: a detached grid would
 * lose its scroll position and a detached filter box its focus on every state update.
 */
function reconcile(parent: HTMLElement, parts: HTMLElement[]): void {
  const keep = new Set<Element>(parts);
  for (const child of Array.from(parent.children)) if (!keep.has(child)) child.remove();
  parts.forEach((part, i) => {
    if (parent.children[i] !== part) parent.insertBefore(part, parent.children[i] ?? null);
  });
}

function notice(level: 'info' | 'error', message: string): void {
  const n = el('div', `notice ${level}`, message);
  root.prepend(n);
  window.setTimeout(() => n.remove(), 8000);
}

onHostMessage((m: HostMessage) => {
  switch (m.type) {
    case 'state':
      render(m.view);
      break;
    case 'notice':
      notice(m.level, m.message);
      break;
    case 'exportChart': {
      const table = [...widgets.values()].map((w) => w.widget).find((w): w is TableWidget => w instanceof TableWidget && w.chartOpen);
      if (table) void table.exportChart(m.format, m.token);
      else notice('error', 'Open a chart first, then export it.');
      break;
    }
    default:
      break;
  }
});

post({ type: 'ready' });
