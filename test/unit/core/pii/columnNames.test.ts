// Columns whose names say they hold personal data, and the look-alikes that do not.
import assert from 'node:assert/strict';
import { columnNameKind, nameTokens } from '../../../../src/core/pii/columnNames';
import type { PiiKind } from '../../../../src/core/pii/kinds';

describe('PII column names', () => {
  it('splits snake_case, kebab-case, camelCase, acronyms and digits into words', () => {
    assert.deepEqual(nameTokens('customerEMailAddress2'), ['customer', 'e', 'mail', 'address', '2']);
    assert.deepEqual(nameTokens('first_name'), ['first', 'name']);
    assert.deepEqual(nameTokens('Date-Of-Birth'), ['date', 'of', 'birth']);
    assert.deepEqual(nameTokens('userSSN'), ['user', 'ssn']);
    assert.deepEqual(nameTokens('SSNNumber'), ['ssn', 'number']);
    assert.deepEqual(nameTokens('address_line1'), ['address', 'line', '1']);
    assert.deepEqual(nameTokens('Téléphone'), ['téléphone']);
  });

  it('flags the names that say so', () => {
    const cases: Array<[string, PiiKind]> = [
      ['email', 'email'],
      ['e_mail', 'email'],
      ['EMail', 'email'],
      ['customerEmail', 'email'],
      ['email_address', 'email'],
      ['mail', 'email'],
      ['ssn', 'ssn'],
      ['SSN', 'ssn'],
      ['social_security_number', 'ssn'],
      ['dob', 'birthdate'],
      ['date_of_birth', 'birthdate'],
      ['birthDate', 'birthdate'],
      ['birthday', 'birthdate'],
      ['phone', 'phone'],
      ['phone_number', 'phone'],
      ['mobilePhone', 'phone'],
      ['tel', 'phone'],
      ['telefon', 'phone'],
      ['Téléphone', 'phone'],
      ['name', 'name'],
      ['first_name', 'name'],
      ['FirstName', 'name'],
      ['lastname', 'name'],
      ['surname', 'name'],
      ['customer_name', 'name'],
      ['cardHolderName', 'name'],
      ['name_first', 'name'],
      ['address', 'address'],
      ['street_address', 'address'],
      ['billingAddress', 'address'],
      ['address_line1', 'address'],
      ['home_addr', 'address'],
      ['ip', 'ip'],
      ['ip_address', 'ip'],
      ['client_ip', 'ip'],
      ['ipv6', 'ip'],
      ['iban', 'iban'],
      ['credit_card', 'card'],
      ['card_number', 'card'],
      ['cc_number', 'card'],
      ['passport_number', 'idNumber'],
      ['national_id', 'idNumber'],
      ['postcode', 'postcode'],
      ['zip', 'postcode'],
      ['zip_code', 'postcode'],
      ['bank_account_number', 'bankAccount'],
    ];
    for (const [name, kind] of cases) assert.equal(columnNameKind(name), kind, name);
  });

  it('does not flag look-alikes (decided: account ids, names of things, counts and flags)', () => {
    for (const name of [
      'filename',
      'file_name',
      'fileName',
      'hostname',
      'host_name',
      'username',
      'user_name',
      'userName',
      'table_name',
      'column_name',
      'product_name',
      'bucket_name',
      'job_name',
      'display',
      'names_count',
      'mac_address',
      'memory_address',
      'server_address',
      'email_count',
      'num_emails',
      'is_email_verified',
      'emailVerified',
      'email_hash',
      'email_domain',
      'phone_type',
      'phone_model',
      'card_type',
      'zip_file',
      'mailbox',
      'voicemail',
      'iphone_model',
      'ship_date',
      'tip_amount',
      'vip',
      'timezone',
      'id',
      'city',
      'amount',
      'note',
      'description',
      'ipsum',
      'version',
      'rename',
      'namespace',
    ]) {
      assert.equal(columnNameKind(name), undefined, name);
    }
  });

  it('never flags a boolean column, whatever its name', () => {
    assert.equal(columnNameKind('email', 'boolean'), undefined);
    assert.equal(columnNameKind('email', 'string'), 'email');
  });
});
