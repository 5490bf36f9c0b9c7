// Personal data in a table, column by column, as the rows are shown. Pure (no editor API): the
// result viewer masks every window it serves through one of these, and the upload warning uses
// the same column verdicts on a file's first rows.
//
// What is scanned, and when: nothing up front beyond a sample (the caller passes the first rows it
// has: the result viewer its first 1,000 rows, or a paged source's first window), and then every
// window as it is served. A 1,000,000-row result is therefore never scanned whole; a column whose
// personal data first appears deep in the result is flagged when that window is served (and its
// values in that window are masked in the same pass, before they leave the host).
//
// A column is flagged when its name says it holds personal data (columnNames.ts), or when any
// value in it was found to hold some (scan.ts). In a column flagged by name every value is masked
// (what a pattern cannot find, a name or a birth date, is masked letter by letter); in any other
// column each detected value (or the detected part of a longer text) is masked. A revealed column
// is passed through untouched and is no longer scanned.
//
// Luhn noise: about one random 16-digit number in ten passes Luhn, and half of those start like a
// card. A column whose card-shaped values mostly fail Luhn holds ids or amounts, not cards: after
// CARD_SAMPLE such values with fewer than half passing, cards are no longer looked for in it.
// Likewise a column named like a version (`version`, `build`, `release`) is not searched for IPv4.
import { cardNumberValid, ibanValid } from './checks';
import { columnNameKind, nameTokens } from './columnNames';
import type { PiiKind, ValueKind } from './kinds';
import { maskGeneric, maskLetters, maskSpans, maskValue } from './mask';
import { findPii, isWholeEmail, ScanOptions } from './scan';

export type GuardCell = string | number | boolean | null;

export interface GuardColumn {
  name: string;
  type?: string;
}

export interface ColumnVerdict {
  /** What was found in it, name first. */
  kinds: PiiKind[];
  /** True when its name alone flags it. */
  byName: boolean;
  /** Values masked so far (an indication: repeated values count once per distinct value). */
  found: number;
  revealed: boolean;
}

/** Card-shaped values a column must have before Luhn noise can switch card detection off in it. */
export const CARD_SAMPLE = 8;
const CACHE_MAX = 8_192;
/** Lookups after which a column whose cache hits less than one in eight stops caching. */
const CACHE_TRIAL = 2_048;
const NO_OPTIONS: ScanOptions = {};
const isDigit = (c: number) => c >= 48 && c <= 57;
const CARD_SHAPED = /^\d(?:[ -]?\d){12,18}$/;
const VERSION_WORDS = new Set(['version', 'ver', 'release', 'build', 'rev', 'revision', 'semver']);

interface ColumnState {
  nameKind: PiiKind | undefined;
  found: Set<PiiKind>;
  count: number;
  revealed: boolean;
  suppress: Set<ValueKind>;
  cardShaped: number;
  cardValid: number;
  /** Masked text by value, while it pays (repeated values); dropped for a column of distinct values. */
  cache: Map<string, string> | undefined;
  lookups: number;
  hits: number;
}

const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const IP_SHAPE = /^[0-9A-Fa-f:.]+$/;

/**
 * A value of a column flagged by its name, masked the way its kind is shown when it has that
 * kind's shape (an e-mail address, an IP address), else with every digit but the last few hidden
 * and every word reduced to its first letter: nothing readable is left whatever the value holds.
 */
export function maskNamed(kind: PiiKind, v: string): string {
  switch (kind) {
    case 'email':
      return EMAIL_SHAPE.test(v) ? maskValue('email', v) : maskGeneric(v);
    case 'ip':
      return IP_SHAPE.test(v) && (v.includes('.') || v.includes(':')) ? maskValue('ip', v) : maskGeneric(v);
    case 'phone':
      return keepLast(v, 2);
    case 'card':
      return /^[\d -]+$/.test(v) && v.replace(/\D/g, '').length >= 12 ? maskValue('card', v) : keepLast(v, 4);
    case 'iban':
      return ibanValid(v) ? maskValue('iban', v) : keepLast(v, 4);
    case 'bankAccount':
    case 'idNumber':
    case 'ssn':
      return keepLast(v, 4);
    default:
      return maskGeneric(v);
  }
}

const keepLast = maskLetters;

export class PiiTableGuard {
  private readonly state: ColumnState[];
  /** Bumped whenever what is shown for already-served rows changes (a reveal, masking again, Luhn noise). */
  revision = 0;
  /** Bumped whenever a verdict changes (a column flagged, a kind found in it): the viewer's header redraws. */
  changes = 0;

  constructor(columns: readonly GuardColumn[]) {
    this.state = columns.map((c) => {
      const suppress = new Set<ValueKind>();
      if (nameTokens(c.name).some((t) => VERSION_WORDS.has(t))) suppress.add('ip');
      return {
        nameKind: columnNameKind(c.name, c.type),
        found: new Set(),
        count: 0,
        revealed: false,
        suppress,
        cardShaped: 0,
        cardValid: 0,
        cache: new Map(),
        lookups: 0,
        hits: 0,
      };
    });
  }

  /** A column's verdict, or undefined while nothing personal is known of it. */
  verdict(c: number): ColumnVerdict | undefined {
    const s = this.state[c];
    if (!s || (!s.nameKind && !s.found.size)) return undefined;
    const kinds = [...(s.nameKind ? [s.nameKind] : []), ...[...s.found].filter((k) => k !== s.nameKind)];
    return { kinds, byName: !!s.nameKind, found: s.count, revealed: s.revealed };
  }

