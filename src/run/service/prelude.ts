// The Python that wraps user code before it goes to the cluster. One 1.2 command returns one
// result, so to show every output of a run (prints, several tables, several figures, and the
// error) the wrapper writes them all to stdout, in order, as text with marker lines that
// convertResults() splits again. It also sets __file__, the working directory and sys.path to the
// file's remote folder, compiles the code under the remote file name with its real line numbers
// (so tracebacks name the file and line the user sees), and drops modules of the project that
// changed since they were imported (pushed siblings take effect without a restart).
// A driver that mounts the workspace elsewhere than /Workspace (the local stand-in) names the
// mount in FERRY_WORKSPACE_FS_ROOT; tracebacks are written back in /Workspace form.

/** Start of a marker line in the text result: ASCII record separator + tag. */
export const RECORD_MARK = '\u001eFERRY:';

export interface WrapOptions {
  /** The user's code (a whole file, a cell or a selection). */
  code: string;
  /** The remote (driver) path the code is attributed to, e.g. /Workspace/Users/a/ferry/proj/train.py. */
  remoteFile: string;
  /** The remote project root; modules below it are reloaded when their file changed. */
  remoteRoot: string;
  /** 0-based line of the file where `code` starts (cells and selections), so line numbers match. */
  lineOffset?: number;
  /** Most rows of a table sent back per display() call (default 10,000). */
  maxRows?: number;
}

