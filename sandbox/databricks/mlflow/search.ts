// The stand-in's MLflow search syntax: `filter` strings of runs/search and experiments/search, and
// `order_by` clauses, parsed and evaluated the way the tracking service does
// (docs/reference/services-2026.md §6; databricks-api.md §7). Written apart from Ferry's own
// validator (src/databricks/mlflow/filter.ts) on purpose: a filter the client lets through wrongly
// must still be refused here, as the real service refuses it.
//
// A filter is an AND of comparisons `<entity>.<key> <op> <value>`; there is no OR and no brackets
// around clauses. Entities: metrics (numbers), params and tags (strings), attributes (run_id,
// run_name, status, user_id, artifact_uri, start_time, end_time, created). Databricks documents
// `= != > >= < <=`; LIKE, ILIKE, IN and NOT IN come from OSS MLflow ([unconfirmed] on Databricks,
// served here so that a client using them is not surprised by a refusal).
import { invalidParam } from '../http';

export type Entity = 'metric' | 'param' | 'tag' | 'attribute';
export type Op = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

export interface Clause {
  entity: Entity;
  key: string;
  op: Op;
  value: string | number | Array<string>;
}

const ENTITY_ALIASES: Record<string, Entity> = {
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

const RUN_STRING_ATTRS = new Set(['run_id', 'run_name', 'status', 'user_id', 'artifact_uri', 'lifecycle_stage']);
const RUN_NUMBER_ATTRS = new Set(['start_time', 'end_time', 'created']);

interface Token {
  kind: 'ident' | 'string' | 'number' | 'op' | 'word' | 'lparen' | 'rparen' | 'comma';
  text: string;
  at: number;
}

function tokenize(filter: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      let text = '';
      while (j < filter.length && filter[j] !== c) {
        if (filter[j] === '\\' && j + 1 < filter.length) j++;
        text += filter[j++];
      }
      if (j >= filter.length) throw invalidParam(`Invalid filter '${filter}': unterminated quote at position ${at}`);
      out.push({ kind: c === "'" ? 'string' : 'ident', text, at });
      i = j + 1;
      continue;
    }
    const two = filter.slice(i, i + 2);
    if (['!=', '>=', '<=', '<>'].includes(two)) {
      out.push({ kind: 'op', text: two === '<>' ? '!=' : two, at });
      i += 2;
      continue;
    }
    if ('=<>'.includes(c)) {
      out.push({ kind: 'op', text: c, at });
      i++;
      continue;
    }
    if (c === '(') out.push({ kind: 'lparen', text: c, at });
    else if (c === ')') out.push({ kind: 'rparen', text: c, at });
    else if (c === ',') out.push({ kind: 'comma', text: c, at });
    if ('(),'.includes(c)) {
      i++;
      continue;
    }
    const num = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(filter.slice(i));
    if (num && (out.length === 0 || out[out.length - 1].kind !== 'ident')) {
      out.push({ kind: 'number', text: num[0], at });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z0-9_.\-:/]+/.exec(filter.slice(i));
    if (!word) throw invalidParam(`Invalid filter '${filter}': unexpected character '${c}' at position ${at}`);
    out.push({ kind: 'word', text: word[0], at });
    i += word[0].length;
  }
  return out;
}

/** Splits `metrics.auc` (or `metrics."model class"`, `metrics.\`x\``) into entity and key. */
function identifier(tokens: Token[], pos: number, filter: string): { entity: Entity; key: string; next: number } {
  const t = tokens[pos];
  if (!t || t.kind !== 'word') throw invalidParam(`Invalid filter '${filter}': expected an identifier such as metrics.rmse`);
  const dot = t.text.indexOf('.');
  const prefix = dot < 0 ? t.text : t.text.slice(0, dot);
  const entity = ENTITY_ALIASES[prefix.toLowerCase()];
  if (!entity) throw invalidParam(`Invalid entity type '${prefix}'. Valid values are ['metric', 'parameter', 'tag', 'attribute']`);
  let key = dot < 0 ? '' : t.text.slice(dot + 1);
  let next = pos + 1;
  if (key === '' && t.text.endsWith('.') && tokens[next]?.kind === 'ident') {
    key = tokens[next].text;
    next++;
  }
  if (!key) throw invalidParam(`Invalid filter '${filter}': '${t.text}' names no key`);
  return { entity, key, next };
}

