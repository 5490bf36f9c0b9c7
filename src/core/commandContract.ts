// The commands a service layer may offer as a way forward on an error (a button on the message),
// and what each takes. Service layers cannot see the editor's command table
// (src/editor/commandArgs.ts), so they name their commands here; that table is checked at compile
// time to agree with this one (every entry a contributed command taking these arguments).

export interface ServiceCommandArgs {
  'ferry.showLog': [];
  'ferry.openSettings': [area: string];
  'ferry.aws.selectProfile': [];
  'ferry.databricks.signIn': [];
  'ferry.databricks.signInWithBrowser': [];
  'ferry.databricks.selectProfile': [];
  'ferry.databricks.selectWarehouse': [];
  'ferry.databricks.startCluster': [clusterId: string];
  'ferry.catalog.generateSelect': [request: { sql: string; title: string; catalog?: string; schema?: string }];
}

type ServiceAction = {
  [K in keyof ServiceCommandArgs]: ServiceCommandArgs[K] extends []
    ? { title: string; command: K; args?: [] }
    : { title: string; command: K; args: ServiceCommandArgs[K] };
}[keyof ServiceCommandArgs];

/** An action the editor side built with `commandAction` (src/editor/commandArgs.ts), which checked it. */
interface CheckedAction {
  title: string;
  command: `ferry.${string}`;
  args?: readonly unknown[];
  readonly checked: true;
}

/** One of VS Code's own commands (Open Settings on `http.proxy`). */
interface WorkbenchAction {
  title: string;
  command: `workbench.${string}`;
  args?: readonly unknown[];
}

/** A way forward offered with an error: a button that runs a command. */
export type ErrorAction = ServiceAction | CheckedAction | WorkbenchAction;
