"""Ferry's session code on the Databricks driver.

Ferry sends this module with every run (compressed, in the command text) and installs it as the
module ``ferry_runtime`` unless the same version is installed already. It runs the user's code
(a file, a cell or a selection) with ``__file__``, the working directory and ``sys.path`` set to the
file's remote folder, compiled under the remote file name with its real line numbers, and it
reloads project modules that changed since they were imported.

Every output of a run (stdout and stderr text, ``display()`` tables, figures, the error with its
traceback, the value of a last expression) is written to a per-run *spool* on the driver's local
disk, as JSON lines, and not into the command's own result: a real cluster caps a command's text
result (50,000 characters on Databricks Runtime 16.4 LTS and below), so a run's output can only
arrive whole if Ferry fetches it in slices. ``read()`` answers one slice, compressed, in a result
that stays under the budget Ferry gives. While a run goes on, Ferry calls ``read()`` from a second
execution context on the same cluster, so printed lines show while the code still runs.

Only the standard library is used at import time; pandas, numpy and matplotlib are used when the
user's objects come from them.
"""
import ast
import base64
import datetime
import importlib
import io
import json
import math
import os
import re
import reprlib
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import types
import zlib

VERSION = 'dev'
MARK = '\x1eFERRY:'
RUNTIME_FILE = '<ferry_runtime>'
# Text is collected and written as one record when this much is pending, or every FLUSH_SECONDS.
TEXT_CHUNK = 64 * 1024
FLUSH_SECONDS = 0.05
# Spools older than this are removed at the start of a run (runs whose reader never came back).
SPOOL_MAX_AGE_SECONDS = 24 * 3600
# The most bytes of spool one slice reads (before compression).
MAX_SLICE_BYTES = 8 * 1024 * 1024


def spool_root():
    """The driver's local temp space (Databricks: /local_disk0/tmp), then the system temp folder."""
    candidates = [os.environ.get('FERRY_DRIVER_TMP'), '/local_disk0/tmp', tempfile.gettempdir()]
    for base in candidates:
        if not base:
            continue
        root = os.path.join(base, 'ferry-spool')
        try:
            os.makedirs(root, exist_ok=True)
            if os.access(root, os.W_OK):
                return root
        except OSError:
            continue
    raise RuntimeError('Ferry found no writable temp folder on the driver for the run output')


def spool_file(run_id):
    safe = ''.join(ch for ch in str(run_id) if ch.isalnum() or ch in '-_')[:64]
    if not safe:
        raise ValueError('a run id is required')
    return os.path.join(spool_root(), safe, 'out.jsonl')


def _dumps(rec):
    # ASCII only, so that a byte offset in the file is a character offset in the result text.
    return json.dumps(rec, ensure_ascii=True, default=str, allow_nan=False)