  /** Columns flagged and not revealed (what the viewer masks, the filter skips, export asks about). */
  maskedColumns(): number[] {
    return this.state.flatMap((s, c) => ((s.nameKind || s.found.size) && !s.revealed ? [c] : []));
  }

  flaggedColumns(): number[] {
    return this.state.flatMap((s, c) => (s.nameKind || s.found.size ? [c] : []));
  }

  /** Shows a column's real values (true) or masks it again (false); true when that changed anything. */
  reveal(c: number, reveal: boolean): boolean {
    const s = this.state[c];
    if (!s || s.revealed === reveal) return false;
    s.revealed = reveal;
    this.revision++;
    return true;
  }

  /** Marks every served row stale (the guard was switched on or off). */
  invalidate(): void {
    this.revision++;
  }

  /**
   * One window, column by column, as it may be shown: each column not revealed is scanned and its
   * personal data masked (the arrays passed in are not changed). A verdict that changed on the way
   * bumps `changes`.
   */
  window(columns: readonly GuardCell[][]): GuardCell[][] {
    return columns.map((values, c) => {
      const s = this.state[c];
      if (!s || s.revealed) return values as GuardCell[];
      this.countCards(s, values);
      return values.map((v) => this.cell(s, v));
    });
  }

  /** Rows (copy, chart data, export) masked the same way. */
  rows(rows: readonly GuardCell[][]): GuardCell[][] {
    if (!this.state.some((s) => !s.revealed)) return rows as GuardCell[][];
    const width = this.state.length;
    for (let c = 0; c < width; c++) {
      const s = this.state[c];
      if (!s.revealed)
        this.countCards(
          s,
          rows.map((r) => r[c] ?? null),
        );
    }
    return rows.map((row) => row.map((v, c) => (c < width && !this.state[c].revealed ? this.cell(this.state[c], v) : v)));
  }

  /** Reads a sample (first rows) without keeping a masked copy: the verdicts before anything is shown. */
  sample(rows: readonly GuardCell[][]): void {
    this.state.forEach((s, c) => {
      if (s.revealed) return;
      const values = rows.map((r) => r[c] ?? null);
      this.countCards(s, values);
      for (const v of values) this.cell(s, v);
    });
  }

  /** Luhn noise (see the top of this file): counts card-shaped values before they are masked. */
  private countCards(s: ColumnState, values: readonly GuardCell[]): void {
    if (s.suppress.has('card') || s.nameKind === 'card') return;
    for (const v of values) {
      let digits: string | undefined;
      if (typeof v === 'number') digits = Number.isInteger(v) && v >= 1e12 && v < 1e19 ? String(v) : undefined;
      else if (typeof v === 'string' && v.length >= 13 && v.length <= 30 && isDigit(v.charCodeAt(0)) && CARD_SHAPED.test(v)) digits = v.replace(/[ -]/g, '');
      if (!digits) continue;
      s.cardShaped++;
      if (cardNumberValid(digits)) s.cardValid++;
    }
    if (s.cardShaped >= CARD_SAMPLE && s.cardValid * 2 < s.cardShaped) {
      s.suppress.add('card');
      s.cache?.clear();
      // Cards found in it before were noise: rows served with them masked are shown again.
      if (s.found.delete('card')) {
        this.revision++;
        this.changes++;
      }
    }
  }

  private cell(s: ColumnState, v: GuardCell): GuardCell {
    if (v === null || typeof v === 'boolean' || v === '') return v;
    if (typeof v === 'number') {
      if (s.nameKind) return maskValue(s.nameKind === 'phone' || s.nameKind === 'card' ? s.nameKind : 'name', String(v));
      if (s.suppress.has('card') || !Number.isInteger(v) || v < 1e12 || v >= 1e19) return v;
      const digits = String(v);
      if (!cardNumberValid(digits)) return v;
      this.note(s, 'card');
      return maskValue('card', digits);
    }
    if (s.cache) {
      s.lookups++;
      const cached = s.cache.get(v);
      if (cached !== undefined) {
        s.hits++;
        return cached;
      }
      // Distinct values (e-mail addresses, ids): keeping them costs more than it saves.
      if (s.lookups >= CACHE_TRIAL && s.hits * 8 < s.lookups) s.cache = undefined;
    }
    let out = v;
    if (s.nameKind) {
      // Flagged by name: all of it, without searching (what it holds does not change that).
      out = maskNamed(s.nameKind, v);
      if (out !== v) s.count++;
    } else if (s.found.has('email') && isWholeEmail(v)) {
      // A column of e-mail addresses (found so): the common case, without the general search.
      out = maskValue('email', v);
      this.note(s, 'email');
    } else {
      // findPii's own first pass turns away the cells that cannot hold any kind.
      const spans = findPii(v, s.suppress.size ? { suppress: s.suppress } : NO_OPTIONS);
      if (spans.length) {
        out = maskSpans(v, spans);
        for (const span of spans) this.note(s, span.kind);
      }
    }
    if (s.cache) {
      if (s.cache.size >= CACHE_MAX) s.cache.clear();
      s.cache.set(v, out);
    }
    return out;
  }

  private note(s: ColumnState, kind: ValueKind, count = true): void {
    if (!s.found.has(kind)) {
      s.found.add(kind);
      this.changes++;
    }
    if (count) s.count++;
  }
}
