// Columns whose names say they hold personal data: `email`, `ssn`, `dob`, `phone`, `name`,
// `first_name`, `address`… The name is split into words (snake_case, kebab-case, camelCase,
// digits: `customerEMailAddress2` → customer e mail address 2), then matched against word lists,
// joining neighbouring words so `e_mail`, `firstName` and `date_of_birth` match as one word.
// Deliberately not flagged (each an account or resource identifier, or a fact about the data
// rather than the data): `filename`, `file_name`, `hostname`, `username`/`user_name` (an account
// id; e-mail-shaped values are still found by the value detector), `product_name`, `table_name`
// and other names of things; `ip_address` is an IP address and `email_address` an e-mail, never a
// postal address; `mac_address`, `memory_address`, `server_address`; counts, flags and hashes of
// personal data (`email_count`, `is_email_verified`, `email_hash`, `phone_type`); and boolean
// columns whatever their name.
import type { PiiKind } from './kinds';

/** The words of a column name, lower-cased. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/(\p{Ll}|\d)(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/(\p{L})(\d)/gu, '$1 $2')
    .replace(/(\d)(\p{L})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Words that make a column about personal data rather than the data itself. */
const DERIVED = new Set([
  'count',
  'counts',
  'cnt',
  'total',
  'verified',
  'valid',
  'validated',
  'confirmed',
  'opt',
  'optin',
  'optout',
  'opted',
  'consent',
  'status',
  'type',
  'kind',
  'format',
  'flag',
  'enabled',
  'disabled',
  'sent',
  'bounced',
  'bounce',
  'opened',
  'clicked',
  'hash',
  'hashed',
  'sha',
  'sha1',
  'sha256',
  'md5',
  'length',
  'len',
  'domain',
  'provider',
  'model',
  'brand',
  'os',
  'version',
  'template',
  'subscribed',
  'unsubscribed',
  'changed',
  'updated',
  'pattern',
  'regex',
  'prefix',
  'suffix',
]);
const DERIVED_FIRST = new Set(['is', 'has', 'num', 'n', 'max', 'min', 'avg']);

/** Terms that name a kind wherever they appear (single words, or neighbouring words joined). */
const TERMS: Array<[PiiKind, string[]]> = [
  ['email', ['email', 'emails', 'emailaddress', 'emailaddr', 'courriel', 'correo']],
  [
    'phone',
    [
      'phone',
      'phones',
      'phonenumber',
      'phoneno',
      'phonenum',
      'telephone',
      'téléphone',
      'telefon',
      'telefono',
      'teléfono',
      'mobilephone',
      'mobilenumber',
      'mobileno',
      'cellphone',
      'cellnumber',
      'msisdn',
      'faxnumber',
      'handynummer',
    ],
  ],
  ['ssn', ['ssn', 'socialsecurity', 'socialsecuritynumber', 'socialsecurityno']],
  ['card', ['creditcard', 'creditcardnumber', 'cardnumber', 'cardno', 'cardnum', 'ccnumber', 'ccnum', 'ccno', 'debitcard', 'cvv', 'cvv2', 'cvc', 'pan']],
  ['iban', ['iban']],
  ['bankAccount', ['bankaccount', 'bankaccountnumber', 'accountnumber', 'accountno', 'sortcode', 'routingnumber']],
  ['ip', ['ip', 'ips', 'ipaddress', 'ipaddr', 'ipv4', 'ipv6', 'remoteaddr', 'clientip', 'sourceip', 'srcip', 'userip']],
  ['birthdate', ['dob', 'birthdate', 'dateofbirth', 'birthday', 'birth', 'geburtsdatum', 'naissance', 'datenaissance']],
  [
    'idNumber',
    [
      'passport',
      'passportnumber',
      'passportno',
      'nationalid',
      'nationalidnumber',
      'nationalidentifier',
      'taxid',
      'nino',
      'driverslicense',
      'driverlicense',
      'driverslicence',
      'driverlicence',
      'personnummer',
    ],
  ],
  [
    'name',
    [
      'firstname',
      'lastname',
      'fullname',
      'givenname',
      'givennames',
      'familyname',
      'middlename',
      'maidenname',
      'surname',
      'forename',
      'nachname',
      'vorname',
      'prenom',
      'prénom',
      'apellido',
      'apellidos',
      'cognome',
      'nombre',
    ],
  ],
  ['postcode', ['postcode', 'postalcode', 'zipcode', 'plz']],
  [
    'address',
    [
      'address',
      'addresses',
      'addr',
      'streetaddress',
      'street',
      'addressline',
      'postaladdress',
      'homeaddress',
      'mailingaddress',
      'billingaddress',
      'shippingaddress',
      'residence',
      'adresse',
      'direccion',
      'dirección',
      'indirizzo',
      'anschrift',
    ],
  ],
];

