// Finds likely personal data in text: e-mail addresses, phone numbers, payment card numbers (Luhn),
// IBANs (mod 97), US SSNs (SSA ranges) and IP addresses (v4 and v6). Every finder is a bounded
// regular expression followed by the check that makes a shape a value (checks.ts), so a
// 16-digit id that fails Luhn, a version string marked as one, or a time of day is left alone.
// What is deliberately not found (documented in README "Personal data (PII guard)"):
// - phone numbers without a country code or separators ("5551234567", "020 7946 0958"): too many
//   ids and amounts look the same; a column named phone is masked by its name instead;
// - an SSN written without dashes, for the same reason;
// - an IBAN whose country is not in the registry table, or written in lower case;
// - dotted quads preceded by "version", "ver", "release", "build" or "rev" (and "v1.2.3.4"), and
//   addresses that never name a person's device (0.x, 127.x, 224 and up, ::, ::1).
//   A bare "1.2.3.4" is a valid public address and is found.
import { cardNumberValid, IBAN_LENGTHS, ibanValid, ipv4IsHost, ipv6IsHost, ipv6Valid, parseIpv4, ssnValid } from './checks';
import type { ValueKind } from './kinds';

export interface PiiSpan {
  start: number;
  end: number;
  kind: ValueKind;
}

export interface ScanOptions {
  /** Kinds not to report (a column whose numbers pass Luhn only by chance, a version column). */
  suppress?: ReadonlySet<ValueKind>;
}

