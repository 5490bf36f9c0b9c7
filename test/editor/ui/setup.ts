// Mocha root hooks for the UI suite: one real editor for all UI test files, opened on a scratch
// workspace, with the extension-host suite running inside it first (00-host-suite.test.ts). Areas that need the stand-ins get
// them through the sandbox services started here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Editor, launchEditor, REPO } from '../harness';
import { customersCsv } from '../../../sandbox/demo/data';
import { startStandIns, StandIns } from './standIns';

let current: Editor | undefined;
let standIns: StandIns | undefined;
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
    for (const f of ['train.py', 'query.sql', 'explore.ipynb']) fs.copyFileSync(path.join(REPO, 'sandbox', 'demo', 'workspace', f), path.join(workspaceDir, f));
    fs.mkdirSync(path.join(workspaceDir, 'data'), { recursive: true });
    fs.writeFileSync(path.join(workspaceDir, 'data', 'customers.csv'), customersCsv());
    fs.writeFileSync(path.join(workspaceDir, 'explorer_run.py'), 'print("placeholder")\n');
    for (const f of ['live_print.py', 'unstack.py']) fs.writeFileSync(path.join(workspaceDir, f), '# written by the test\n');
    hostReportFile = path.join(root, 'host-report.json');
    standIns = await startStandIns(root);
    current = await launchEditor({
      workspace: workspaceDir,
      settings: standIns.settings,
      env: standIns.env,
      hostTests: { dir: path.join(REPO, 'out', 'test', 'editor', 'host'), report: hostReportFile },
    });
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await current?.stop();
    await standIns?.stop();
  },
};
