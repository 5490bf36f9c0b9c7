// `npm run sandbox`: starts the S3, Athena and Databricks stand-ins on free loopback ports with a
// data folder in the cache, seeds the demo content, and opens VS Code with Ferry configured
// against them (code-server in the browser, or desktop VS Code when `code` is on PATH).
// Ctrl+C (SIGINT) or SIGTERM stops the editor and every stand-in, and leaves nothing running.
import fs from 'node:fs';
import path from 'node:path';
import { describeExit } from '../kernel';
import { startSandboxServices, SandboxServices } from '../services';
import { DEMO_BUCKET, RAW_KEY } from '../demo/data';
import { seedDemo, SeedStep } from '../demo/seed';
import { openInSystemBrowser, RunningEditor, startBrowserEditor, startDesktopEditor, verifyWorkbench } from './editor';
import { parseOptions, resolveEditor, SandboxOptions, USAGE, which } from './options';
import { databricksFromEnv, seedTargetFrom } from './target';
import { startSandboxProxy } from './proxy';
import { prepareWorkspace, writeWorkspaceSettings } from './workspace';

const t0 = Number(process.env.FERRY_SANDBOX_T0) || Date.now();
const launcherStart = Date.now();
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const say = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

let services: SandboxServices | undefined;
let editor: RunningEditor | undefined;
let stopping: Promise<void> | undefined;
let stopProxy: () => Promise<void> = async () => undefined;

function shutdown(reason: string): Promise<void> {
  if (!stopping) {
    say(`\nFerry sandbox: stopping (${reason})…`);
    stopping = (async () => {
      const hard = setTimeout(() => {
        say('Ferry sandbox: still stopping after 20 s; exiting anyway');
        process.exit(1);
      }, 20_000);
      hard.unref();
      await editor?.stop().catch(() => undefined);
      await stopProxy().catch(() => undefined);
      await services?.stop().catch(() => undefined);
      clearTimeout(hard);
      say('Ferry sandbox: stopped; nothing left running.');
    })();
  }
  return stopping;
}

let firstSignalAt = 0;

function onSignal(signal: NodeJS.Signals): void {
  // A terminal's Ctrl+C reaches the whole process group, and npm and scripts/sandbox.mjs pass it on
  // as well: the same signal arriving again within 2 s is that echo, not a second Ctrl+C.
  if (stopping && Date.now() - firstSignalAt < 2000) return;
  if (stopping) {
    say(`Ferry sandbox: second ${signal}, exiting now`);
    process.exit(130);
  }
  firstSignalAt = Date.now();
  void shutdown(signal).then(() => process.exit(0));
}

function endpointsOf(s: SandboxServices): Array<[string, string]> {
  const rows: Array<[string, string]> = [['S3', `${s.s3.endpoint}   (profile ferry-sandbox; bucket ${DEMO_BUCKET})`]];
  const athena = s.settings['ferry.athena.endpoint'];
  rows.push(['Athena', typeof athena === 'string' && athena ? athena : '(no stand-in yet)']);
  const db = databricksFromEnv(s.env);
  rows.push(['Databricks', db ? `${db.host}   (databrickscfg ${s.env.DATABRICKS_CONFIG_FILE ?? 'in env'})` : '(no stand-in yet)']);
  // "Sign In with Browser (OAuth)" shows the stand-in's sign-in page, which asks for this.
  rows.push(['', `OAuth sign-in page password: ${s.databricks.signInPassword}`]);
  return rows;
}

function describeSeed(steps: SeedStep[]): string[] {
  const mark = { done: '✓', skipped: '–', failed: '✗' } as const;
  return steps.map((s) => `${mark[s.status]} ${s.name}: ${s.detail}`);
}

const WHAT_TO_TRY = [
  'What to try (Help → Welcome → Walkthroughs → "Get started with Ferry" takes you through it):',
  `  1. The Ferry icon in the activity bar: S3 shows s3://${DEMO_BUCKET}/ (with ${RAW_KEY}), Clusters the running cluster, Jobs "Nightly churn scoring".`,
  `  2. Upload data: right-click data/customers.csv in the Explorer → "Upload to S3…" → s3://${DEMO_BUCKET}/raw/.`,
  '  3. Open train.py → "Databricks: Run File on Cluster": it trains a scikit-learn model and writes predictions to S3.',
  `  4. "Ferry: Refresh S3", expand ${DEMO_BUCKET}/predictions/ and open churn_predictions.csv.`,
  '  5. Right-click predictions/ → "Create Athena Table from S3 Prefix…" → Run; then open query.sql → "Athena: Run Query".',
  '  6. explore.ipynb runs its cells on the cluster in one session.',
  '  7. The Catalog view: workspace → ferry_demo → Tables (columns, partition keys; Preview Table runs on the SQL warehouse) and Volumes → raw → customers.csv opens as a table.',
  '  8. After step 3, the result links its MLflow run; the Experiments view shows it (params, AUC per epoch as a chart, the model and plots).',
  `  9. Select ${DEMO_BUCKET}/raw/customers.csv and ${DEMO_BUCKET}/incoming/customers_2026_11.csv in the S3 view → "Compare Datasets…": the drift per column, computed in Athena.`,
];