class Spool:
    """The run's output file: JSON lines, appended, text batched by a flusher thread."""

    def __init__(self, path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.path = path
        self.file = open(path, 'ab', buffering=0)
        self.lock = threading.Lock()
        self.pending = []
        self.pending_len = 0
        self.stream = None
        self.closed = False
        self.size = 0
        self.records = 0
        self.flusher = threading.Thread(target=self._tick, name='ferry-spool', daemon=True)
        self.flusher.start()

    def _tick(self):
        while not self.closed:
            time.sleep(FLUSH_SECONDS)
            with self.lock:
                if not self.closed:
                    self._flush_text()

    def _write(self, rec):
        line = (_dumps(rec) + '\n').encode('ascii')
        self.file.write(line)
        self.size += len(line)
        self.records += 1

    def _flush_text(self):
        if self.pending:
            self._write({'t': 'text', 's': self.stream, 'x': ''.join(self.pending)})
            self.pending = []
            self.pending_len = 0

    def text(self, stream, s):
        """Queues printed text; False when the spool is closed (the caller writes elsewhere)."""
        with self.lock:
            if self.closed:
                return False
            if self.stream != stream:
                self._flush_text()
                self.stream = stream
            self.pending.append(s)
            self.pending_len += len(s)
            if self.pending_len >= TEXT_CHUNK:
                self._flush_text()
            return True

    def record(self, rec):
        with self.lock:
            if self.closed:
                return
            self._flush_text()
            self._write(rec)

    def close(self, status):
        with self.lock:
            if self.closed:
                return
            self._flush_text()
            self._write({'t': 'end', 'status': status})
            self.closed = True
            self.file.close()


class SpoolStream(io.TextIOBase):
    """sys.stdout / sys.stderr during a run: text goes to the spool, or after it, where it went before."""

    def __init__(self, spool, name, fallback):
        super().__init__()
        self._spool = spool
        self._name = name
        self._fallback = fallback

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError('write() argument must be str, not ' + type(s).__name__)
        if s and not self._spool.text(self._name, s):
            self._fallback.write(s)
        return len(s)

    def flush(self):
        pass

    def isatty(self):
        return False

    def writable(self):
        return True

    @property
    def encoding(self):
        return 'utf-8'

    def fileno(self):
        raise io.UnsupportedOperation('fileno')


# ----------------------------------------------------------------------------------------------
# Values, tables and figures as records


def cell(v):
    """One table cell as JSON: numbers, text, booleans and None; everything else as text."""
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v if abs(v) < 2 ** 53 else str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return None
        return v if math.isfinite(v) else ('Infinity' if v > 0 else '-Infinity')
    if isinstance(v, str):
        return v
    if isinstance(v, (bytes, bytearray)):
        return repr(bytes(v))
    item = getattr(v, 'item', None)
    if callable(item) and type(v).__module__ == 'numpy':
        try:
            return cell(item())
        except (TypeError, ValueError):
            pass
    try:
        if v != v:  # NaT, pd.NA and other missing values
            return None
    except (TypeError, ValueError):
        pass
    iso = getattr(v, 'isoformat', None)
    if callable(iso):
        try:
            return iso()
        except (TypeError, ValueError):
            pass
    if isinstance(v, (dict, list, tuple)):
        try:
            return json.dumps(v, default=str, allow_nan=False)
        except (TypeError, ValueError):
            pass
    return str(v)


def _type_of_values(values):
    """The column type a data person expects for an `object` column, from its first values."""
    seen = set()
    for v in values:
        if v is None:
            continue
        try:
            if v != v:
                continue
        except (TypeError, ValueError):
            pass
        if isinstance(v, bool):
            seen.add('boolean')
        elif isinstance(v, int):
            seen.add('integer')
        elif isinstance(v, float):
            seen.add('number')
        elif isinstance(v, str):
            seen.add('string')
        elif isinstance(v, datetime.datetime):
            seen.add('timestamp')
        elif isinstance(v, datetime.date):
            seen.add('date')
        elif isinstance(v, (dict, list, tuple)):
            seen.add('json')
        else:
            seen.add('string')
        if len(seen) > 1:
            break
    if seen == {'integer', 'number'}:
        return 'number'
    return seen.pop() if len(seen) == 1 else 'string'


def column_type(dtype, values):
    kind = getattr(dtype, 'kind', 'O')
    name = str(dtype)
    if kind == 'b' or name == 'boolean':
        return 'boolean'
    if kind in 'iu' or name.startswith(('Int', 'UInt')):
        return 'integer'
    if kind == 'f' or name.startswith('Float'):
        return 'number'
    if kind == 'M' or name.startswith('datetime64'):
        return 'timestamp'
    if kind == 'm':
        return 'string'
    if name == 'category':
        return _type_of_values(values[:100])
    if name in ('string', 'str'):
        return 'string'
    return _type_of_values(values[:100])


def _column_name(c):
    if isinstance(c, tuple):
        parts = [str(p) for p in c if p is not None and str(p) != '']
        return ' / '.join(parts)
    return str(c)


def table_record(df, max_rows):
    """A pandas DataFrame as Jupyter shows it: a non-default index (named or a MultiIndex) leads."""
    total = len(df)
    head = df.head(max_rows)
    idx = head.index
    plain = type(idx).__name__ == 'RangeIndex' and idx.name is None and getattr(idx, 'start', 0) == 0 and getattr(idx, 'step', 1) == 1
    columns = []
    arrays = []
    if not plain:
        levels = getattr(idx, 'nlevels', 1)
        names = list(getattr(idx, 'names', [idx.name]))
        for i in range(levels):
            values = idx.get_level_values(i) if levels > 1 else idx
            name = names[i] if i < len(names) else None
            label = str(name) if name is not None else ('index' if levels == 1 else 'level_%d' % i)
            seq = list(values)
            columns.append({'name': label, 'dtype': str(values.dtype), 'type': column_type(values.dtype, seq), 'index': True})
            arrays.append(seq)
    for j, c in enumerate(head.columns):
        series = head.iloc[:, j]
        seq = series.tolist()
        columns.append({'name': _column_name(c), 'dtype': str(series.dtype), 'type': column_type(series.dtype, seq)})
        arrays.append(seq)
    rows = [[cell(v) for v in r] for r in zip(*arrays)] if arrays else [[] for _ in range(len(head))]
    return {'t': 'table', 'columns': columns, 'rows': rows, 'total': total, 'truncated': total > max_rows}


def _is_pandas(obj, cls):
    t = type(obj)
    return t.__module__.split('.')[0] == 'pandas' and any(c.__name__ == cls for c in t.__mro__)


def _figure_png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format='png', bbox_inches='tight')
    return base64.b64encode(buf.getvalue()).decode('ascii')


