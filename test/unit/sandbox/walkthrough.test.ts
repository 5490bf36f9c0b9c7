// The "Get started with Ferry" walkthrough follows the sandbox's flow, and its buttons only run
// commands Ferry contributes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; altText?: string };
  completionEvents?: string[];
}

describe('walkthrough (contributes.walkthroughs)', () => {
  const walkthroughs: Array<{ id: string; title: string; steps: Step[] }> = pkg.contributes.walkthroughs ?? [];
  const commands = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));

  it('takes the user through connect, upload, run, results, table, query, in that order', () => {
    assert.equal(walkthroughs.length, 1);
    const titles = walkthroughs[0].steps.map((s) => s.title).join(' | ');
    assert.match(titles, /Connect.*\|.*Upload.*\|.*Run.*cluster.*\|.*results.*\|.*Athena table.*\|.*Query/i);
  });

  it('has unique step ids and a markdown page for every step', () => {
    const steps = walkthroughs.flatMap((w) => w.steps);
    assert.equal(new Set(steps.map((s) => s.id)).size, steps.length);
    for (const s of steps) {
      assert.ok(s.media.markdown, `${s.id} has no markdown media`);
      const file = path.join(REPO, s.media.markdown);
      assert.ok(fs.existsSync(file), `${s.media.markdown} is missing`);
      assert.match(fs.readFileSync(file, 'utf8'), /^# /, `${s.media.markdown} has no heading`);
    }
  });

  it('only links and waits for commands that package.json contributes', () => {
    for (const s of walkthroughs.flatMap((w) => w.steps)) {
      const links = [...s.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);
      assert.ok(links.length > 0, `${s.id} has no button`);
      for (const id of links) assert.ok(commands.has(id), `${s.id} links to unknown command ${id}`);
      for (const e of s.completionEvents ?? []) {
        if (e.startsWith('onCommand:')) assert.ok(commands.has(e.slice('onCommand:'.length)), `${s.id} waits for unknown ${e}`);
        if (e.startsWith('onView:')) {
          const views = Object.values(pkg.contributes.views as Record<string, Array<{ id: string }>>)
            .flat()
            .map((v) => v.id);
          assert.ok(views.includes(e.slice('onView:'.length)), `${s.id} waits for unknown view ${e}`);
        }
      }
    }
  });

  it('ships the walkthrough pages in the package (not excluded by .vscodeignore)', () => {
    const ignore = fs.existsSync(path.join(REPO, '.vscodeignore')) ? fs.readFileSync(path.join(REPO, '.vscodeignore'), 'utf8') : '';
    // Either nothing excludes media/, or an ignore-everything rule is followed by !media/**.
    if (/^\*\*$/m.test(ignore)) assert.match(ignore, /^!media\/\*\*$/m);
    assert.doesNotMatch(ignore, /^media\/walkthrough/m);
  });

  it("names commands by their palette titles in the README, the walkthrough, and the sandbox's demo and hints", () => {
    const titles = new Set<string>(
      pkg.contributes.commands.map((c: { category?: string; title: string }) => (c.category ? `${c.category}: ${c.title}` : c.title)),
    );
    const categories = new Set<string>(pkg.contributes.commands.map((c: { category?: string }) => c.category).filter(Boolean));
    const pages = [
      path.join(REPO, 'README.md'),
      ...fs.readdirSync(path.join(REPO, 'media', 'walkthrough')).map((f) => path.join(REPO, 'media', 'walkthrough', f)),
    ];
    const texts = pages.map((f) => ({ where: path.relative(REPO, f), text: fs.readFileSync(f, 'utf8') }));
    // The sandbox's demo workspace (its README and the notebook's cells) and its "what to try".
    const demo = path.join(REPO, 'sandbox', 'demo', 'workspace');
    texts.push({ where: 'sandbox/demo/workspace/README.md', text: fs.readFileSync(path.join(demo, 'README.md'), 'utf8') });
    const nb = JSON.parse(fs.readFileSync(path.join(demo, 'explore.ipynb'), 'utf8')) as { cells: Array<{ source: string | string[] }> };
    texts.push(...nb.cells.map((c, i) => ({ where: `explore.ipynb cell ${i + 1}`, text: Array.isArray(c.source) ? c.source.join('') : c.source })));
    const launcher = fs.readFileSync(path.join(REPO, 'sandbox', 'launcher', 'main.ts'), 'utf8');
    texts.push({ where: 'sandbox/launcher/main.ts', text: launcher.replace(/"([A-Z][A-Za-z0-9]*: [^"\n<]+?)"/g, '*$1*') });
    texts.push(...walkthroughs.flatMap((w) => w.steps.map((st) => ({ where: `step ${st.id}`, text: `${st.title}\n${st.description}` }))));
    const wrong: string[] = [];
    let checked = 0;
    for (const { where, text } of texts) {
      // *Category: Title* or **Category: Title**, as the docs write palette commands.
      for (const m of text.matchAll(/\*{1,2}([A-Z][A-Za-z0-9]*): ([^*\n<]+?)\*{1,2}/g)) {
        if (!categories.has(m[1])) continue;
        checked++;
        if (!titles.has(`${m[1]}: ${m[2]}`)) wrong.push(`${where}: "${m[1]}: ${m[2]}"`);
      }
    }
    assert.ok(checked > 5, `only ${checked} command names found: the pattern no longer matches the docs`);
    assert.deepEqual(wrong, [], 'command names that no command has');
  });
});