/** Parses a runs/search filter; throws INVALID_PARAMETER_VALUE as the service does. */
export function parseRunFilter(filter: string | undefined): Clause[] {
  if (!filter || !filter.trim()) return [];
  const tokens = tokenize(filter);
  const clauses: Clause[] = [];
  let pos = 0;
  for (;;) {
    const id = identifier(tokens, pos, filter);
    pos = id.next;
    const opTok = tokens[pos];
    if (!opTok) throw invalidParam(`Invalid filter '${filter}': '${id.key}' has no comparison`);
    let op: Op;
    if (opTok.kind === 'op') op = opTok.text as Op;
    else if (opTok.kind === 'word' && /^(like|ilike|in)$/i.test(opTok.text)) op = opTok.text.toUpperCase() as Op;
    else if (opTok.kind === 'word' && /^not$/i.test(opTok.text) && /^in$/i.test(tokens[pos + 1]?.text ?? '')) {
      op = 'NOT IN';
      pos++;
    } else throw invalidParam(`Invalid filter '${filter}': '${opTok.text}' is not a comparison operator`);
    pos++;
    let value: Clause['value'];
    if (op === 'IN' || op === 'NOT IN') {
      if (tokens[pos]?.kind !== 'lparen') throw invalidParam(`Invalid filter '${filter}': ${op} needs a list in brackets`);
      pos++;
      const items: string[] = [];
      while (tokens[pos] && tokens[pos].kind !== 'rparen') {
        const v = tokens[pos];
        if (v.kind !== 'string' && v.kind !== 'ident') throw invalidParam(`Invalid filter '${filter}': the values of ${op} must be quoted strings`);
        items.push(v.text);
        pos++;
        if (tokens[pos]?.kind === 'comma') pos++;
      }
      if (tokens[pos]?.kind !== 'rparen') throw invalidParam(`Invalid filter '${filter}': the list of ${op} is not closed`);
      pos++;
      value = items;
    } else {
      const v = tokens[pos];
      if (!v) throw invalidParam(`Invalid filter '${filter}': '${id.key} ${op}' has no value`);
      if (v.kind === 'number') value = Number(v.text);
      else if (v.kind === 'string' || v.kind === 'ident') value = v.text;
      else if (v.kind === 'word') {
        // An unquoted word is refused below with the entity's own message.
        if (id.entity === 'metric') throw invalidParam(`Expected numeric value type for metric. Found '${v.text}'`);
        throw invalidParam(`Invalid filter '${filter}': the value ${v.text} must be a quoted string`);
      } else throw invalidParam(`Invalid filter '${filter}': '${v.text}' is not a value`);
      pos++;
    }
    clauses.push(checkClause({ entity: id.entity, key: id.key, op, value }, filter));
    if (pos >= tokens.length) break;
    const and = tokens[pos];
    if (and.kind === 'word' && /^or$/i.test(and.text)) throw invalidParam(`Invalid filter '${filter}'. OR is not supported: a filter is an AND of comparisons`);
    if (and.kind !== 'word' || !/^and$/i.test(and.text))
      throw invalidParam(`Invalid filter '${filter}': expected AND at position ${and.at}, found '${and.text}'`);
    pos++;
  }
  return clauses;
}

function checkClause(c: Clause, filter: string): Clause {
  const numericOps: Op[] = ['=', '!=', '>', '>=', '<', '<='];
  const stringOps: Op[] = ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'];
  if (c.entity === 'metric') {
    if (typeof c.value !== 'number') throw invalidParam(`Expected numeric value type for metric. Found '${String(c.value)}'`);
    if (!numericOps.includes(c.op)) throw invalidParam(`Invalid comparator '${c.op}' for metric. Valid comparators are ${numericOps.join(', ')}`);
    return c;
  }
  if (c.entity === 'param' || c.entity === 'tag') {
    if (typeof c.value === 'number')
      throw invalidParam(`Expected a quoted string value for ${c.entity === 'param' ? 'param' : 'tag'}. Found '${c.value}' in '${filter}'`);
    if (!stringOps.includes(c.op))
      throw invalidParam(`Invalid comparator '${c.op}' for ${c.entity === 'param' ? 'param' : 'tag'}. Valid comparators are ${stringOps.join(', ')}`);
    return c;
  }
  const key = c.key.toLowerCase();
  if (RUN_NUMBER_ATTRS.has(key)) {
    if (typeof c.value !== 'number') throw invalidParam(`Expected numeric value type for attribute '${c.key}'. Found '${String(c.value)}'`);
    return { ...c, key: key === 'created' ? 'start_time' : key };
  }
  if (RUN_STRING_ATTRS.has(key)) {
    if (typeof c.value === 'number') throw invalidParam(`Expected a quoted string value for attribute '${c.key}'. Found '${c.value}'`);
    if (!stringOps.includes(c.op)) throw invalidParam(`Invalid comparator '${c.op}' for attribute '${c.key}'`);
    return { ...c, key };
  }
  throw invalidParam(`Invalid attribute key '${c.key}' specified. Valid keys are '${[...RUN_STRING_ATTRS, ...RUN_NUMBER_ATTRS].join("', '")}'`);
}

