// How a detected value is shown while masked. Enough stays to tell values apart at a glance and
// to recognise one's own test data (the card's last four digits, the e-mail's first letters and
// top-level domain), never enough to recover the value: the hidden parts become a fixed `***`
// (so a masked e-mail does not give away the length of its parts) or one `*` per digit where the
// layout is the point (a card's groups).
import type { PiiKind } from './kinds';
import { findPii, PiiSpan, ScanOptions } from './scan';

const STAR = '***';

function maskEmail(s: string): string {
  const at = s.indexOf('@');
  const domain = s.slice(at + 1).split('.');
  return `${s[0]}${STAR}@${domain[0][0]}${STAR}.${domain[domain.length - 1]}`;
}

/** Every digit but the last `keep` becomes `*`; separators stay. */
function keepLastDigits(s: string, keep: number): string {
  let left = (s.match(/\d/g)?.length ?? 0) - keep;
  let out = '';
  for (const c of s) {
    if (c >= '0' && c <= '9' && left > 0) {
      out += '*';
      left--;
    } else out += c;
  }
  return out;
}

function maskCard(s: string): string {
  const digits = s.replace(/\D/g, '');
  // Written without separators: shown in groups of four, as on the card (`**** **** **** 4242`).
  const grouped = /[ -]/.test(s) ? s : digits.replace(/(\d{4})(?=\d)/g, '$1 ');
  return keepLastDigits(grouped, 4);
}

function maskIban(s: string): string {
  const total = s.replace(/ /g, '').length;
  let seen = 0;
  let out = '';
  for (const c of s) {
    if (c === ' ') {
      out += c;
      continue;
    }
    out += seen < 2 || seen >= total - 4 ? c : '*';
    seen++;
  }
  return out;
}

function maskIp(s: string): string {
  if (s.includes('.') && !s.includes(':')) return `${s.split('.')[0]}.${STAR}.${STAR}.${STAR}`;
  const first = s.split(':')[0];
  return first ? `${first}:${STAR}:${STAR}` : `${STAR}:${STAR}`;
}

const LETTER = /\p{L}/u;
const MARK = /\p{M}/u;

/**
 * Each run of letters keeps its first letter (then `***`), every digit but the last `keepDigits`
 * becomes `*`; punctuation and spaces stay. One pass, no regular expression for ASCII text (a
 * window of a masked column runs this on every cell).
 */
export function maskLetters(s: string, keepDigits = 0): string {
  let hide = -keepDigits;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) hide++;
  }
  let out = '';
  let inWord = false;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      out += hide-- > 0 ? '*' : ch;
      inWord = false;
      continue;
    }
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c > 127 && LETTER.test(ch));
    if (letter || (inWord && (c === 39 || c === 0x2019 || (c > 127 && MARK.test(ch))))) {
      if (!inWord) out += `${ch}${STAR}`;
      inWord = true;
      continue;
    }
    inWord = false;
    out += ch;
  }
  return out;
}

/**
 * A value known only from its column's name (a person's name, a birth date, an address): each run
 * of letters keeps its first letter, every digit becomes `*`; punctuation and spaces stay.
 */
export function maskGeneric(s: string): string {
  return maskLetters(s, 0);
}

export function maskValue(kind: PiiKind, s: string): string {
  switch (kind) {
    case 'email':
      return maskEmail(s);
    case 'card':
      return maskCard(s);
    case 'iban':
      return maskIban(s);
    case 'ssn':
      return `***-**-${s.slice(-4)}`;
    case 'phone':
      return keepLastDigits(s, 2);
    case 'ip':
      return maskIp(s);
    default:
      return maskGeneric(s);
  }
}

/** The text with each span masked. */
export function maskSpans(text: string, spans: readonly PiiSpan[]): string {
  if (!spans.length) return text;
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + maskValue(span.kind, text.slice(span.start, span.end));
    at = span.end;
  }
  return out + text.slice(at);
}

/** A text with every detected value masked, and what was found. */
export function maskText(text: string, opts?: ScanOptions): { text: string; spans: PiiSpan[] } {
  const spans = findPii(text, opts);
  return { text: maskSpans(text, spans), spans };
}
