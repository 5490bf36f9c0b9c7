// Mocha root hooks for the UI suite: one real editor for all UI test files, opened on a scratch
// workspace, with the extension-host suite running inside it first (00-host-suite.test.ts). Areas that need the stand-ins get
// them through the sandbox services started here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Editor, launchEditor, REPO } from '../harness';
import { customersCsv } from '../../../sandbox/demo/data';
import { describeExit } from '../../../sandbox/kernel';
import { startStandIns, StandIns } from './standIns';

let current: Editor | undefined;
let standIns: StandIns | undefined;
/** Set when a stand-in died: the test running then fails with it, and every later one before it starts. */
let died: string | undefined;
export let workspaceDir = '';
export let hostReportFile = '';

export function editor(): Editor {
  if (!current) throw new Error('The editor is not running');
  return current;
}

export function services(): StandIns {
  if (!standIns) throw new Error('The stand-ins are not running');
  return standIns;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(240_000);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ui-'));
    workspaceDir = path.join(root, 'workspace');
    fs.mkdirSync(workspaceDir, { recursive: true });
    fs.writeFileSync(path.join(workspaceDir, 'hello.py'), 'print("hello from ferry")\n');
    // The files the UI tests open or right-click exist before the editor starts: the editor's file
    // watcher is not always quick to report files created later (the tests still rewrite them).
    for (const f of ['train.py', 'mlflow_rest.py', 'query.sql', 'explore.ipynb'])
      fs.copyFileSync(path.join(REPO, 'sandbox', 'demo', 'workspace', f), path.join(workspaceDir, f));
    fs.mkdirSync(path.join(workspaceDir, 'data'), { recursive: true });
    fs.writeFileSync(path.join(workspaceDir, 'data', 'customers.csv'), customersCsv());
    fs.writeFileSync(path.join(workspaceDir, 'explorer_run.py'), 'print("placeholder")\n');
    for (const f of ['live_print.py', 'unstack.py']) fs.writeFileSync(path.join(workspaceDir, f), '# written by the test\n');
    hostReportFile = path.join(root, 'host-report.json');
    standIns = await startStandIns(root);
    standIns.onStandInExit((exit) => {
      died = describeExit(exit);
      process.stderr.write(`\n===== ${died} =====\n`);
      setImmediate(() => {
        throw new Error(died);
      });
    });
    current = await launchEditor({
      workspace: workspaceDir,
      settings: standIns.settings,
      env: standIns.env,
      // Left out when a --grep leaves out its test (scripts/editor/run-editor-tests.mjs).
      hostTests: process.env.FERRY_HOST_SUITE === 'skip' ? undefined : { dir: path.join(REPO, 'out', 'test', 'editor', 'host'), report: hostReportFile },
    });
  },
  async beforeEach(this: Mocha.Context): Promise<void> {
    if (died) throw new Error(`not run: a stand-in died earlier in this run.\n${died}`);
    // A retry must not pass on a result its failed attempt (or an earlier test) left on screen: the
    // outputs shown now are marked, and the viewer lookups pass over a viewer holding only those.
    // (currentRetry is public at run time; @types/mocha marks it protected.)
    const retry = (this.currentTest as unknown as { currentRetry(): number } | undefined)?.currentRetry() ?? 0;
    if (current && retry > 0) {
      const marked = await current.markViewersStale();
      process.stderr.write(`retry of "${this.currentTest?.fullTitle()}": ${marked} result outputs on screen marked stale\n`);
    }
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await current?.stop();
    await standIns?.stop();
  },
};
