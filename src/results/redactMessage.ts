// What the host posts to the result viewer, redacted: run titles, text and error outputs,
// tracebacks and notices are messages (src/core/redact.ts); table rows, chart values and image
// bytes are the user's data, shown as data, and pass as they are.
import { redactDeep } from '../core/redact';
import type { HostMessage } from './protocol';

const DATA = new Set(['rows', 'values', 'base64']);

export function redactHostMessage(message: HostMessage): HostMessage {
  if (message.type === 'rows' || message.type === 'chartData' || message.type === 'exportChart') return message;
  return redactDeep(message, DATA);
}
