// A requirements.txt beside a file, as the `dependencies` of a serverless environment. Each
// dependency is one pip requirement line (specifiers, wheel paths on the workspace or a volume, VCS
// URLs; docs/reference/services-2026.md §2). A local path (./dist/x.whl) is rewritten to where
// Ferry pushes that file in the workspace; pip options (-r, -e, --index-url …) have no place in an
// environment spec and are reported as skipped rather than sent.

export interface RequirementsPlan {
  dependencies: string[];
  /** Local files the dependencies name (as `resolve` gave them); pushed with the job. */
  localFiles: string[];
  skipped: Array<{ line: number; text: string; why: string }>;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const ARCHIVE = /\.(whl|tar\.gz|tgz|zip)$/i;

/**
 * A requirement that names a local file (a relative path, or a bare archive name), split into the
 * path and what follows it (extras, environment markers), which stay on the rewritten line.
 */
function localPathOf(requirement: string): { path: string; suffix: string } | undefined {
  const marker = requirement.indexOf(';');
  const head = (marker >= 0 ? requirement.slice(0, marker) : requirement).trimEnd();
  const spec = head.replace(/\[[^\]]*\]$/, '');
  if (SCHEME.test(spec) || spec.startsWith('/') || /\s/.test(spec)) return undefined;
  const normal = spec.replace(/\\/g, '/');
  if (normal.startsWith('./') || normal.startsWith('../') || ARCHIVE.test(normal)) return { path: normal, suffix: requirement.slice(spec.length) };
  return undefined;
}

/**
 * Parses `text` (the content of requirements.txt). `resolve` maps a path relative to the
 * requirements file ('/'-separated) to the local file and its workspace path, or says why it
 * cannot go with the job.
 */
export function planRequirements(text: string, resolve: (relative: string) => { local: string; remote: string } | { why: string }): RequirementsPlan {
  const plan: RequirementsPlan = { dependencies: [], localFiles: [], skipped: [] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let line = lines[i];
    // A trailing backslash continues the requirement on the next line (pip's rule).
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i];
    const text = line.replace(/(^|\s)#.*$/, '').trim();
    if (!text) continue;
    if (text.startsWith('-')) {
      plan.skipped.push({ line: first, text, why: 'pip options are not dependencies of a serverless environment' });
      continue;
    }
    if (/^[a-z]:[\\/]/i.test(text) || text.startsWith('file:')) {
      plan.skipped.push({ line: first, text, why: 'a path on this machine means nothing on serverless: use a path relative to requirements.txt' });
      continue;
    }
    const local = localPathOf(text);
    if (local === undefined) {
      plan.dependencies.push(text);
      continue;
    }
    const file = resolve(local.path);
    if ('why' in file) {
      plan.skipped.push({ line: first, text, why: file.why });
      continue;
    }
    plan.localFiles.push(file.local);
    plan.dependencies.push(file.remote + local.suffix);
  }
  return plan;
}