/** Words before `name` that make it a person's name (`customer_name`); others (`file_name`) do not. */
const PERSON = new Set([
  'first',
  'last',
  'full',
  'given',
  'family',
  'middle',
  'maiden',
  'sur',
  'fore',
  'nick',
  'contact',
  'customer',
  'client',
  'patient',
  'employee',
  'person',
  'legal',
  'real',
  'holder',
  'cardholder',
  'owner',
  'spouse',
  'parent',
  'mother',
  'father',
  'guardian',
  'member',
  'applicant',
  'student',
  'recipient',
  'sender',
  'buyer',
  'seller',
  'passenger',
  'guest',
  'donor',
  'beneficiary',
  'emergency',
  'kin',
  'display',
  'subscriber',
  'tenant',
]);

/** Words before `address` that make it something other than where a person lives. */
const NOT_POSTAL = new Set([
  'ip',
  'mac',
  'memory',
  'mem',
  'base',
  'start',
  'end',
  'return',
  'ret',
  'load',
  'server',
  'host',
  'endpoint',
  'url',
  'web',
  'bind',
  'listen',
  'broadcast',
  'gateway',
  'network',
  'net',
  'subnet',
  'node',
  'contract',
  'wallet',
  'bucket',
  'email',
  'mail',
  'remote',
  'local',
  'peer',
  'proxy',
  'socket',
  'dns',
  'eth',
  'btc',
  'physical',
  'virtual',
  'hardware',
  'device',
  'target',
  'source',
  'destination',
  'dest',
  'src',
  'dst',
]);

const NAME_ONLY = new Set(['name', 'names', 'nom']);
/** Words that are personal only when they are the whole column name. */
const WHOLE_ONLY: Array<[PiiKind, string[]]> = [
  ['email', ['mail']],
  ['phone', ['tel', 'mobile', 'cell', 'fax', 'telefone']],
  ['postcode', ['zip']],
];

function grams(tokens: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    let joined = '';
    for (let j = i; j < Math.min(tokens.length, i + 4); j++) {
      joined += tokens[j];
      out.add(joined);
    }
  }
  return out;
}

/** The kind of personal data a column's name says it holds, if it says so. */
export function columnNameKind(name: string, type?: string): PiiKind | undefined {
  if (type === 'boolean') return undefined;
  const tokens = nameTokens(name);
  if (!tokens.length) return undefined;
  if (DERIVED_FIRST.has(tokens[0]) && tokens.length > 1) return undefined;
  if (tokens.some((t) => DERIVED.has(t))) return undefined;
  const whole = tokens.join(' ');
  for (const [kind, words] of WHOLE_ONLY) if (words.includes(whole)) return kind;
  if (tokens.length === 1 && NAME_ONLY.has(tokens[0])) return 'name';
  const all = grams(tokens);
  for (const [kind, terms] of TERMS) {
    const hit = terms.find((t) => all.has(t));
    if (!hit) continue;
    if (kind === 'address') {
      // `ip_address`, `mac_address`: the word before says what kind of address it is.
      const at = tokens.findIndex((t) => t.startsWith('addr') || t === 'street' || t === 'address');
      if (at > 0 && NOT_POSTAL.has(tokens[at - 1])) continue;
    }
    return kind;
  }
  // `name` after a word that makes it a person's (`customer_name`, `cardHolderName`).
  const at = tokens.findIndex((t) => NAME_ONLY.has(t));
  if (at > 0 && PERSON.has(tokens[at - 1])) return 'name';
  if (at === 0 && tokens.length === 2 && PERSON.has(tokens[1])) return 'name';
  return undefined;
}
