// The webview's side of the protocol: typed posting, request ids, and UI state (never data).
import { HostMessage, parseHostMessage, WebviewMessage } from '../src/results/protocol';

const api = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

let nextRequest = 1;
export function requestId(): number {
  return nextRequest++;
}

/** Per-output UI state: scroll, column widths, chart choices. */
export interface OutputUiState {
  scrollTop?: number;
  scrollLeft?: number;
  widths?: number[];
  chart?: { open: boolean; mark: string; x: number; y: number; color: number };
}

export interface UiState {
  source?: string;
  runId?: string;
  outputs: Record<string, OutputUiState>;
}

let state: UiState = (() => {
  const saved = api.getState() as UiState | undefined;
  return saved && typeof saved === 'object' && saved.outputs ? saved : { outputs: {} };
})();

export function uiState(): UiState {
  return state;
}

let saveTimer: number | undefined;
export function saveUiState(change: (s: UiState) => void): void {
  change(state);
  if (saveTimer !== undefined) return;
  saveTimer = window.setTimeout(() => {
    saveTimer = undefined;
    api.setState(state);
  }, 200);
}

export function resetOutputsState(keep: Set<string>): void {
  state = { ...state, outputs: Object.fromEntries(Object.entries(state.outputs).filter(([id]) => keep.has(id))) };
  api.setState(state);
}

type Listener = (message: HostMessage) => void;
const listeners = new Set<Listener>();
export function onHostMessage(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

window.addEventListener('message', (event: MessageEvent) => {
  // Checked like the host checks ours: a message of the wrong shape is dropped, not half-rendered.
  const data = parseHostMessage(event.data);
  if (!data) return;
  for (const l of listeners) l(data);
});

/** Creates an element with text only: data is never parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