const PYTHON = String.raw`
def __ferry_run(__ferry_args):
    import ast, base64, json, math, os, sys, traceback
    a = json.loads(base64.b64decode(__ferry_args).decode('utf-8'))
    g = globals()
    mark = a['mark']
    def emit(rec):
        sys.stdout.flush()
        sys.stdout.write('\n' + mark + json.dumps(rec, default=str) + '\n')
        sys.stdout.flush()
    def cell(v):
        if v is None: return None
        if isinstance(v, bool): return v
        if isinstance(v, int): return v if abs(v) < 2**53 else str(v)
        if isinstance(v, float): return None if math.isnan(v) else (v if math.isfinite(v) else str(v))
        if isinstance(v, str): return v
        try:
            import numpy
            if isinstance(v, numpy.generic): return cell(v.item())
        except Exception: pass
        if hasattr(v, 'isoformat'):
            try: return v.isoformat()
            except Exception: pass
        return str(v)
    def emit_table(df):
        limit = a['maxRows']
        total = len(df)
        head = df.head(limit)
        cols = [{'name': str(c), 'dtype': str(t)} for c, t in zip(head.columns, head.dtypes)]
        rows = [[cell(v) for v in r] for r in head.itertuples(index=False, name=None)]
        emit({'t': 'table', 'columns': cols, 'rows': rows, 'total': total, 'truncated': total > limit})
    def emit_figures():
        plt = sys.modules.get('matplotlib.pyplot')
        if plt is None: return
        import io
        for n in list(plt.get_fignums()):
            fig = plt.figure(n)
            buf = io.BytesIO()
            fig.savefig(buf, format='png', bbox_inches='tight')
            emit({'t': 'image', 'png': base64.b64encode(buf.getvalue()).decode('ascii')})
            plt.close(fig)
    def display(obj=None, *rest, **kw):
        if hasattr(obj, 'toPandas') and hasattr(obj, 'limit'):
            obj = obj.limit(a['maxRows'] + 1).toPandas()
        if hasattr(obj, 'to_frame') and hasattr(obj, 'dtype'):
            obj = obj.to_frame()
        if hasattr(obj, 'itertuples') and hasattr(obj, 'dtypes'):
            emit_table(obj)
        elif hasattr(obj, 'savefig'):
            import io
            buf = io.BytesIO()
            obj.savefig(buf, format='png', bbox_inches='tight')
            emit({'t': 'image', 'png': base64.b64encode(buf.getvalue()).decode('ascii')})
        elif obj is not None:
            print(repr(obj))
    g['display'] = display
    os.environ.setdefault('MPLBACKEND', 'Agg')
    def patch_show(plt):
        if getattr(plt.show, '_ferry', False): return
        def show(*args, **kw): g['__ferry_emit_figures']()
        show._ferry = True
        plt.show = show
    g['__ferry_patch_show'] = patch_show
    if 'matplotlib.pyplot' in sys.modules:
        patch_show(sys.modules['matplotlib.pyplot'])
    elif not any(getattr(f, '_ferry', False) for f in sys.meta_path):
        # Patch plt.show the moment user code imports pyplot, without importing it ourselves.
        class Hook:
            _ferry = True
            def find_spec(self, name, path=None, target=None):
                if name != 'matplotlib.pyplot': return None
                for f in sys.meta_path:
                    if f is self or not hasattr(f, 'find_spec'): continue
                    spec = f.find_spec(name, path, target)
                    if spec is not None and spec.loader is not None and hasattr(spec.loader, 'exec_module'):
                        inner = spec.loader.exec_module
                        def exec_module(module, inner=inner):
                            inner(module)
                            g['__ferry_patch_show'](module)
                        spec.loader.exec_module = exec_module
                        return spec
                return None
        sys.meta_path.insert(0, Hook())
    g['__ferry_emit_figures'] = emit_figures
    # Where the driver mounts the workspace, when it is not /Workspace (a local stand-in).
    fsroot = os.environ.get('FERRY_WORKSPACE_FS_ROOT', '').rstrip('/')
    def on_driver(p):
        if fsroot and (p == '/Workspace' or p.startswith('/Workspace/')) and not os.path.isdir('/Workspace'):
            return fsroot + p[len('/Workspace'):]
        return p
    def remote_text(t):
        return t.replace(fsroot + '/', '/Workspace/') if fsroot else t
    root = on_driver(a['root'])
    seen = g.setdefault('__ferry_mtimes', {})
    for name, mod in list(sys.modules.items()):
        f = getattr(mod, '__file__', None)
        if not f or not str(f).startswith(root + '/'): continue
        try: m = os.path.getmtime(f)
        except OSError: m = None
        if name in seen and seen[name] != m: del sys.modules[name]
        seen[name] = m
    file = a['file']
    folder = os.path.dirname(on_driver(file))
    g['__file__'] = on_driver(file)
    if os.path.isdir(folder): os.chdir(folder)
    if folder not in sys.path: sys.path.insert(0, folder)
    import importlib
    importlib.invalidate_caches()
    import linecache
    src_lines = ['\n'] * a['offset'] + [l + '\n' for l in a['code'].split('\n')]
    linecache.cache[file] = (sum(len(l) for l in src_lines), None, src_lines, file)
    value = None
    try:
        tree = ast.parse(a['code'], file, 'exec')
        ast.increment_lineno(tree, a['offset'])
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, file, 'exec'), g)
        if last is not None:
            value = eval(compile(last, file, 'eval'), g)
    except Exception as e:
        sys.stdout.flush()
        tb = e.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_name == '__ferry_run': tb = tb.tb_next
        text = remote_text(''.join(traceback.format_exception(type(e), e, tb)))
        emit({'t': 'error', 'ename': type(e).__name__, 'evalue': str(e), 'traceback': text})
        emit_figures()
        return None
    if value is not None and hasattr(value, 'itertuples') and hasattr(value, 'dtypes'):
        emit_table(value)
        value = None
    emit_figures()
    if value is not None:
        emit({'t': 'value', 'repr': repr(value)})
    for name, mod in list(sys.modules.items()):
        f = getattr(mod, '__file__', None)
        if f and str(f).startswith(root + '/') and name not in seen:
            try: seen[name] = os.path.getmtime(f)
            except OSError: pass
    return None
`;

/** The complete command text sent to commands/execute. */
export function wrapPython(opts: WrapOptions): string {
  const args = {
    mark: RECORD_MARK,
    code: opts.code,
    file: opts.remoteFile,
    root: opts.remoteRoot,
    offset: Math.max(0, opts.lineOffset ?? 0),
    maxRows: opts.maxRows ?? 10_000,
  };
  const b64 = Buffer.from(JSON.stringify(args), 'utf8').toString('base64');
  return `${PYTHON.trim()}\n__ferry_run('${b64}')\n`;
}