class Session:
    """What one run needs: its spool, its options and the user's globals."""

    def __init__(self, args, g, spool):
        self.args = args
        self.g = g
        self.spool = spool
        self.max_rows = int(args.get('maxRows', 10000))

    def table(self, df):
        self.spool.record(table_record(df, self.max_rows))

    def figures(self):
        plt = sys.modules.get('matplotlib.pyplot')
        if plt is None:
            return
        for n in list(plt.get_fignums()):
            fig = plt.figure(n)
            self.spool.record({'t': 'image', 'png': _figure_png(fig)})
            plt.close(fig)

    def display(self, obj=None, *rest, **kw):
        if hasattr(obj, 'toPandas') and hasattr(obj, 'limit'):
            obj = obj.limit(self.max_rows + 1).toPandas()
        if _is_pandas(obj, 'Series'):
            obj = obj.to_frame()
        if _is_pandas(obj, 'DataFrame'):
            self.table(obj)
        elif hasattr(obj, 'savefig'):
            self.spool.record({'t': 'image', 'png': _figure_png(obj)})
            try:
                import matplotlib.pyplot as plt
                plt.close(obj)
            except Exception:  # noqa: BLE001 - closing is best effort
                pass
        elif obj is not None:
            print(repr(obj))


# The session of the run in progress, for display() and the patched plt.show().
_current = {'session': None}


def display(obj=None, *rest, **kw):
    s = _current['session']
    if s is not None:
        s.display(obj, *rest, **kw)
    elif obj is not None:
        print(repr(obj))


def _show(*args, **kw):
    s = _current['session']
    if s is not None:
        s.figures()


_show._ferry = True


def _patch_show(plt):
    if not getattr(plt.show, '_ferry', False):
        plt.show = _show


class _PyplotHook:
    """Patches plt.show the moment user code imports pyplot, without importing it ourselves."""

    _ferry = True

    def find_spec(self, name, path=None, target=None):
        if name != 'matplotlib.pyplot':
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, 'find_spec'):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None and hasattr(spec.loader, 'exec_module'):
                inner = spec.loader.exec_module

                def exec_module(module, inner=inner):
                    inner(module)
                    _patch_show(module)

                spec.loader.exec_module = exec_module
                return spec
        return None


def _install_pyplot_patch():
    os.environ.setdefault('MPLBACKEND', 'Agg')
    if 'matplotlib.pyplot' in sys.modules:
        _patch_show(sys.modules['matplotlib.pyplot'])
    elif not any(getattr(f, '_ferry', False) for f in sys.meta_path):
        sys.meta_path.insert(0, _PyplotHook())


# ----------------------------------------------------------------------------------------------
# Magics people use every day: %pip lines and %sh cells, with their output live


_PIP_LINE = re.compile(r'^(\s*)[%!]pip(?:\s+(.*))?$')
_SH_CELL = re.compile(r'^\s*%sh\b(.*)$')


def prepare(code):
    """('shell', script, first line) for a %sh cell; else ('python', code with %pip lines as calls, 0)."""
    lines = code.split('\n')
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None:
        m = _SH_CELL.match(lines[first])
        if m:
            head = m.group(1).strip()
            return 'shell', '\n'.join(([head] if head else []) + lines[first + 1:]), first + 1
    out = []
    for line in lines:
        m = _PIP_LINE.match(line)
        out.append("%s__import__('ferry_runtime').pip(%r)" % (m.group(1), (m.group(2) or '').strip()) if m else line)
    return 'python', '\n'.join(out), 0


def _stream(argv, cwd=None):
    """Runs a process with its output written to sys.stdout as it comes; returns its exit status."""
    proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0)
    import codecs
    decode = codecs.getincrementaldecoder('utf-8')('replace')
    try:
        while True:
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            sys.stdout.write(decode.decode(chunk))
        sys.stdout.write(decode.decode(b'', final=True))
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
        raise
    finally:
        proc.stdout.close()


