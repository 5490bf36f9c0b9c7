"""Unit tests of Ferry's session code (src/run/python/ferry_runtime.py), with python3 on its own.

Run: python3 -m unittest discover -s test/python  (the unit layer runs this through mocha).
"""
import base64
import io
import json
import os
import shutil
import sys
import tempfile
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'src', 'run', 'python'))

import ferry_runtime as rt  # noqa: E402


def args(code, run_id, **extra):
    a = {'run': run_id, 'code': code, 'file': '/Workspace/Users/u/ferry/p/main.py', 'root': '/Workspace/Users/u/ferry/p', 'offset': 0, 'maxRows': 10000, 'budget': 45000}
    a.update(extra)
    return base64.b64encode(json.dumps(a).encode('utf-8')).decode('ascii')


def records(run_id):
    with open(rt.spool_file(run_id), 'rb') as f:
        return [json.loads(line) for line in f.read().decode('ascii').splitlines()]


class RuntimeCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='ferry-rt-')
        os.environ['FERRY_DRIVER_TMP'] = self.tmp
        self.cwd = os.getcwd()
        self.g = {'__name__': '__main__'}
        self.n = 0

    def tearDown(self):
        os.chdir(self.cwd)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_code(self, code, **extra):
        """Runs code as a command would; returns (records, the command's own printed result)."""
        self.n += 1
        run_id = 'r%d' % self.n
        out = io.StringIO()
        real = sys.stdout
        sys.stdout = out
        try:
            rt.run(args(code, run_id, **extra), self.g)
        finally:
            sys.stdout = real
        return records(run_id), out.getvalue(), run_id


class TextAndValues(RuntimeCase):
    def test_prints_go_to_the_spool_in_order_with_their_stream(self):
        recs, result, _ = self.run_code('import sys\nprint("a")\nsys.stderr.write("b\\n")\nprint("c")')
        texts = [(r['s'], r['x']) for r in recs if r['t'] == 'text']
        self.assertEqual(''.join(x for _, x in texts), 'a\nb\nc\n')
        self.assertEqual([s for s, _ in texts], ['out', 'err', 'out'])
        self.assertEqual(recs[-1], {'t': 'end', 'status': 'ok'})
        self.assertTrue(result.startswith(rt.MARK))
        summary = json.loads(result[len(rt.MARK):])
        self.assertEqual(summary['status'], 'ok')
        inline = zlib.decompress(base64.b64decode(summary['inline'])).decode('ascii').splitlines()
        self.assertEqual([json.loads(line) for line in inline], recs, 'a small run rides along in full')

    def test_the_command_result_stays_under_the_budget_whatever_is_printed(self):
        _, result, _ = self.run_code('import os\nprint(os.urandom(400000).hex())', budget=45000)
        self.assertLessEqual(len(result), 45000)
        summary = json.loads(result[len(rt.MARK):])
        self.assertNotIn('inline', summary)
        self.assertGreater(summary['size'], 800000)

    def test_carriage_returns_are_kept_for_the_client(self):
        recs, _, _ = self.run_code('import sys\nfor i in range(3):\n    sys.stderr.write("\\r%d%%" % (i * 50))\nsys.stderr.write("\\n")')
        text = ''.join(r['x'] for r in recs if r['t'] == 'text')
        self.assertEqual(text, '\r0%\r50%\r100%\n')

    def test_last_expression_value_and_state_between_runs(self):
        self.run_code('x = 41')
        recs, _, _ = self.run_code('x + 1')
        self.assertIn({'t': 'value', 'repr': '42'}, recs)

    def test_non_ascii_text_round_trips(self):
        recs, _, _ = self.run_code('print("naïve ☃ 日本 \\U0001F600")')
        self.assertEqual(''.join(r['x'] for r in recs if r['t'] == 'text'), 'naïve ☃ 日本 \U0001F600\n')


class Endings(RuntimeCase):
    def test_sys_exit_keeps_what_was_printed(self):
        recs, result, _ = self.run_code('import sys\ndef main():\n    print("working")\n    return 3\nsys.exit(main())')
        self.assertEqual(''.join(r['x'] for r in recs if r['t'] == 'text'), 'working\n')
        self.assertIn({'t': 'exit', 'code': 3}, recs)
        self.assertEqual(json.loads(result[len(rt.MARK):])['status'], 'exit')

    def test_other_base_exceptions_keep_output_and_report_an_error(self):
        recs, _, _ = self.run_code('class Stop(BaseException):\n    pass\nprint("before")\nraise Stop("enough")')
        errors = [r for r in recs if r['t'] == 'error']
        self.assertEqual(len(errors), 1)
        self.assertEqual(errors[0]['ename'], 'Stop')
        self.assertIn('before', ''.join(r['x'] for r in recs if r['t'] == 'text'))

    def test_an_error_names_the_users_file_and_line_and_not_the_runtime(self):
        recs, _, _ = self.run_code('a = 1\n\nb = a / 0', offset=10)
        err = [r for r in recs if r['t'] == 'error'][0]
        self.assertEqual(err['ename'], 'ZeroDivisionError')
        self.assertIn('/Workspace/Users/u/ferry/p/main.py", line 13', err['traceback'])
        self.assertNotIn(rt.RUNTIME_FILE, err['traceback'])
        self.assertNotIn('ferry_runtime.py', err['traceback'])

    def test_keyboard_interrupt_propagates_and_closes_the_spool(self):
        with self.assertRaises(KeyboardInterrupt):
            self.run_code('print("partial")\nraise KeyboardInterrupt()')
        recs = records('r%d' % self.n)
        self.assertEqual(recs[-1], {'t': 'end', 'status': 'cancelled'})
        self.assertIn('partial', ''.join(r['x'] for r in recs if r['t'] == 'text'))


