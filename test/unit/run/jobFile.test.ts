// From a local file to the job that runs it (planFileJob): notebook or Python task, the
// notebook's API path, serverless dependencies from requirements.txt beside the file, and the
// clear refusals. Real files in a scratch folder; no editor, no server.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FerryError } from '../../../src/core/errors';
import { planFileJob } from '../../../src/run/service/jobFile';
import { PathMapper } from '../../../src/run/service/paths';

describe('planning the job for a local file', () => {
  let dir: string;
  let mapper: PathMapper;
  const write = (rel: string, content: string | Buffer) => {
    const f = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, content);
    return f;
  };
  const plan = (rel: string, compute: Parameters<typeof planFileJob>[0]['compute']) => {
    const local = path.join(dir, ...rel.split('/'));
    return planFileJob({ localFile: local, remoteFile: mapper.toRemote(local)!, compute, remoteOf: (l) => mapper.toRemote(l) });
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-jobfile-'));
    mapper = new PathMapper(dir, '/Workspace/Users/me/ferry/proj');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a source notebook (CRLF too) is a notebook task on the API path without .py', () => {
    write('a/nb.py', '# Databricks notebook source\r\nprint(1)\r\n');
    const p = plan('a/nb.py', { kind: 'cluster', clusterId: 'c' });
    assert.deepEqual(p.source, { kind: 'notebook', path: '/Users/me/ferry/proj/a/nb' });
    assert.equal(p.taskKind, 'notebook');
  });

  it('a plain .py is a Python task on its driver path; on a cluster requirements.txt is not read', () => {
    write('job.py', 'print(1)\n');
    write('requirements.txt', 'pandas\n');
    const p = plan('job.py', { kind: 'cluster', clusterId: 'c' });
    assert.deepEqual(p.source, { kind: 'python', path: '/Workspace/Users/me/ferry/proj/job.py', parameters: undefined });
    assert.deepEqual(p.compute, { kind: 'cluster', clusterId: 'c' });
  });

  it('on Serverless a .py takes requirements.txt beside it: specifiers, local wheels (to push), left-out lines as notes', () => {
    write('svc/job.py', 'print(1)\n');
    write('svc/dist/w-1.0-py3-none-any.whl', Buffer.from('PK'));
    write(
      'svc/requirements.txt',
      'pandas==1.5.3\n./dist/w-1.0-py3-none-any.whl\n./dist/missing-1.0-py3-none-any.whl\n--extra-index-url https://user:s3cr3t@pypi.example/simple\n',
    );
    const p = plan('svc/job.py', { kind: 'serverless', environmentVersion: '5' });
    assert.deepEqual(p.compute, {
      kind: 'serverless',
      environmentVersion: '5',
      dependencies: ['pandas==1.5.3', '/Workspace/Users/me/ferry/proj/svc/dist/w-1.0-py3-none-any.whl'],
    });
    assert.deepEqual(p.extraFiles, [path.join(dir, 'svc', 'dist', 'w-1.0-py3-none-any.whl')]);
    assert.equal(p.notes.length, 2);
    assert.match(p.notes[0], /line 3 .*does not exist/);
    assert.match(p.notes[1], /line 4 .*pip options/);
  });

  it('on Serverless a notebook carries no environment, and says requirements.txt is not used', () => {
    write('nb.ipynb', JSON.stringify({ cells: [], metadata: {}, nbformat: 4 }));
    write('requirements.txt', 'pandas\n');
    const p = plan('nb.ipynb', { kind: 'serverless', environmentVersion: '4' });
    assert.deepEqual(p.compute, { kind: 'serverless' });
    assert.match(p.notes.join(), /not used for a notebook on serverless/);
  });

  it('refuses an .ipynb the workspace would refuse, and files that are neither Python nor a notebook', () => {
    write('bad.ipynb', '{"cells": [');
    assert.throws(
      () => plan('bad.ipynb', { kind: 'serverless' }),
      (e: unknown) => e instanceof FerryError && /bad\.ipynb cannot run as a notebook: it is not valid JSON/.test(e.message),
    );
    write('q.sql', 'SELECT 1\n');
    assert.throws(
      () => plan('q.sql', { kind: 'serverless' }),
      (e: unknown) => e instanceof FerryError && /neither a Python file nor a notebook/.test(e.message),
    );
    assert.throws(
      () => plan('gone.py', { kind: 'serverless' }),
      (e: unknown) => e instanceof FerryError && /gone\.py cannot be read/.test(e.message),
    );
  });
});