async function run(opts: SandboxOptions): Promise<void> {
  // The AWS SDK's advice to move to Node 22 is not something a sandbox user can act on here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (opts.fresh) fs.rmSync(opts.dataDir, { recursive: true, force: true });
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const mode = resolveEditor(
    opts.editor,
    opts.editor === 'none' || opts.editor === 'browser' ? undefined : which('code', process.env, process.platform, (p) => fs.existsSync(p)),
  );
  say(`Ferry sandbox: data in ${opts.dataDir}`);

  const tServices = Date.now();
  services = await startSandboxServices({ root: path.join(opts.dataDir, 'services'), buckets: [DEMO_BUCKET] });
  // A stand-in that dies takes the sandbox down with it, saying why, instead of leaving an editor
  // whose every S3 call fails for a reason nobody can see.
  services.onStandInExit((exit) => {
    if (stopping) return;
    process.stderr.write(`\nFerry sandbox: ${describeExit(exit)}\n`);
    void shutdown(`${exit.name} exited`).then(() => process.exit(1));
  });
  if (stopping) return;
  const servicesMs = Date.now() - tServices;
  for (const [name, where] of endpointsOf(services)) say(`  ${name.padEnd(11)}${where}`);

  const tSeed = Date.now();
  const workspace = prepareWorkspace(path.join(opts.dataDir, 'workspace'), services.settings);
  const seeded = await seedDemo(seedTargetFrom(services, workspace));
  const seedMs = Date.now() - tSeed;
  for (const line of describeSeed(seeded)) say(`  seeded     ${line}`);
  say(`  workspace  ${workspace}`);
  if (opts.proxy) {
    // After seeding (which talks to the stand-ins directly): from here on the editor goes through the proxy.
    const proxy = await startSandboxProxy(services, path.join(opts.dataDir, 'proxy'));
    stopProxy = () => proxy.stop();
    writeWorkspaceSettings(workspace, services.settings);
    for (const [name, where] of proxy.rows) say(`  ${name.padEnd(11)}${where}`);
  }
  if (stopping) return;

  const tEditor = Date.now();
  let url: string | undefined;
  let workbenchMs: number | undefined;
  let readyAt: number | undefined;
  if (mode === 'browser') {
    editor = await startBrowserEditor({
      workspace,
      userDataDir: path.join(opts.dataDir, 'editor'),
      settings: services.settings,
      env: services.env,
      port: opts.port,
    });
    url = editor.url;
    if (opts.verify || opts.exitWhenReady) {
      const check = await verifyWorkbench(url as string, path.join(opts.dataDir, 'ready.png'));
      workbenchMs = check.ms;
      readyAt = check.readyAt;
      say(
        `  workbench  loaded in ${secs(check.ms)}; Ferry ${check.ferryVisible ? 'in the activity bar' : 'NOT visible'}; S3 view: ${check.s3Rows.join(' | ') || '(no rows)'}`,
      );
    }
  } else if (mode === 'desktop') {
    editor = startDesktopEditor({ code: which('code', process.env, process.platform, (p) => fs.existsSync(p)) as string, workspace, env: services.env });
  }
  readyAt ??= Date.now();
  const editorMs = readyAt - tEditor;
  void editor?.exited.then((code) => {
    if (!stopping) void shutdown(`the editor exited (${code})`).then(() => process.exit(0));
  });

  say('');
  const parts = [`build and install ${secs(launcherStart - t0)}`, `services ${secs(servicesMs)}`, `seed ${secs(seedMs)}`, `editor ${secs(editorMs)}`];
  if (workbenchMs !== undefined) parts.push(`of which workbench load ${secs(workbenchMs)}`);
  const where = mode === 'browser' ? `open ${url}` : mode === 'desktop' ? 'VS Code (desktop) is opening the sandbox workspace' : 'services only';
  say(`Ferry sandbox ready in ${secs(readyAt - t0)} (${parts.join(', ')}): ${where}`);
  if (opts.exitWhenReady) {
    await shutdown('--exit-when-ready');
    return;
  }
  if (mode === 'browser' && url && opts.open && !openInSystemBrowser(url)) say('  (no display: open the URL above in a browser on this machine)');
  say('');
  for (const line of WHAT_TO_TRY) say(line);
  say('');
  say('Press Ctrl+C to stop everything.');
}

async function main(): Promise<void> {
  let opts: SandboxOptions;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  if (opts.help) {
    say(USAGE);
    return;
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('uncaughtException', (err) => {
    process.stderr.write(`Ferry sandbox: ${err.stack ?? err.message}\n`);
    void shutdown('error').then(() => process.exit(1));
  });
  try {
    await run(opts);
    if (opts.exitWhenReady) process.exit(0);
  } catch (err) {
    process.stderr.write(`Ferry sandbox failed: ${(err as Error).stack ?? String(err)}\n`);
    await shutdown('error');
    process.exit(1);
  }
}

void main();