class Slices(RuntimeCase):
    def test_slices_stay_within_the_budget_and_reassemble_the_spool_exactly(self):
        code = 'import os\nfor i in range(3000):\n    print(i, os.urandom(60).hex())\nprint("x" * 300000)'
        _, _, run_id = self.run_code(code)
        with open(rt.spool_file(run_id), 'rb') as f:
            whole = f.read()
        got = b''
        hint = 0.0
        reads = 0
        while len(got) < len(whole):
            out = io.StringIO()
            real = sys.stdout
            sys.stdout = out
            try:
                rt.read(run_id, len(got), 45000, hint)
            finally:
                sys.stdout = real
            text = out.getvalue()
            reads += 1
            self.assertLessEqual(len(text), 45000)
            head, _, body = text.partition('\n')
            h = json.loads(head[len(rt.MARK):])
            self.assertEqual(h['o'], len(got))
            self.assertEqual(h['c'], len(body))
            raw = zlib.decompress(base64.b64decode(body))
            self.assertEqual(len(raw), h['n'])
            got += raw
            hint = h['n'] / max(1, h['c'])
        self.assertEqual(got, whole)
        self.assertLess(reads, len(whole) / 45000, 'compression makes fewer slices than raw text would')

    def test_a_missing_spool_answers_size_minus_one(self):
        out = io.StringIO()
        real = sys.stdout
        sys.stdout = out
        try:
            rt.read('nope', 0, 45000)
        finally:
            sys.stdout = real
        self.assertEqual(json.loads(out.getvalue()[len(rt.MARK):])['size'], -1)


class Tables(RuntimeCase):
    def setUp(self):
        super().setUp()
        try:
            import pandas  # noqa: F401
        except ImportError:
            self.fail('these tests need pandas in the python3 that runs them')

    def table(self, code):
        recs, _, _ = self.run_code(code)
        tables = [r for r in recs if r['t'] == 'table']
        self.assertEqual(len(tables), 1, recs)
        return tables[0]

    def test_a_default_index_is_not_shown(self):
        t = self.table('import pandas as pd\ndisplay(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}))')
        self.assertEqual([c['name'] for c in t['columns']], ['a', 'b'])
        self.assertEqual([c['type'] for c in t['columns']], ['integer', 'string'])
        self.assertEqual(t['rows'], [[1, 'x'], [2, 'y']])

    def test_groupby_unstack_shows_its_index_labels(self):
        t = self.table('\n'.join([
            'import pandas as pd',
            'p = pd.DataFrame({"region": ["n", "n", "s", "s"], "plan": ["a", "b", "a", "b"], "churn_probability": [0.1, 0.2, 0.3, 0.4]})',
            'p.groupby(["region", "plan"])["churn_probability"].mean().unstack()',
        ]))
        self.assertEqual([c['name'] for c in t['columns']], ['region', 'a', 'b'])
        self.assertTrue(t['columns'][0].get('index'))
        self.assertEqual(t['columns'][0]['type'], 'string')
        self.assertEqual(t['rows'], [['n', 0.1, 0.2], ['s', 0.3, 0.4]])

    def test_a_multiindex_becomes_leading_columns_and_tuple_columns_are_joined(self):
        t = self.table('\n'.join([
            'import pandas as pd',
            'p = pd.DataFrame({"k1": ["a", "a", "b"], "k2": [1, 2, 1], "v": [1.5, 2.5, 3.5], "w": [1, 2, 3]})',
            'display(p.groupby(["k1", "k2"]).agg({"v": ["mean", "max"]}))',
        ]))
        self.assertEqual([c['name'] for c in t['columns']], ['k1', 'k2', 'v / mean', 'v / max'])
        self.assertEqual(t['rows'][0], ['a', 1, 1.5, 1.5])

    def test_object_columns_typed_by_their_values_and_missing_values_are_null(self):
        t = self.table('import pandas as pd, numpy as np\ndisplay(pd.DataFrame({"s": ["x", None], "n": [1.5, np.nan], "t": pd.to_datetime(["2026-01-02", None])}))')
        self.assertEqual([c['type'] for c in t['columns']], ['string', 'number', 'timestamp'])
        self.assertEqual(t['rows'][1], [None, None, None])

    def test_rows_capped_with_the_total(self):
        t = self.table('import pandas as pd\ndisplay(pd.DataFrame({"a": range(25)}))')
        self.assertEqual(len(t['rows']), 25)
        recs, _, _ = self.run_code('import pandas as pd\ndisplay(pd.DataFrame({"a": range(25)}))', maxRows=10)
        t = [r for r in recs if r['t'] == 'table'][0]
        self.assertEqual((len(t['rows']), t['total'], t['truncated']), (10, 25, True))


