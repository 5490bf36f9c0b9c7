// Checks an MLflow runs filter before it is sent, so that a typo gets a message that says what to
// write instead of the service's terse INVALID_PARAMETER_VALUE. The syntax (services-2026.md §6):
// comparisons joined by AND (no OR, no brackets), each `<entity>.<key> <op> <value>`:
//   metrics.auc > 0.8 and params.model = 'rf' and tags."team name" = 'ml' and attributes.status = 'FINISHED'
// Metrics and the time attributes compare with numbers; params, tags and the other attributes with
// quoted strings (=, !=, LIKE, ILIKE, IN (…), NOT IN (…)). Keys with odd characters are quoted
// with double quotes or backticks. The service stays the judge: what passes here may still be refused.

export type FilterCheck = { ok: true; clauses: number } | { ok: false; message: string };

const ENTITIES: Record<string, 'metric' | 'param' | 'tag' | 'attribute'> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
};

const STRING_ATTRS = ['run_id', 'run_name', 'status', 'user_id', 'artifact_uri'];
const NUMBER_ATTRS = ['start_time', 'end_time', 'created'];
const NUMBER_OPS = ['=', '!=', '>', '>=', '<', '<='];
const STRING_OPS = ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'];
const STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

const EXAMPLE = "e.g. metrics.auc > 0.8 and params.model = 'rf'";

interface Tok {
  kind: 'word' | 'quoted' | 'string' | 'number' | 'op' | '(' | ')' | ',';
  text: string;
  at: number;
}

function tokens(text: string): Tok[] | string {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === "'" || c === '"' || c === '`') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return `The quote ${c} at column ${at + 1} is never closed.`;
      out.push({ kind: c === "'" ? 'string' : 'quoted', text: text.slice(i + 1, end), at });
      i = end + 1;
      continue;
    }
    const op = /^(==|!=|>=|<=|<>|=|>|<)/.exec(text.slice(i));
    if (op) {
      if (op[1] === '==') return `Use = rather than == (column ${at + 1}).`;
      out.push({ kind: 'op', text: op[1] === '<>' ? '!=' : op[1], at });
      i += op[1].length;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: c, text: c, at });
      i++;
      continue;
    }
    if (c === '&' || c === '|')
      return `Use the word ${c === '&' ? 'AND' : 'OR'} rather than ${c}${text[i + 1] === c ? c : ''} (column ${at + 1})${c === '|' ? '; and MLflow filters have no OR at all' : ''}.`;
    const num = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(?![\w.])/.exec(text.slice(i));
    if (num) {
      out.push({ kind: 'number', text: num[0], at });
      i += num[0].length;
      continue;
    }
    const word = /^[\w.\-:/]+/.exec(text.slice(i));
    if (!word) return `Unexpected "${c}" at column ${at + 1}.`;
    out.push({ kind: 'word', text: word[0], at });
    i += word[0].length;
  }
  return out;
}

