import type { CommandArgs } from '../editor/commandArgs';
import type { CommandId } from './ids';

/**
 * A command as the registration table holds it: its contributed id and its handler. The handler
 * must take what Ferry passes to that id (src/editor/commandArgs.ts), each argument optional (the palette passes
 * none); most take `unknown` and narrow it, since menus pass whatever node was clicked.
 */
export type FerryCommand = { [K in CommandId]: { id: K; run: (...args: Partial<CommandArgs<K>>) => unknown } }[CommandId];

/** How the registration calls a handler: VS Code passes whatever it has. */
export function handlerOf(command: FerryCommand): (...args: unknown[]) => unknown {
  return command.run as (...args: unknown[]) => unknown;
}
