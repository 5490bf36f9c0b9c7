import { redact } from './redact';

/**
 * The shape of VS Code's LogOutputChannel that the logger needs. Declared structurally so that
 * core stays free of the editor API and tests can hand in a plain object.
 */
export interface LogSink {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface Logger {
  trace(message: string, ...detail: unknown[]): void;
  debug(message: string, ...detail: unknown[]): void;
  info(message: string, ...detail: unknown[]): void;
  warn(message: string, ...detail: unknown[]): void;
  error(message: string, ...detail: unknown[]): void;
  /** A logger whose lines start with `[scope]`. */
  scoped(scope: string): Logger;
}

// Errors carry their stack at error, debug and trace level; a warning or an info line names the
// error in one line (an expected AccessDenied or throttling answer is not worth a stack).
function describe(value: unknown, withStack: boolean): string {
  if (value instanceof Error) return (withStack && value.stack) || `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function format(prefix: string, message: string, detail: unknown[], withStack = true): string {
  const parts = [prefix ? `[${prefix}] ${message}` : message, ...detail.map((d) => describe(d, withStack))];
  return redact(parts.join(' '));
}

export function createLogger(sink: LogSink, prefix = ''): Logger {
  return {
    trace: (m, ...d) => sink.trace(format(prefix, m, d)),
    debug: (m, ...d) => sink.debug(format(prefix, m, d)),
    info: (m, ...d) => sink.info(format(prefix, m, d, false)),
    warn: (m, ...d) => sink.warn(format(prefix, m, d, false)),
    error: (m, ...d) => sink.error(format(prefix, m, d)),
    scoped: (scope) => createLogger(sink, prefix ? `${prefix}/${scope}` : scope),
  };
}

/** A logger that drops everything (for code paths run outside the editor, such as benchmarks). */
export const silentLogger: Logger = createLogger({ trace() {}, debug() {}, info() {}, warn() {}, error() {} });

/** A logger that keeps lines in memory; used by tests to assert what was (and was not) logged. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  const logger = createLogger({ trace: push('trace'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') });
  return Object.assign(logger, { lines });
}