class ShellError(Exception):
    pass


def shell(script, cwd=None):
    """A %sh cell: the script in bash on the driver, output live; a non-zero exit is an error."""
    sh = '/bin/bash' if os.path.exists('/bin/bash') else '/bin/sh'
    status = _stream([sh, '-c', script], cwd=cwd)
    if status != 0:
        raise ShellError('the shell exited with status %d' % status)


def _imported_from(dist_name):
    """Top-level modules of an installed distribution that this session has imported already."""
    try:
        from importlib import metadata
        dist = metadata.distribution(dist_name)
    except Exception:  # noqa: BLE001 - an unknown distribution simply has no modules to check
        return []
    tops = set()
    text = dist.read_text('top_level.txt') or ''
    tops.update(t.strip() for t in text.split() if t.strip())
    for f in dist.files or []:
        part = str(f).split('/')[0]
        if part.endswith('.py'):
            tops.add(part[:-3])
        elif '.' not in part and not part.endswith(('-info', '__pycache__')):
            tops.add(part)
    tops.add(re.sub(r'[-.]+', '_', dist_name).lower())
    return sorted(t for t in tops if t in sys.modules)


class PipError(Exception):
    pass


def pip(args):
    """A %pip line: pip in this session's Python, output live; says when a restart is needed."""
    argv = shlex.split(args)
    if not argv:
        raise PipError('%pip needs a pip command, e.g. %pip install pandas')
    buf = io.StringIO()
    real = sys.stdout

    class Tee(io.TextIOBase):
        def write(self, s):
            buf.write(s)
            return real.write(s)

    sys.stdout = Tee()
    try:
        status = _stream([sys.executable, '-m', 'pip'] + argv)
    finally:
        sys.stdout = real
    importlib.invalidate_caches()
    if status != 0:
        raise PipError('pip %s exited with status %d' % (argv[0], status))
    if argv[0] == 'install':
        m = re.search(r'Successfully installed (.+)', buf.getvalue())
        changed = []
        for item in (m.group(1).split() if m else []):
            name = re.sub(r'-[0-9][^-]*$', '', item)
            changed.extend(_imported_from(name))
        s = _current['session']
        if changed and s is not None:
            s.spool.record({'t': 'restart', 'modules': sorted(set(changed))})
            print('Note: %s was imported before this install; restart the session to use the new version.' % ', '.join(sorted(set(changed))))


# ----------------------------------------------------------------------------------------------
# The session's variables, for the Session view: listed without evaluating a DataFrame's rows


_SKIP_TYPES = (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType, type)
_REPR = reprlib.Repr()
_REPR.maxstring = 120
_REPR.maxother = 120
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 8
MAX_VARIABLES = 1000
MAX_COLUMNS = 500


def _is_spark_frame(v):
    return not _is_pandas(v, 'DataFrame') and hasattr(v, 'toPandas') and hasattr(v, 'limit') and (hasattr(v, 'dtypes') or hasattr(v, 'schema'))


def describe(name, v):
    """One variable as the Session view shows it; never counts or collects a Spark DataFrame."""
    t = type(v)
    info = {'name': name, 'type': t.__name__, 'module': t.__module__.split('.')[0]}
    try:
        if _is_pandas(v, 'DataFrame'):
            info.update(kind='dataframe', shape=list(v.shape), size=int(v.memory_usage(index=True, deep=False).sum()),
                        columns=[[_column_name(c), str(d)] for c, d in list(zip(v.columns, v.dtypes))[:MAX_COLUMNS]])
        elif _is_pandas(v, 'Series'):
            info.update(kind='series', shape=[len(v)], size=int(v.memory_usage(index=True, deep=False)), dtype=str(v.dtype))
        elif _is_spark_frame(v):
            dtypes = v.dtypes if hasattr(v, 'dtypes') else [(f.name, f.dataType.simpleString()) for f in v.schema.fields]
            info.update(kind='spark', columns=[[str(c), str(d)] for c, d in list(dtypes)[:MAX_COLUMNS]])
        elif t.__module__ == 'numpy' and hasattr(v, 'shape') and hasattr(v, 'nbytes'):
            info.update(kind='array', shape=[int(x) for x in v.shape], size=int(v.nbytes), dtype=str(v.dtype))
        elif isinstance(v, (list, tuple, dict, set, frozenset, str, bytes, bytearray)):
            info.update(kind='sized', shape=[len(v)], size=sys.getsizeof(v), preview=_REPR.repr(v))
        else:
            info.update(kind='value', size=sys.getsizeof(v), preview=_REPR.repr(v))
    except Exception as e:  # noqa: BLE001 - an odd object must not break the listing
        info.update(kind='value', preview='<%s: %s>' % (type(e).__name__, e))
    return info


