// The sandbox's workspace folder: a copy of sandbox/demo/workspace (train.py, explore.ipynb,
// query.sql, README.md), the raw CSV under data/, and .vscode/settings.json pointing Ferry at the
// stand-ins. Files the user changed are kept from one run to the next; settings are rewritten
// each run because the ports change.
import fs from 'node:fs';
import path from 'node:path';
import { customersCsv, RAW_FILE } from '../demo/data';

export const DEMO_TEMPLATE = path.resolve(__dirname, '..', '..', '..', 'sandbox', 'demo', 'workspace');

export function prepareWorkspace(dir: string, settings: Record<string, unknown>, template = DEMO_TEMPLATE): string {
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  for (const name of fs.readdirSync(template)) {
    const dest = path.join(dir, name);
    if (!fs.existsSync(dest)) fs.cpSync(path.join(template, name), dest, { recursive: true });
  }
  const csv = path.join(dir, 'data', RAW_FILE);
  if (!fs.existsSync(csv)) fs.writeFileSync(csv, customersCsv());
  writeWorkspaceSettings(dir, settings);
  return dir;
}

/** Merges the sandbox settings into .vscode/settings.json, keeping the user's other settings. */
export function writeWorkspaceSettings(dir: string, settings: Record<string, unknown>): string {
  const file = path.join(dir, '.vscode', 'settings.json');
  let current: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) current = parsed as Record<string, unknown>;
  } catch {
    // missing or not plain JSON (comments): start over, the sandbox owns this file
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2) + '\n');
  return file;
}
