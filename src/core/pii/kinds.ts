// The kinds of personal data Ferry recognises, and how it names them to the user.

/** Kinds found in values (by pattern and checksum). */
export type ValueKind = 'email' | 'phone' | 'card' | 'iban' | 'ssn' | 'ip';

/** Kinds known only from a column's name (a name or a birth date has no pattern to find). */
export type NameOnlyKind = 'name' | 'birthdate' | 'address' | 'postcode' | 'idNumber' | 'bankAccount';

export type PiiKind = ValueKind | NameOnlyKind;

export const VALUE_KINDS: readonly ValueKind[] = ['email', 'phone', 'card', 'iban', 'ssn', 'ip'];

const LABELS: Record<PiiKind, [string, string]> = {
  email: ['e-mail address', 'e-mail addresses'],
  phone: ['phone number', 'phone numbers'],
  card: ['card number', 'card numbers'],
  iban: ['IBAN', 'IBANs'],
  ssn: ['US SSN', 'US SSNs'],
  ip: ['IP address', 'IP addresses'],
  name: ["person's name", "people's names"],
  birthdate: ['date of birth', 'dates of birth'],
  address: ['postal address', 'postal addresses'],
  postcode: ['postal code', 'postal codes'],
  idNumber: ['identity document number', 'identity document numbers'],
  bankAccount: ['bank account number', 'bank account numbers'],
};

export function kindLabel(kind: PiiKind, plural = false): string {
  return LABELS[kind][plural ? 1 : 0];
}

export function isPiiKind(v: unknown): v is PiiKind {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(LABELS, v);
}

/** "e-mail addresses and card numbers". */
export function describeKinds(kinds: Iterable<PiiKind>): string {
  const labels = [...new Set(kinds)].map((k) => kindLabel(k, true));
  if (labels.length <= 1) return labels[0] ?? 'personal data';
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}