def variables(g):
    """The user's variables: what the code made, not modules, functions or what the session had at the start."""
    baseline = g.get('__ferry_baseline') or set()
    out = []
    for name, v in list(g.items()):
        if name.startswith('_') or name in baseline or isinstance(v, _SKIP_TYPES) or callable(v) and not hasattr(v, 'shape'):
            continue
        out.append(describe(name, v))
        if len(out) >= MAX_VARIABLES:
            break
    out.sort(key=lambda x: x['name'].lower())
    return out


def session_file(session_id):
    return spool_file('vars-' + str(session_id))


def _write_variables(session_id, listing):
    """The latest listing of a session, for the reader session to read while a run goes on."""
    path = session_file(session_id)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='ascii') as f:
        f.write(_dumps({'t': 'vars', 'at': time.time(), 'vars': listing}) + '\n')
    os.replace(tmp, path)


# ----------------------------------------------------------------------------------------------
# Running the user's code


def _workspace_mapping():
    # Where the driver mounts the workspace, when it is not /Workspace (a local stand-in).
    fsroot = os.environ.get('FERRY_WORKSPACE_FS_ROOT', '').rstrip('/')

    def on_driver(p):
        if fsroot and (p == '/Workspace' or p.startswith('/Workspace/')) and not os.path.isdir('/Workspace'):
            return fsroot + p[len('/Workspace'):]
        return p

    def remote_text(t):
        return t.replace(fsroot + '/', '/Workspace/') if fsroot else t

    return on_driver, remote_text


def _reload_changed(g, root):
    seen = g.setdefault('__ferry_mtimes', {})
    for name, mod in list(sys.modules.items()):
        f = getattr(mod, '__file__', None)
        if not f or not str(f).startswith(root + '/'):
            continue
        try:
            m = os.path.getmtime(f)
        except OSError:
            m = None
        if name in seen and seen[name] != m:
            del sys.modules[name]
        seen[name] = m
    return seen


def _remember_imports(root, seen):
    for name, mod in list(sys.modules.items()):
        f = getattr(mod, '__file__', None)
        if f and str(f).startswith(root + '/') and name not in seen:
            try:
                seen[name] = os.path.getmtime(f)
            except OSError:
                pass


def _user_traceback(exc, remote_text):
    own = _user_traceback.__code__.co_filename  # RUNTIME_FILE when Ferry installed it, the path in tests
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename in (own, RUNTIME_FILE):
        tb = tb.tb_next
    return remote_text(''.join(traceback.format_exception(type(exc), exc, tb)))


def execute(args, g, session):
    """Runs the code; returns 'ok', 'error' or 'exit'. KeyboardInterrupt propagates (a cancel)."""
    on_driver, remote_text = _workspace_mapping()
    root = on_driver(args['root'])
    seen = _reload_changed(g, root)
    file = args['file']
    folder = os.path.dirname(on_driver(file))
    g['__file__'] = on_driver(file)
    g['display'] = display
    if os.path.isdir(folder):
        os.chdir(folder)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    import linecache
    importlib.invalidate_caches()
    g.setdefault('__ferry_baseline', set(g.keys()) | {'display', '__file__'})
    offset = max(0, int(args.get('offset', 0)))
    kind, code, _ = prepare(args['code'])
    src_lines = ['\n'] * offset + [line + '\n' for line in args['code'].split('\n')]
    linecache.cache[file] = (sum(len(line) for line in src_lines), None, src_lines, file)
    status = 'ok'
    value = None
    try:
        if kind == 'shell':
            shell(code, cwd=folder if os.path.isdir(folder) else None)
            code = 'pass'
        tree = ast.parse(code, file, 'exec')
        ast.increment_lineno(tree, offset)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, file, 'exec'), g)
        if last is not None:
            value = eval(compile(last, file, 'eval'), g)
    except KeyboardInterrupt:
        raise
    except SystemExit as e:
        code_ = e.code
        session.spool.record({'t': 'exit', 'code': code_ if isinstance(code_, (int, type(None))) else str(code_)})
        status = 'exit'
    except BaseException as e:  # noqa: BLE001 - user code may raise anything
        session.spool.record({'t': 'error', 'ename': type(e).__name__, 'evalue': str(e), 'traceback': _user_traceback(e, remote_text)})
        status = 'error'
    if status == 'ok' and value is not None:
        if _is_pandas(value, 'DataFrame'):
            session.table(value)
            value = None
        else:
            g['_'] = value
    session.figures()
    if value is not None:
        session.spool.record({'t': 'value', 'repr': repr(value)})
    _remember_imports(root, seen)
    if args.get('session'):
        listing = variables(g)
        session.spool.record({'t': 'vars', 'vars': listing})
        try:
            _write_variables(args['session'], listing)
        except OSError:
            pass
    return status


