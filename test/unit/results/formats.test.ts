import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { ansiToSegments } from '../../../src/results/ansi';
import { parseCsv, resultFromFile } from '../../../src/results/fileResult';
import { contentSecurityPolicy, newNonce, viewerHtml } from '../../../src/results/html';
import { frameTarget, isInside } from '../../../src/results/links';
import { csvField, csvHeader, csvLines, jsonRows, tsv } from '../../../src/results/serialize';

describe('results: ANSI, CSV/JSON/TSV, file results, HTML and frame links', () => {
  it('ANSI colours become classes; other escapes vanish; text is never markup', () => {
    assert.deepEqual(ansiToSegments('a\u001b[1;31mB\u001b[0mc'), [
      { text: 'a', classes: [] },
      { text: 'B', classes: ['fg-red', 'bold'] },
      { text: 'c', classes: [] },
    ]);
    assert.deepEqual(ansiToSegments('\u001b[38;5;10mx\u001b[39m\u001b[2Ky'), [
      { text: 'x', classes: ['fg-bright-green'] },
      { text: 'y', classes: [] },
    ]);
    assert.deepEqual(ansiToSegments('\u001b]0;title\u0007<b>'), [{ text: '<b>', classes: [] }]);
  });

  it('CSV quotes what needs it, NULL is empty; JSON keeps null apart from ""; TSV flattens tabs', () => {
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField(null), '');
    assert.equal(
      csvHeader([
        { name: 'a', type: 'string' },
        { name: 'b\nc', type: 'string' },
      ]),
      'a,"b\nc"\r\n',
    );
    assert.equal(csvLines([[1, null, '', true]]), '1,,,true\r\n');
    const cols = [
      { name: 'a', type: 'string' as const },
      { name: 'b', type: 'string' as const },
    ];
    assert.deepEqual(
      JSON.parse(
        `[${jsonRows(
          cols,
          [
            [null, ''],
            ['x', 'y'],
          ],
          true,
        )}]`,
      ),
      [
        { a: null, b: '' },
        { a: 'x', b: 'y' },
      ],
    );
    assert.equal(tsv(cols, [['x\ty', null]]), 'a\tb\nx y\t');
    assert.deepEqual(parseCsv('a,"b,c"\r\n1,"say ""hi"""\n'), [
      ['a', 'b,c'],
      ['1', 'say "hi"'],
    ]);
  });

  it('reads results from files and refuses what it does not know', () => {
    const fromArray = resultFromFile(
      'x.json',
      JSON.stringify([
        { a: 1, b: null },
        { a: 2, b: 'q' },
      ]),
    );
    const t = fromArray.outputs[0];
    assert.equal(t.kind, 'table');
    if (t.kind === 'table') {
      assert.deepEqual(
        t.columns.map((c) => c.type),
        ['integer', 'string'],
      );
      assert.deepEqual(t.rows, [
        [1, null],
        [2, 'q'],
      ]);
    }
    const withOutputs = resultFromFile(
      'r.json',
      JSON.stringify({
        title: 'T',
        outputs: [
          { kind: 'text', text: 'hi' },
          { kind: 'error', summary: 'E', traceback: '', frames: [{ file: 'a.py', line: '3' }] },
        ],
      }),
    );
    assert.equal(withOutputs.title, 'T');
    assert.equal(withOutputs.outputs.length, 2);
    assert.throws(() => resultFromFile('r.json', JSON.stringify({ outputs: [{ kind: 'html', html: '<script>' }] })), /Unknown output kind/);
    assert.throws(() => resultFromFile('r.json', JSON.stringify({ outputs: [{ kind: 'image', base64: '"><script>' }] })), /base64/);
    assert.throws(() => resultFromFile('r.json', '42'));
  });

  it('the HTML has a strict CSP with a fresh random nonce and no unsafe-eval or unsafe-inline', () => {
    const a = newNonce();
    const b = newNonce();
    assert.notEqual(a, b);
    assert.ok(a.length >= 24);
    const csp = contentSecurityPolicy({ cspSource: 'https://x.test', nonce: a });
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, new RegExp(`script-src 'nonce-${a.replace(/[+/]/g, '\\$&')}'`));
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline/);
    const html = viewerHtml({ cspSource: 'https://x.test', scriptUri: 'https://x.test/main.js?"><b>', assetBase: 'https://x.test/', nonce: a });
    assert.ok(html.includes('&quot;&gt;&lt;b&gt;'), 'attribute values are escaped');
    assert.equal((html.match(/<script/g) ?? []).length, 1);
  });

  it('opens only file: URIs inside a workspace folder that exist', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-links-'));
    const file = path.join(ws, 'train.py');
    fs.writeFileSync(file, 'x = 1\n');
    const uri = pathToFileURL(file).toString();
    assert.deepEqual(frameTarget(uri, [ws]), { file });
    assert.ok('reason' in frameTarget(undefined, [ws]));
    assert.ok('reason' in frameTarget('https://evil.test/train.py', [ws]));
    assert.ok('reason' in frameTarget('javascript:alert(1)', [ws]));
    assert.ok('reason' in frameTarget(pathToFileURL(path.join(ws, 'missing.py')).toString(), [ws]));
    assert.ok('reason' in frameTarget(pathToFileURL(path.join(ws, '..', 'outside.py')).toString(), [ws]));
    assert.ok('reason' in frameTarget(uri, [path.join(ws, 'other')]));
    assert.equal(isInside('C:\\w', 'C:\\w\\a.py', path.win32), true);
    assert.equal(isInside('C:\\w', 'C:\\w2\\a.py', path.win32), false);
    assert.equal(isInside('C:\\w', 'D:\\w\\a.py', path.win32), false);
    fs.rmSync(ws, { recursive: true, force: true });
  });
});