/** Checks the filter; an empty one is fine (every run). */
export function checkRunFilter(text: string): FilterCheck {
  if (!text.trim()) return { ok: true, clauses: 0 };
  const toks = tokens(text);
  if (typeof toks === 'string') return { ok: false, message: toks };
  let pos = 0;
  let clauses = 0;
  for (;;) {
    const t = toks[pos];
    if (!t) return { ok: false, message: `The filter ends after AND: add a comparison, ${EXAMPLE}.` };
    if (t.kind === '(') return { ok: false, message: 'MLflow filters take no brackets around comparisons: join them with AND.' };
    if (t.kind !== 'word')
      return { ok: false, message: `Expected a name such as metrics.auc at column ${t.at + 1}, found ${t.kind === 'string' ? `'${t.text}'` : t.text}.` };
    const dot = t.text.indexOf('.');
    const prefix = dot < 0 ? t.text : t.text.slice(0, dot);
    const entity = ENTITIES[prefix.toLowerCase()];
    if (!entity) {
      if (/^(and|or|not)$/i.test(t.text)) return { ok: false, message: `"${t.text}" at column ${t.at + 1} needs a comparison before it.` };
      const bare = dot < 0 ? `: write metrics.${t.text}, params.${t.text} or tags.${t.text}` : '; use metrics., params., tags. or attributes.';
      return { ok: false, message: `"${prefix}" is not something runs are filtered by${bare}.` };
    }
    let key = dot < 0 ? '' : t.text.slice(dot + 1);
    pos++;
    if (!key && t.text.endsWith('.') && toks[pos]?.kind === 'quoted') key = toks[pos++].text;
    if (!key)
      return {
        ok: false,
        message: `${t.text} names no ${entity}: write ${prefix}.<name>${entity === 'attribute' ? ` (${[...STRING_ATTRS, ...NUMBER_ATTRS].join(', ')})` : ''}.`,
      };
    const name = `${prefix}.${key}`;
    let kind: 'number' | 'string' = entity === 'metric' ? 'number' : 'string';
    if (entity === 'attribute') {
      const k = key.toLowerCase();
      if (NUMBER_ATTRS.includes(k)) kind = 'number';
      else if (!STRING_ATTRS.includes(k))
        return { ok: false, message: `Runs have no attribute "${key}"; the attributes are ${[...STRING_ATTRS, ...NUMBER_ATTRS].join(', ')}.` };
    }
    const o = toks[pos];
    if (!o) return { ok: false, message: `${name} needs a comparison, e.g. ${kind === 'number' ? `${name} > 0.8` : `${name} = 'value'`}.` };
    let op: string;
    if (o.kind === 'op') op = o.text;
    else if (o.kind === 'word' && /^(like|ilike|in)$/i.test(o.text)) op = o.text.toUpperCase();
    else if (o.kind === 'word' && /^not$/i.test(o.text) && /^in$/i.test(toks[pos + 1]?.text ?? '')) {
      op = 'NOT IN';
      pos++;
    } else return { ok: false, message: `"${o.text}" after ${name} is not a comparison; use ${(kind === 'number' ? NUMBER_OPS : STRING_OPS).join(' ')}.` };
    pos++;
    const allowed = kind === 'number' ? NUMBER_OPS : STRING_OPS;
    if (!allowed.includes(op))
      return {
        ok: false,
        message:
          kind === 'number'
            ? `${name} is a number: compare it with ${NUMBER_OPS.join(' ')} (not ${op}).`
            : `${name} is text: compare it with ${STRING_OPS.join(', ')} (not ${op}); to compare as numbers, log it as a metric.`,
      };
    if (op === 'IN' || op === 'NOT IN') {
      if (toks[pos]?.kind !== '(') return { ok: false, message: `${op} takes a list in brackets: ${name} ${op} ('a', 'b').` };
      pos++;
      let n = 0;
      while (toks[pos] && toks[pos].kind !== ')') {
        if (toks[pos].kind !== 'string') return { ok: false, message: `The values in ${name} ${op} (…) must be in single quotes.` };
        n++;
        pos++;
        if (toks[pos]?.kind === ',') pos++;
      }
      if (!toks[pos]) return { ok: false, message: `The list after ${name} ${op} is never closed with ).` };
      if (!n) return { ok: false, message: `The list after ${name} ${op} is empty.` };
      pos++;
    } else {
      const v = toks[pos];
      if (!v) return { ok: false, message: `${name} ${op} needs a value, e.g. ${kind === 'number' ? `${name} ${op} 0.8` : `${name} ${op} 'value'`}.` };
      if (kind === 'number' && v.kind !== 'number')
        return {
          ok: false,
          message: `${name} is a number: compare it with a number, not ${v.kind === 'string' ? `'${v.text}'` : v.text}${v.kind === 'string' && Number.isFinite(Number(v.text)) ? ` (drop the quotes: ${v.text})` : ''}.`,
        };
      if (kind === 'string' && v.kind === 'number') return { ok: false, message: `${name} is text: put the value in single quotes ('${v.text}').` };
      if (kind === 'string' && v.kind === 'word') return { ok: false, message: `Put the value ${v.text} in single quotes: ${name} ${op} '${v.text}'.` };
      if (kind === 'string' && v.kind === 'quoted' && v.text) {
        // A double-quoted value is a name to MLflow, not a string.
        return { ok: false, message: `Use single quotes for values: ${name} ${op} '${v.text}'.` };
      }
      if (entity === 'attribute' && key.toLowerCase() === 'status' && op === '=' && !STATUSES.includes(v.text))
        return { ok: false, message: `A run's status is one of ${STATUSES.join(', ')}.` };
      pos++;
    }
    clauses++;
    const next = toks[pos];
    if (!next) return { ok: true, clauses };
    if (next.kind === 'word' && /^or$/i.test(next.text))
      return { ok: false, message: 'MLflow filters have no OR: every comparison must hold (AND). Run two searches instead.' };
    if (next.kind !== 'word' || !/^and$/i.test(next.text)) return { ok: false, message: `Expected AND at column ${next.at + 1}, found ${next.text}.` };
    pos++;
  }
}