class Magics(RuntimeCase):
    def test_prepare_keeps_line_numbers_for_pip_lines_and_finds_sh_cells(self):
        kind, code, _ = rt.prepare('import os\n%pip install "pkg>=1"\nprint(1)')
        self.assertEqual(kind, 'python')
        self.assertEqual(code.split('\n')[1], "__import__('ferry_runtime').pip('install \"pkg>=1\"')")
        self.assertEqual(len(code.split('\n')), 3)
        self.assertEqual(rt.prepare('\n%sh\necho hi\nls')[:2], ('shell', 'echo hi\nls'))

    def test_a_sh_cell_streams_its_output_and_a_failure_is_an_error(self):
        recs, _, _ = self.run_code('%sh\necho first\necho second 1>&2\nexit 3')
        text = ''.join(r['x'] for r in recs if r['t'] == 'text')
        self.assertEqual(text, 'first\nsecond\n')
        err = [r for r in recs if r['t'] == 'error'][0]
        self.assertEqual(err['ename'], 'ShellError')
        self.assertIn('status 3', err['evalue'])

    def test_a_pip_line_runs_pip_in_this_python_with_its_output(self):
        recs, _, _ = self.run_code('%pip --version\nprint("after pip")')
        text = ''.join(r['x'] for r in recs if r['t'] == 'text')
        self.assertRegex(text, r'pip \d+')
        self.assertTrue(text.endswith('after pip\n'))

    def test_a_failing_pip_is_an_error_with_pips_own_words(self):
        recs, _, _ = self.run_code('%pip install --no-index definitely-not-a-package-ferry')
        err = [r for r in recs if r['t'] == 'error'][0]
        self.assertEqual(err['ename'], 'PipError')
        self.assertTrue(''.join(r['x'] for r in recs if r['t'] == 'text').strip(), 'pip said why')


class Variables(RuntimeCase):
    def test_lists_what_the_code_made_with_types_shapes_and_sizes(self):
        self.g['spark'] = object()  # what the session had before: not listed
        recs, _, _ = self.run_code('\n'.join([
            'import os, pandas as pd',
            'x = 41',
            'name = "churn"',
            'df = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})',
            'def helper():',
            '    return 1',
        ]), session='s1')
        listing = [r for r in recs if r['t'] == 'vars'][0]['vars']
        by = {v['name']: v for v in listing}
        self.assertEqual(sorted(by), ['df', 'name', 'x'])
        self.assertEqual(by['x']['preview'], '41')
        self.assertEqual(by['df']['kind'], 'dataframe')
        self.assertEqual(by['df']['shape'], [3, 2])
        self.assertEqual(by['df']['columns'], [['a', 'int64'], ['b', 'object']])
        self.assertGreater(by['df']['size'], 0)
        with open(rt.session_file('s1')) as f:
            self.assertEqual(json.loads(f.read())['vars'], listing, 'the latest listing is kept for the reader session')

    def test_a_spark_like_frame_is_listed_without_evaluating_its_rows(self):
        recs, _, _ = self.run_code('\n'.join([
            'class Frame:',
            '    evaluated = 0',
            '    dtypes = [("id", "bigint"), ("label", "string")]',
            '    def limit(self, n):',
            '        Frame.evaluated += 1',
            '        return self',
            '    def toPandas(self):',
            '        Frame.evaluated += 1',
            '    def count(self):',
            '        Frame.evaluated += 1',
            '        return 10 ** 9',
            '    def __len__(self):',
            '        Frame.evaluated += 1',
            '        return 10 ** 9',
            'sdf = Frame()',
        ]), session='s2')
        listing = [r for r in recs if r['t'] == 'vars'][0]['vars']
        sdf = [v for v in listing if v['name'] == 'sdf'][0]
        self.assertEqual(sdf['kind'], 'spark')
        self.assertEqual(sdf['columns'], [['id', 'bigint'], ['label', 'string']])
        self.assertEqual(self.g['Frame'].evaluated, 0)


if __name__ == '__main__':
    unittest.main()
