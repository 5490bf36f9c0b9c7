/** A command as the registration table holds it: its contributed id and its handler. */
export interface FerryCommand {
  id: string;
  run: (...args: unknown[]) => unknown;
}
