import assert from 'node:assert/strict';
import { uniqueSuffix } from '../standIns';
import { Api, connect } from './http';

const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');

describe('Databricks stand-in: Workspace, Files API and DBFS', () => {
  let api: Api;
  let user: string;
  let root: string;
  before(async () => {
    api = await connect();
    user = (await api.get<{ userName: string }>('/api/2.0/preview/scim/v2/Me')).body.userName;
    root = `/Users/${user}/standin-${uniqueSuffix()}`;
  });
  after(async () => {
    await api.post('/api/2.0/workspace/delete', { path: root, recursive: true });
    await api?.db.stop();
  });

  describe('Workspace 2.0', () => {
    it('mkdirs (idempotent), imports files and notebooks, lists and gets status', async () => {
      assert.equal((await api.post('/api/2.0/workspace/mkdirs', { path: `${root}/src/pkg` })).status, 200);
      assert.equal((await api.post('/api/2.0/workspace/mkdirs', { path: `${root}/src/pkg` })).status, 200);
      const file = await api.post('/api/2.0/workspace/import', {
        path: `${root}/src/train.py`,
        content: b64('print("train")\n'),
        format: 'AUTO',
        overwrite: true,
      });
      assert.equal(file.status, 200, file.text);
      const nb = await api.post('/api/2.0/workspace/import', { path: `${root}/src/nb`, content: b64('x = 1\n'), format: 'SOURCE', language: 'PYTHON' });
      assert.equal(nb.status, 200, nb.text);
      const auto = await api.post('/api/2.0/workspace/import', {
        path: `${root}/src/auto_nb.py`,
        content: b64('# Databricks notebook source\nprint(1)\n'),
        format: 'AUTO',
      });
      assert.equal(auto.status, 200);
      const list = await api.get<{ objects: Array<{ path: string; object_type: string; language?: string; size?: number; object_id: number }> }>(
        '/api/2.0/workspace/list',
        { path: `${root}/src` },
      );
      const byPath = Object.fromEntries(list.body.objects.map((o) => [o.path, o]));
      assert.equal(byPath[`${root}/src/train.py`].object_type, 'FILE');
      assert.equal(byPath[`${root}/src/train.py`].size, 15);
      assert.equal(byPath[`${root}/src/nb`].object_type, 'NOTEBOOK');
      assert.equal(byPath[`${root}/src/nb`].language, 'PYTHON');
      assert.equal(byPath[`${root}/src/auto_nb`].object_type, 'NOTEBOOK', 'AUTO import of a notebook source drops the extension');
      assert.equal(byPath[`${root}/src/pkg`].object_type, 'DIRECTORY');
      assert.ok(list.body.objects.every((o) => typeof o.object_id === 'number'));
      const st = await api.get<{ object_type: string; path: string }>('/api/2.0/workspace/get-status', { path: `/Workspace${root}/src/train.py` });
      assert.deepEqual([st.body.object_type, st.body.path], ['FILE', `/Workspace${root}/src/train.py`], 'the /Workspace prefix is accepted and echoed');
    });

    it('AUTO import decides by the CLI rule: the first line exactly the header, an .ipynb that is Jupyter JSON', async () => {
      const dir = `${root}/auto`;
      await api.post('/api/2.0/workspace/mkdirs', { path: dir });
      const cases: Array<[string, string, string]> = [
        ['crlf.py', '# Databricks notebook source\r\nprint(1)\r\n', 'NOTEBOOK'],
        ['sql_nb.sql', '-- Databricks notebook source\nSELECT 1\n', 'NOTEBOOK'],
        ['scala_nb.scala', '// Databricks notebook source\nprintln(1)\n', 'NOTEBOOK'],
        ['trailing.py', '# Databricks notebook source \nprint(1)\n', 'FILE'],
        ['longer.py', '# Databricks notebook sources\nprint(1)\n', 'FILE'],
        ['second_line.py', '\n# Databricks notebook source\nprint(1)\n', 'FILE'],
        ['bom.py', '\uFEFF# Databricks notebook source\nprint(1)\n', 'FILE'],
        ['wrong_header.sql', '# Databricks notebook source\nSELECT 1\n', 'FILE'],
      ];
      for (const [name, body] of cases)
        assert.equal((await api.post('/api/2.0/workspace/import', { path: `${dir}/${name}`, content: b64(body), format: 'AUTO' })).status, 200, name);
      const scalaMeta = {
        cells: [{ cell_type: 'code', source: 'println(1)' }],
        metadata: { 'application/vnd.databricks.v1+notebook': { language: 'scala' } },
        nbformat: 4,
        nbformat_minor: 2,
      };
      assert.equal(
        (await api.post('/api/2.0/workspace/import', { path: `${dir}/scala.ipynb`, content: b64(JSON.stringify(scalaMeta)), format: 'AUTO' })).status,
        200,
      );
      const list = await api.get<{ objects: Array<{ path: string; object_type: string; language?: string }> }>('/api/2.0/workspace/list', { path: dir });
      const byPath = Object.fromEntries(list.body.objects.map((o) => [o.path.slice(dir.length + 1), o]));
      for (const [name, , type] of cases) {
        const shown = type === 'NOTEBOOK' ? name.replace(/\.(py|sql|scala)$/, '') : name;
        assert.equal(byPath[shown]?.object_type, type, `${name} → ${JSON.stringify(byPath[shown])}`);
      }
      assert.deepEqual([byPath.scala?.object_type, byPath.scala?.language], ['NOTEBOOK', 'SCALA']);
      for (const bad of ['{not json', JSON.stringify({ cells: [], nbformat: 4 }), JSON.stringify({ cells: [], metadata: {}, nbformat: 3 })]) {
        const r = await api.post('/api/2.0/workspace/import', { path: `${dir}/bad.ipynb`, content: b64(bad), format: 'AUTO', overwrite: true });
        assert.equal(r.status, 400, bad);
      }
    });

    it('an .ipynb becomes a notebook whose source keeps markdown and magics as MAGIC cells', async () => {
      const nb = {
        cells: [
          { cell_type: 'markdown', source: ['# Title'] },
          { cell_type: 'code', source: ['x = 1'] },
          { cell_type: 'code', source: ['%sql\n', 'SELECT 1'] },
        ],
        metadata: {},
        nbformat: 4,
        nbformat_minor: 5,
      };
      assert.equal(
        (await api.post('/api/2.0/workspace/import', { path: `${root}/src/j.ipynb`, content: b64(JSON.stringify(nb)), format: 'AUTO' })).status,
        200,
      );
      const exp = await api.get<{ content: string }>('/api/2.0/workspace/export', { path: `${root}/src/j`, format: 'SOURCE' });
      assert.equal(
        Buffer.from(exp.body.content, 'base64').toString(),
        '# Databricks notebook source\n# MAGIC %md\n# MAGIC # Title\n\n# COMMAND ----------\n\nx = 1\n\n# COMMAND ----------\n\n# MAGIC %sql\n# MAGIC SELECT 1',
      );
    });

    it('refuses an existing path without overwrite with 400 RESOURCE_ALREADY_EXISTS, and overwrites with it', async () => {
      const again = await api.post('/api/2.0/workspace/import', { path: `${root}/src/train.py`, content: b64('v2'), format: 'AUTO' });
      assert.equal(again.status, 400);
      assert.equal(again.body.error_code, 'RESOURCE_ALREADY_EXISTS');
      const over = await api.post('/api/2.0/workspace/import', { path: `${root}/src/train.py`, content: b64('v2'), format: 'AUTO', overwrite: true });
      assert.equal(over.status, 200);
      const exp = await api.get<{ content: string }>('/api/2.0/workspace/export', { path: `${root}/src/train.py`, format: 'SOURCE' });
      assert.equal(Buffer.from(exp.body.content, 'base64').toString(), 'v2');
    });

    it('accepts a multipart import with a content file part', async () => {
      const form = new FormData();
      form.append('path', `${root}/src/multi.py`);
      form.append('format', 'AUTO');
      form.append('overwrite', 'true');
      form.append('content', new Blob([Buffer.from('print("multi")')]), 'multi.py');
      const r = await fetch(`${api.db.url}/api/2.0/workspace/import`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${api.db.token}` } });
      assert.equal(r.status, 200, await r.clone().text());
      const exp = await api.call('GET', `/api/2.0/workspace/export?path=${encodeURIComponent(`${root}/src/multi.py`)}&direct_download=true`);
      assert.equal(exp.text, 'print("multi")');
    });

    it('exports a notebook as SOURCE with its header, and SOURCE import requires a language', async () => {
      const exp = await api.get<{ content: string; file_type: string }>('/api/2.0/workspace/export', { path: `${root}/src/nb` });
      assert.equal(Buffer.from(exp.body.content, 'base64').toString(), '# Databricks notebook source\nx = 1\n');
      assert.equal(exp.body.file_type, 'py');
      const noLang = await api.post('/api/2.0/workspace/import', { path: `${root}/src/nolang`, content: b64('x'), format: 'SOURCE' });
      assert.equal(noLang.status, 400);
      assert.equal(noLang.body.error_code, 'INVALID_PARAMETER_VALUE');
    });

    it('answers missing paths with 404 RESOURCE_DOES_NOT_EXIST and a non-folder prefix with RESOURCE_ALREADY_EXISTS', async () => {
      for (const [p, q] of [
        ['/api/2.0/workspace/get-status', `${root}/nope`],
        ['/api/2.0/workspace/export', `${root}/nope`],
        ['/api/2.0/workspace/list', `${root}/nope`],
      ]) {
        const r = await api.get(p, { path: q });
        assert.equal(r.status, 404, p);
        assert.deepEqual(r.body, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Path (${q}) doesn't exist.` });
      }
      const under = await api.post('/api/2.0/workspace/mkdirs', { path: `${root}/src/train.py/sub` });
      assert.equal(under.status, 400);
      assert.equal(under.body.error_code, 'RESOURCE_ALREADY_EXISTS');
      const noParent = await api.post('/api/2.0/workspace/import', { path: `${root}/missing/dir/f.py`, content: b64('x'), format: 'AUTO' });
      assert.equal(noParent.status, 404);
    });

    it('refuses traversal and relative paths', async () => {
      for (const bad of [`${root}/../../../../etc/passwd`, 'relative/path', `${root}/a\\..\\b`]) {
        const r = await api.get('/api/2.0/workspace/get-status', { path: bad });
        assert.equal(r.status, 400, bad);
        assert.equal(r.body.error_code, 'INVALID_PARAMETER_VALUE');
      }
    });

    it('deletes: DIRECTORY_NOT_EMPTY without recursive, gone with it', async () => {
      const r = await api.post('/api/2.0/workspace/delete', { path: `${root}/src` });
      assert.equal(r.status, 400);
      assert.equal(r.body.error_code, 'DIRECTORY_NOT_EMPTY');
      assert.equal((await api.post('/api/2.0/workspace/delete', { path: `${root}/src/nb` })).status, 200);
      assert.equal((await api.post('/api/2.0/workspace/delete', { path: `${root}/src`, recursive: true })).status, 200);
      assert.equal((await api.get('/api/2.0/workspace/get-status', { path: `${root}/src` })).status, 404);
      assert.equal((await api.post('/api/2.0/workspace/delete', { path: `${root}/src` })).status, 404);
    });
  });

  describe('Files API', () => {
    const vol = `/Volumes/main/default/sandbox/standin-${uniqueSuffix()}`;
    const enc = (p: string): string => p.split('/').map(encodeURIComponent).join('/');

    it('uploads, heads, downloads (with Range), lists and deletes files and directories', async () => {
      const name = `${vol}/dir one/data ü.csv`;
      const put = await api.call('PUT', `/api/2.0/fs/files${enc(name)}?overwrite=true`, Buffer.from('a,b\n1,2\n'), {
        'Content-Type': 'application/octet-stream',
      });
      assert.equal(put.status, 204);
      const head = await fetch(`${api.db.url}/api/2.0/fs/files${enc(name)}`, { method: 'HEAD', headers: { Authorization: `Bearer ${api.db.token}` } });
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('content-length'), '8');
      assert.ok(head.headers.get('last-modified'));
      const get = await api.call('GET', `/api/2.0/fs/files${enc(name)}`);
      assert.equal(get.text, 'a,b\n1,2\n');
      const range = await api.call('GET', `/api/2.0/fs/files${enc(name)}`, undefined, { Range: 'bytes=4-6' });
      assert.equal(range.status, 206);
      assert.equal(range.text, '1,2');
      const noOverwrite = await api.call('PUT', `/api/2.0/fs/files${enc(name)}?overwrite=false`, Buffer.from('x'));
      assert.equal(noOverwrite.status, 409);
      const list = await api.get<{ contents: Array<{ path: string; name: string; is_directory: boolean; file_size?: number }> }>(
        `/api/2.0/fs/directories${enc(`${vol}/dir one`)}`,
      );
      assert.deepEqual(
        list.body.contents.map((c) => [c.name, c.is_directory, c.file_size]),
        [['data ü.csv', false, 8]],
      );
      assert.equal((await api.call('PUT', `/api/2.0/fs/directories${enc(`${vol}/empty`)}`)).status, 204);
      assert.equal((await api.call('PUT', `/api/2.0/fs/directories${enc(name)}`)).status, 409, 'a file is in the way');
      const paged = await api.get<{ contents: unknown[]; next_page_token?: string }>(`/api/2.0/fs/directories${enc(vol)}`, { page_size: 1 });
      assert.equal(paged.body.contents.length, 1);
      assert.ok(paged.body.next_page_token);
      const notEmpty = await api.call('DELETE', `/api/2.0/fs/directories${enc(`${vol}/dir one`)}`);
      assert.equal(notEmpty.status, 400, 'not empty: 400 with a FILES_API_DIRECTORY_IS_NOT_EMPTY detail (reference §3)');
      assert.equal((await api.call('DELETE', `/api/2.0/fs/files${enc(name)}`)).status, 204);
      assert.equal((await api.call('GET', `/api/2.0/fs/files${enc(name)}`)).status, 404);
      assert.equal((await api.call('DELETE', `/api/2.0/fs/directories${enc(`${vol}/dir one`)}`)).status, 204);
      const headDir = await fetch(`${api.db.url}/api/2.0/fs/directories${enc(`${vol}/dir one`)}`, {
        method: 'HEAD',
        headers: { Authorization: `Bearer ${api.db.token}` },
      });
      assert.equal(headDir.status, 404);
    });

    it('writes workspace files under /Workspace that the Workspace API then sees', async () => {
      const p = `/Workspace${root}/viafiles/job.py`;
      assert.equal((await api.call('PUT', `/api/2.0/fs/files${enc(p)}`, Buffer.from('print(1)'))).status, 204);
      const st = await api.get<{ object_type: string }>('/api/2.0/workspace/get-status', { path: `${root}/viafiles/job.py` });
      assert.equal(st.body.object_type, 'FILE');
    });

    it('refuses traversal in Files API paths', async () => {
      // An encoded slash keeps '..' inside one segment past URL normalisation; it must still be refused.
      const r = await api.call('GET', '/api/2.0/fs/files/Volumes/..%2F..%2F..%2F..%2Fetc%2Fpasswd');
      assert.equal(r.status, 400);
      assert.equal(r.body.error_code, 'INVALID_PARAMETER_VALUE');
      const put = await api.call('PUT', '/api/2.0/fs/files/Volumes/x/..%2F..%2F..%2Fescape.txt', Buffer.from('x'));
      assert.equal(put.status, 400);
    });
  });

  describe('DBFS 2.0', () => {
    const dir = `/tmp/standin-${uniqueSuffix()}`;

    it('puts inline up to 1 MB, refuses more, and reads with offset and length', async () => {
      assert.equal((await api.post('/api/2.0/dbfs/put', { path: `dbfs:${dir}/a.txt`, contents: b64('hello world'), overwrite: true })).status, 200);
      const big = await api.post('/api/2.0/dbfs/put', { path: `${dir}/big.bin`, contents: b64(Buffer.alloc(1024 * 1024 + 1)) });
      assert.equal(big.status, 400);
      assert.equal(big.body.error_code, 'MAX_BLOCK_SIZE_EXCEEDED');
      const exists = await api.post('/api/2.0/dbfs/put', { path: `${dir}/a.txt`, contents: b64('x') });
      assert.equal(exists.body.error_code, 'RESOURCE_ALREADY_EXISTS');
      const read = await api.get<{ bytes_read: number; data: string }>('/api/2.0/dbfs/read', { path: `${dir}/a.txt`, offset: 6, length: 100 });
      assert.equal(read.body.bytes_read, 5);
      assert.equal(Buffer.from(read.body.data, 'base64').toString(), 'world');
      const tooMuch = await api.get('/api/2.0/dbfs/read', { path: `${dir}/a.txt`, length: 2 * 1024 * 1024 });
      assert.equal(tooMuch.body.error_code, 'MAX_READ_SIZE_EXCEEDED');
      const missing = await api.get('/api/2.0/dbfs/read', { path: `${dir}/nope` });
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error_code, 'RESOURCE_DOES_NOT_EXIST');
    });

    it('streams with create / add-block / close', async () => {
      const h = await api.post<{ handle: number }>('/api/2.0/dbfs/create', { path: `${dir}/stream.bin`, overwrite: true });
      assert.equal(typeof h.body.handle, 'number');
      for (const part of ['abc', 'def', 'ghi'])
        assert.equal((await api.post('/api/2.0/dbfs/add-block', { handle: h.body.handle, data: b64(part) })).status, 200);
      assert.equal((await api.post('/api/2.0/dbfs/close', { handle: h.body.handle })).status, 200);
      const st = await api.get<{ path: string; is_dir: boolean; file_size: number; modification_time: number }>('/api/2.0/dbfs/get-status', {
        path: `${dir}/stream.bin`,
      });
      assert.deepEqual([st.body.path, st.body.is_dir, st.body.file_size], [`${dir}/stream.bin`, false, 9]);
      const gone = await api.post('/api/2.0/dbfs/add-block', { handle: h.body.handle, data: b64('x') });
      assert.equal(gone.body.error_code, 'RESOURCE_DOES_NOT_EXIST');
    });

    it('lists, makes directories, moves and deletes (IO_ERROR when not empty without recursive)', async () => {
      assert.equal((await api.post('/api/2.0/dbfs/mkdirs', { path: `${dir}/sub/deeper` })).status, 200);
      const list = await api.get<{ files: Array<{ path: string; is_dir: boolean }> }>('/api/2.0/dbfs/list', { path: dir });
      assert.deepEqual(
        list.body.files.map((f) => [f.path, f.is_dir]),
        [
          [`${dir}/a.txt`, false],
          [`${dir}/stream.bin`, false],
          [`${dir}/sub`, true],
        ],
      );
      assert.equal((await api.post('/api/2.0/dbfs/move', { source_path: `${dir}/a.txt`, destination_path: `${dir}/sub/a.txt` })).status, 200);
      const notEmpty = await api.post('/api/2.0/dbfs/delete', { path: dir });
      assert.equal(notEmpty.body.error_code, 'IO_ERROR');
      assert.equal((await api.post('/api/2.0/dbfs/delete', { path: dir, recursive: true })).status, 200);
      assert.equal((await api.get('/api/2.0/dbfs/get-status', { path: dir })).status, 404);
    });
  });
});