const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-]|\.[A-Za-z0-9])/g;
/** Image and file suffixes that follow an "@": `icon@2x.png` is a file name, not an address. */
const FILE_SUFFIXES = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'bmp',
  'ico',
  'tif',
  'tiff',
  'css',
  'js',
  'mjs',
  'ts',
  'json',
  'txt',
  'csv',
  'pdf',
  'html',
  'htm',
  'xml',
  'yaml',
  'yml',
  'jsx',
  'tsx',
  'map',
  'lock',
  'log',
]);
const CARD = /(?<![\d.,-])\d(?:[ -]?\d){12,18}(?!\d|[.,-]\d)/g;
const SSN = /(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-]|\.\d)/g;
const NANP = /(?<![\w+.-])(?:\+?1[ .-]?)?(?:\((\d{3})\) ?|(\d{3})[ .-])(\d{3})[ .-](\d{4})(?![\w-]|\.\d)/g;
// A country code, an optional trunk "(0)", then groups with a separator before each (or one block
// of digits): one way to read each number, so a near miss fails without backtracking through every
// way of splitting its digits.
const INTL = /(?<![\w+])\+\d{1,4}(?:[ .-]?\(0\)\d{0,8})?(?:(?:[ .-]\(?\d{1,8}\)?)+|\d{4,14})(?![\w]|\.\d)/g;
const IBAN_START = /(?<![A-Za-z0-9])([A-Z]{2})\d{2}/g;
const IPV4 = /(?<![\w.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?!\w|\.\d)/g;
const VERSION_BEFORE = /\b(?:version|ver|release|build|rev|revision)\b[\s:=#]*$/i;
const IPV6 = /(?<![\w:.])[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*[0-9A-Fa-f]/g;

/** The checks an e-mail-shaped match must pass (dots in the local part, `icon@2x.png`). */
function emailValid(s: string): boolean {
  const at = s.indexOf('@');
  if (s.charCodeAt(at - 1) === 46 || s.lastIndexOf('..', at) >= 0) return false;
  const lastDot = s.lastIndexOf('.');
  const suffix = s.slice(lastDot + 1).toLowerCase();
  if (!FILE_SUFFIXES.has(suffix)) return true;
  const firstDot = s.indexOf('.', at);
  return !(firstDot === lastDot || /^\d+(\.\d+)?x$/i.test(s.slice(at + 1, firstDot)));
}

const EMAIL_WHOLE = new RegExp(`^${EMAIL.source.replace('(?<![A-Za-z0-9._%+-])', '').replace('(?![A-Za-z0-9-]|\\.[A-Za-z0-9])', '')}$`);

/** Whether the whole text is one e-mail address (the fast path for a column of them). */
export function isWholeEmail(text: string): boolean {
  return text.length <= 254 && EMAIL_WHOLE.test(text) && emailValid(text);
}

function emails(text: string, out: PiiSpan[]): void {
  EMAIL.lastIndex = 0;
  for (let m = EMAIL.exec(text); m; m = EMAIL.exec(text)) {
    if (emailValid(m[0])) out.push({ start: m.index, end: m.index + m[0].length, kind: 'email' });
  }
}

/** Digit groups a person writes a card number in: fours (the last shorter), or Amex/Diners 4-6-5 and 4-6-4. */
function cardGrouping(s: string): boolean {
  const seps = s.match(/[ -]/g);
  if (!seps) return true;
  if (new Set(seps).size > 1) return false;
  const groups = s.split(/[ -]/).map((g) => g.length);
  if (groups.length === 3 && groups[0] === 4 && groups[1] === 6 && (groups[2] === 5 || groups[2] === 4)) return true;
  return groups.every((g, i) => (i < groups.length - 1 ? g === 4 : g >= 1 && g <= 4));
}

function cards(text: string, out: PiiSpan[]): void {
  CARD.lastIndex = 0;
  for (let m = CARD.exec(text); m; m = CARD.exec(text)) {
    const s = m[0];
    // Most card-shaped runs in data are plain digits (ids, amounts): no grouping to check.
    const grouped = s.includes(' ') || s.includes('-');
    if (grouped && !cardGrouping(s)) continue;
    if (cardNumberValid(grouped ? s.replace(/[ -]/g, '') : s)) out.push({ start: m.index, end: m.index + s.length, kind: 'card' });
  }
}

function ssns(text: string, out: PiiSpan[]): void {
  for (const m of text.matchAll(SSN)) if (ssnValid(m[1], m[2], m[3])) out.push({ start: m.index, end: m.index + m[0].length, kind: 'ssn' });
}

function phones(text: string, out: PiiSpan[]): void {
  for (const m of text.matchAll(NANP)) {
    const area = m[1] ?? m[2];
    // North American numbers: area code and exchange start with 2–9.
    if (area[0] < '2' || m[3][0] < '2') continue;
    out.push({ start: m.index, end: m.index + m[0].length, kind: 'phone' });
  }
  for (const m of text.matchAll(INTL)) {
    const digits = m[0].replace(/\(0\)/, '').replace(/\D/g, '');
    // E.164: at most 15 digits; a country code never starts with 0.
    if (digits.length < 8 || digits.length > 15 || digits[0] === '0') continue;
    out.push({ start: m.index, end: m.index + m[0].length, kind: 'phone' });
  }
}

function ibans(text: string, out: PiiSpan[]): void {
  for (const m of text.matchAll(IBAN_START)) {
    const need = IBAN_LENGTHS[m[1]];
    if (!need) continue;
    // Take exactly the country's length of characters, single spaces allowed between them.
    let i = m.index;
    let taken = 0;
    while (i < text.length && taken < need) {
      const c = text[i];
      if (/[A-Za-z0-9]/.test(c)) taken++;
      else if (!(c === ' ' && taken > 0 && /[A-Za-z0-9]/.test(text[i + 1] ?? ''))) break;
      i++;
    }
    if (taken !== need || /[A-Za-z0-9]/.test(text[i] ?? '')) continue;
    if (ibanValid(text.slice(m.index, i))) out.push({ start: m.index, end: i, kind: 'iban' });
  }
}

function ips(text: string, out: PiiSpan[]): void {
  // IPv6 first: an IPv4-mapped address (::ffff:192.0.2.128) is one IPv6 address, not an IPv4 in it.
  if (text.includes(':')) {
    for (const m of text.matchAll(IPV6)) {
      const s = m[0];
      const next = text[m.index + s.length] ?? '';
      if (/[\w]/.test(next)) continue;
      if ((s.match(/:/g)?.length ?? 0) < 2 || !/\d/.test(s)) continue;
      if (ipv6Valid(s) && ipv6IsHost(s)) out.push({ start: m.index, end: m.index + s.length, kind: 'ip' });
    }
  }
  IPV4.lastIndex = 0;
  for (let m = IPV4.exec(text); m; m = IPV4.exec(text)) {
    const octets = parseIpv4(m[0]);
    if (!octets || !ipv4IsHost(octets)) continue;
    if (VERSION_BEFORE.test(text.slice(Math.max(0, m.index - 24), m.index))) continue;
    out.push({ start: m.index, end: m.index + m[0].length, kind: 'ip' });
  }
}

const EMAIL_BIT = 1;
const IBAN_BIT = 2;
const CARD_BIT = 4;
const SSN_BIT = 8;
const PHONE_BIT = 16;
const IP_BIT = 32;

/**
 * Which finders can match at all, from one pass over the text (most cells and lines need none):
 * an "@" for e-mail; a run of 13+ digits (single spaces or dashes between) for a card; digit groups
 * of 3-2-4 between dashes for an SSN; groups of 3-3-4 between phone punctuation, or a "+" and 8+
 * digits, for a phone; an upper-case pair before digits and 10+ digits for an IBAN; three dots in a
 * run of digits for IPv4, or "::" or seven colons for IPv6. Each finder still checks its own
 * matches: this only spares the regular expressions a text cannot satisfy.
 */
function candidates(text: string): number {
  if (text.length < 6) return 0;
  let flags = 0;
  let digits = 0;
  let colons = 0;
  let plus = false;
  let upperPair = false;
  let cardRun = 0;
  let cardMax = 0;
  let phoneRun = 0;
  let phoneMax = 0;
  // Digit groups: the current one and the two before it, between phone punctuation (g) or dashes (d).
  let g0 = 0;
  let g1 = 0;
  let g2 = 0;
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let dots = 0;
  let prev = 0;
  let prev2 = 0;
  let prev3 = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      if (++cardRun > cardMax) cardMax = cardRun;
      if (++phoneRun > phoneMax) phoneMax = phoneRun;
      if (++g0 === 4 && g1 === 3 && g2 === 3) flags |= PHONE_BIT;
      if (++d0 === 4 && d1 === 2 && d2 === 3) flags |= SSN_BIT;
      if (dots >= 3) flags |= IP_BIT;
      if (prev >= 48 && prev <= 57 && prev2 >= 65 && prev2 <= 90 && prev3 >= 65 && prev3 <= 90) upperPair = true;
    } else {
      const afterDigit = prev >= 48 && prev <= 57;
      // A card's run survives one space or dash between digits; anything else ends it.
      if (!((c === 32 || c === 45) && afterDigit)) cardRun = 0;
      const phonePunct = c === 32 || c === 45 || c === 46 || c === 40 || c === 41 || c === 43;
      if (!phonePunct) {
        phoneRun = 0;
        g0 = g1 = g2 = 0;
      } else if (g0) {
        g2 = g1;
        g1 = g0;
        g0 = 0;
      }
      if (c === 45 && d0) {
        d2 = d1;
        d1 = d0;
        d0 = 0;
      } else d0 = d1 = d2 = 0;
      if (c === 46 && afterDigit) dots++;
      else dots = 0;
      if (c === 43) plus = true;
      else if (c === 64) flags |= EMAIL_BIT;
      else if (c === 58) {
        colons++;
        if (prev === 58 || colons >= 7) flags |= IP_BIT;
      }
    }
    prev3 = prev2;
    prev2 = prev;
    prev = c;
  }
  if (cardMax >= 13) flags |= CARD_BIT;
  if (plus && phoneMax >= 8) flags |= PHONE_BIT;
  if (upperPair && digits >= 10) flags |= IBAN_BIT;
  return flags;
}

/** Text that cannot hold any kind (most cells and lines), from one pass over it. */
export function cannotHoldPii(text: string): boolean {
  return candidates(text) === 0;
}

const FINDERS: Array<[ValueKind, number, (text: string, out: PiiSpan[]) => void]> = [
  // In order of precedence: where two matches overlap, the earlier kind wins.
  ['email', EMAIL_BIT, emails],
  ['iban', IBAN_BIT, ibans],
  ['card', CARD_BIT, cards],
  ['ssn', SSN_BIT, ssns],
  ['phone', PHONE_BIT, phones],
  ['ip', IP_BIT, ips],
];

/** The personal data in a text, in order, without overlaps. */
export function findPii(text: string, opts: ScanOptions = {}): PiiSpan[] {
  const flags = candidates(text);
  if (!flags) return [];
  const accepted: PiiSpan[] = [];
  for (const [kind, bit, find] of FINDERS) {
    if (!(flags & bit) || opts.suppress?.has(kind)) continue;
    const found: PiiSpan[] = [];
    find(text, found);
    if (!accepted.length && found.length <= 1) accepted.push(...found);
    else for (const span of found) if (!accepted.some((a) => span.start < a.end && a.start < span.end)) accepted.push(span);
  }
  return accepted.length > 1 ? accepted.sort((a, b) => a.start - b.start) : accepted;
}

/** The kind when the whole value (trimmed) is one item of personal data, else undefined. */
export function valueKind(value: string, opts: ScanOptions = {}): ValueKind | undefined {
  const text = value.trim();
  const spans = findPii(text, opts);
  return spans.length === 1 && spans[0].start === 0 && spans[0].end === text.length ? spans[0].kind : undefined;
}
