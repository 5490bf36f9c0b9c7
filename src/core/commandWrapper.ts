// The one error wrapper every command goes through: a cancellation is silent, a known failure gets
// a plain message with a way forward, anything else a one-line message with the detail in the log.
import { classifyError, ErrorAction } from './errors';
import { Logger } from './logger';
import { redact } from './redact';

/** The few editor calls the wrapper makes, injected so that core stays editor-free and testable. */
export interface CommandUi {
  showError(message: string, actions: string[]): PromiseLike<string | undefined>;
  executeCommand(command: string, ...args: unknown[]): PromiseLike<unknown>;
}

export type CommandHandler = (...args: unknown[]) => unknown;

export function wrapCommand(id: string, handler: CommandHandler, logger: Logger, ui: CommandUi): CommandHandler {
  return async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      await reportError(id, err, logger, ui);
      return undefined;
    }
  };
}

export async function reportError(id: string, err: unknown, logger: Logger, ui: CommandUi): Promise<void> {
  const classified = classifyError(err);
  if (classified.kind === 'cancelled') {
    logger.debug(`${id}: cancelled`);
    return;
  }
  logger.error(`${id} failed (${classified.kind})`, err);
  const message = redact(classified.message);
  const chosen = await ui.showError(
    message,
    classified.actions.map((a) => a.title),
  );
  const action: ErrorAction | undefined = classified.actions.find((a) => a.title === chosen);
  if (action) await ui.executeCommand(action.command, ...(action.args ?? []));
}
