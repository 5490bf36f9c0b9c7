// The checksums and range rules that turn "looks like a number of that shape" into "is one": Luhn
// for card numbers, ISO 13616 mod-97 and the registry's lengths for IBANs, the SSA's never-issued
// ranges for US SSNs, and strict parsing for IPv4 and IPv6. Pure functions, no dependencies.

/** Luhn (mod 10) over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * Whether the digits start like a payment card's issuer (IIN) range: Visa 4, Mastercard 51–55 and
 * 2221–2720, Amex 34/37, Diners 30/36/38/39, JCB 35, Discover and UnionPay and Maestro 6, Maestro 50
 * and 56–58. Numbers starting 0, 1, 7, 8 or 9 are not cards, which halves the accidental matches of
 * random ids that pass Luhn.
 */
export function cardPrefixValid(digits: string): boolean {
  const d1 = digits[0];
  if (d1 === '4' || d1 === '6') return true;
  const d2 = Number(digits.slice(0, 2));
  if (d1 === '5') return (d2 >= 50 && d2 <= 55) || (d2 >= 56 && d2 <= 58);
  if (d1 === '3') return d2 === 30 || d2 === 34 || d2 === 35 || d2 === 36 || d2 === 37 || d2 === 38 || d2 === 39;
  if (d1 === '2') {
    const d4 = Number(digits.slice(0, 4));
    return d4 >= 2221 && d4 <= 2720;
  }
  return false;
}

/** A payment card number: 13–19 digits, an issuer prefix, the Luhn check, not one digit repeated. */
export function cardNumberValid(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  if (/^(\d)\1+$/.test(digits)) return false;
  return cardPrefixValid(digits) && luhnValid(digits);
}

/**
 * IBAN lengths by country (the SWIFT IBAN registry). A country not listed is not accepted: with the
 * length and the mod-97 check, a random word-and-number string almost never passes.
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** ISO 13616: the country's length, then the number (country and check digits moved to the end) mod 97 is 1. */
export function ibanValid(text: string): boolean {
  const iban = text.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  if (IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (let i = 0; i < moved.length; i++) {
    const c = moved.charCodeAt(i);
    // Letters count as two digits (A = 10 … Z = 35).
    const value = c >= 65 ? c - 55 : c - 48;
    rest = value >= 10 ? (rest * 100 + value) % 97 : (rest * 10 + value) % 97;
  }
  return rest === 1;
}

/**
 * A US Social Security number in AAA-GG-SSSS form, by the SSA's rules: no area 000, 666 or 900–999,
 * no group 00, no serial 0000 (never issued). The two numbers the SSA itself says were misused in
 * advertising (078-05-1120, 219-09-9999) are refused too.
 */
export function ssnValid(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  if (a === 0 || a === 666 || a >= 900) return false;
  if (group === '00' || serial === '0000') return false;
  const whole = `${area}-${group}-${serial}`;
  return whole !== '078-05-1120' && whole !== '219-09-9999';
}

/** Dotted-quad IPv4, no leading zeros. */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/**
 * An IPv4 address that can name a person's device: a unicast host address. 0.x (this network),
 * 127.x (the machine itself), 224 and up (multicast, reserved, netmasks like 255.255.255.0) are
 * never one.
 */
export function ipv4IsHost(octets: number[]): boolean {
  const first = octets[0];
  return first >= 1 && first <= 223 && first !== 127;
}

/** IPv6 in full or compressed (::) form, optionally with an IPv4 tail; zone ids are not accepted. */
export function ipv6Valid(text: string): boolean {
  if (text.length < 3 || text.length > 45) return false;
  let s = text;
  let groups = 0;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!parseIpv4(tail)) return false;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const hexGroup = /^[0-9A-Fa-f]{1,4}$/;
  for (const half of halves) {
    if (half === '') continue;
    for (const g of half.split(':')) {
      if (!hexGroup.test(g)) return false;
      groups++;
    }
  }
  if (halves.length === 1) return groups === 8;
  return groups <= 7;
}

/** Not a person's address: :: (unspecified), ::1 (loopback). */
export function ipv6IsHost(text: string): boolean {
  const t = text.toLowerCase();
  return t !== '::' && t !== '::1' && !/^(0{1,4}:){7}0{0,3}1$/.test(t);
}