def _prune(drop):
    root = spool_root()
    now = time.time()
    names = set(str(d) for d in drop or [])
    for name in os.listdir(root):
        p = os.path.join(root, name)
        try:
            if name in names or now - os.path.getmtime(p) > SPOOL_MAX_AGE_SECONDS:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass


def _encode(raw):
    return base64.b64encode(zlib.compress(raw, 6)).decode('ascii')


def run(args_b64, g):
    """Runs one command's code with its outputs in the spool; prints a short summary as the result."""
    args = json.loads(base64.b64decode(args_b64).decode('utf-8'))
    run_id = args['run']
    budget = int(args.get('budget', 45000))
    try:
        _prune(args.get('drop'))
    except OSError:
        pass
    path = spool_file(run_id)
    spool = Spool(path)
    session = Session(args, g, spool)
    _install_pyplot_patch()
    out, err = sys.stdout, sys.stderr
    sys.stdout = SpoolStream(spool, 'out', out)
    sys.stderr = SpoolStream(spool, 'err', err)
    _current['session'] = session
    status = 'cancelled'
    try:
        status = execute(args, g, session)
    finally:
        _current['session'] = None
        sys.stdout, sys.stderr = out, err
        spool.close(status)
    summary = {'t': 'summary', 'run': run_id, 'size': spool.size, 'records': spool.records, 'status': status}
    # A small run's whole output rides along, so that it costs no extra round trip.
    room = budget - len(MARK) - len(_dumps(summary)) - 32
    if spool.size <= room * 16:
        with open(path, 'rb') as f:
            inline = _encode(f.read())
        if len(inline) <= room:
            summary['inline'] = inline
    sys.stdout.write(MARK + _dumps(summary) + '\n')


def read(run_id, offset, budget, hint=0.0, limit=0):
    """Prints one slice of a spool from `offset`: a header line, then the bytes compressed and base64'd.

    The result stays within `budget` characters; `hint` is the raw-to-encoded ratio of the last slice
    (how many spool bytes one character of result carried), to size this one; `limit`, when set, is
    the most spool bytes to take (readers working side by side on disjoint ranges).
    """
    path = spool_file(run_id)
    offset = max(0, int(offset))
    try:
        size = os.path.getsize(path)
    except OSError:
        sys.stdout.write(MARK + _dumps({'t': 'slice', 'o': offset, 'n': 0, 'size': -1, 'c': 0}) + '\n')
        return
    room = int(budget) - len(MARK) - 160
    avail = max(0, size - offset)
    if limit and int(limit) > 0:
        avail = min(avail, int(limit))
    ratio = float(hint) if hint and hint > 0 else 1.0
    # Read what this slice can carry at the last slice's ratio, with room to grow if it compresses better.
    with open(path, 'rb') as f:
        f.seek(offset)
        data = f.read(min(avail, MAX_SLICE_BYTES, max(65536, int(room * ratio * 4))))
    n = min(len(data), max(1024, int(room * ratio * 0.9)))
    enc = _encode(data[:n]) if n else ''
    for _ in range(6):
        if len(enc) > room:
            n = max(1, int(n * room * 0.85 / len(enc)))
        elif n < len(data) and len(enc) < room * 0.6:
            n = min(len(data), int(n * room * 0.85 / max(1, len(enc))))
        else:
            break
        enc = _encode(data[:n])
    while len(enc) > room and n > 1:
        n //= 2
        enc = _encode(data[:n])
    header = {'t': 'slice', 'o': offset, 'n': n, 'size': size, 'c': len(enc)}
    sys.stdout.write(MARK + _dumps(header) + '\n' + enc)