function like(value: string, pattern: string, insensitive: boolean): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/%/g, '.*')
      .replace(/_/g, '.')}$`,
    insensitive ? 'is' : 's',
  );
  return re.test(value);
}

/** One comparison on a value the run has (undefined when it lacks the key: never a match). */
export function compare(actual: string | number | undefined, c: Clause): boolean {
  if (actual === undefined) return false;
  const v = c.value;
  switch (c.op) {
    case '=':
      return actual === v || (typeof actual === 'number' && typeof v === 'number' && actual === v);
    case '!=':
      return actual !== v;
    case '>':
      return typeof actual === 'number' && typeof v === 'number' && actual > v;
    case '>=':
      return typeof actual === 'number' && typeof v === 'number' && actual >= v;
    case '<':
      return typeof actual === 'number' && typeof v === 'number' && actual < v;
    case '<=':
      return typeof actual === 'number' && typeof v === 'number' && actual <= v;
    case 'LIKE':
      return like(String(actual), String(v), false);
    case 'ILIKE':
      return like(String(actual), String(v), true);
    case 'IN':
      return Array.isArray(v) && v.includes(String(actual));
    case 'NOT IN':
      return Array.isArray(v) && !v.includes(String(actual));
  }
}

export interface OrderClause {
  entity: Entity;
  key: string;
  ascending: boolean;
}

/** `metrics.rmse`, `params.x DESC`, `attributes.start_time ASC`, `start_time`. */
export function parseOrderBy(list: string[] | undefined): OrderClause[] {
  return (list ?? []).map((raw) => {
    const m = /^\s*(.+?)(?:\s+(ASC|DESC))?\s*$/i.exec(raw);
    if (!m) throw invalidParam(`Invalid order_by clause '${raw}'`);
    let ident = m[1].trim();
    const unquoted = /^(\w+)\.["`](.+)["`]$/.exec(ident);
    let entity: Entity = 'attribute';
    let key: string;
    if (unquoted) {
      const e = ENTITY_ALIASES[unquoted[1].toLowerCase()];
      if (!e) throw invalidParam(`Invalid order_by entity type '${unquoted[1]}'`);
      entity = e;
      key = unquoted[2];
    } else {
      const dot = ident.indexOf('.');
      if (dot > 0 && ENTITY_ALIASES[ident.slice(0, dot).toLowerCase()]) {
        entity = ENTITY_ALIASES[ident.slice(0, dot).toLowerCase()];
        ident = ident.slice(dot + 1);
      } else if (dot > 0) throw invalidParam(`Invalid order_by entity type '${ident.slice(0, dot)}'`);
      key = ident;
    }
    if (entity === 'attribute') {
      key = key.toLowerCase();
      if (!RUN_STRING_ATTRS.has(key) && !RUN_NUMBER_ATTRS.has(key)) throw invalidParam(`Invalid order_by attribute key '${key}'`);
      if (key === 'created') key = 'start_time';
    }
    return { entity, key, ascending: (m[2] ?? 'ASC').toUpperCase() === 'ASC' };
  });
}

/** Experiments filter: `name LIKE '%x%'`, `tags.team = 'ml'`, `creation_time > 0`, AND-joined. */
export function parseExperimentFilter(filter: string | undefined): Array<{ field: string; tag?: string; op: Op; value: string | number | string[] }> {
  if (!filter || !filter.trim()) return [];
  const tokens = tokenize(filter);
  const out: Array<{ field: string; tag?: string; op: Op; value: string | number | string[] }> = [];
  let pos = 0;
  for (;;) {
    const t = tokens[pos];
    if (!t || t.kind !== 'word') throw invalidParam(`Invalid filter '${filter}': expected name, tags.<key>, creation_time or last_update_time`);
    let field = t.text.replace(/^attributes?\./i, '').toLowerCase();
    let tag: string | undefined;
    pos++;
    if (/^tags?\./i.test(t.text)) {
      field = 'tag';
      tag = t.text.slice(t.text.indexOf('.') + 1);
      if (!tag && tokens[pos]?.kind === 'ident') tag = tokens[pos++].text;
    } else if (!['name', 'creation_time', 'last_update_time'].includes(field))
      throw invalidParam(`Invalid attribute key '${t.text}' specified. Valid keys are 'name', 'creation_time', 'last_update_time'`);
    const opTok = tokens[pos++];
    if (!opTok) throw invalidParam(`Invalid filter '${filter}'`);
    const op = (opTok.kind === 'op' ? opTok.text : opTok.text.toUpperCase()) as Op;
    if (!['=', '!=', '>', '>=', '<', '<=', 'LIKE', 'ILIKE'].includes(op)) throw invalidParam(`Invalid comparator '${opTok.text}'`);
    const v = tokens[pos++];
    if (!v) throw invalidParam(`Invalid filter '${filter}'`);
    const value = v.kind === 'number' ? Number(v.text) : v.text;
    if ((field === 'creation_time' || field === 'last_update_time') !== (typeof value === 'number'))
      throw invalidParam(`Invalid value '${v.text}' for ${field}`);
    out.push({ field, tag, op, value });
    if (pos >= tokens.length) break;
    if (!/^and$/i.test(tokens[pos].text)) throw invalidParam(`Invalid filter '${filter}': expected AND, found '${tokens[pos].text}'`);
    pos++;
  }
  return out;
}
