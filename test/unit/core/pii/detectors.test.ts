// The PII detectors, kind by kind: positives, and the near misses each check exists for (a
// 16-digit number failing Luhn, an IBAN with a bad checksum, 000-12-3456, a version string).
import assert from 'node:assert/strict';
import { cardNumberValid, ibanValid, luhnValid, ssnValid } from '../../../../src/core/pii/checks';
import { cannotHoldPii, findPii, valueKind } from '../../../../src/core/pii/scan';
import type { ValueKind } from '../../../../src/core/pii/kinds';

function kinds(text: string): Array<[ValueKind, string]> {
  return findPii(text).map((s) => [s.kind, text.slice(s.start, s.end)]);
}

function expectWhole(kind: ValueKind, values: string[]): void {
  for (const v of values) assert.equal(valueKind(v), kind, `${JSON.stringify(v)} should be one ${kind}`);
}

function expectNone(values: string[]): void {
  for (const v of values) assert.deepEqual(kinds(v), [], `${JSON.stringify(v)} should hold no personal data`);
}

describe('PII detectors', () => {
  describe('e-mail addresses', () => {
    it('finds addresses, alone and in text', () => {
      expectWhole('email', ['john.smith@example.com', 'a@b.co', 'j_doe+news@mail.example.co.uk', 'X.Y-Z@sub-domain.example.org', 'user%tag@example.io']);
      assert.deepEqual(kinds('Contact: Jane <jane.doe@corp.example.com>, cc bob@example.net.'), [
        ['email', 'jane.doe@corp.example.com'],
        ['email', 'bob@example.net'],
      ]);
    });
    it('leaves near misses alone', () => {
      expectNone([
        'user@localhost',
        'a@b.c',
        '@example.com',
        'john@',
        'name(at)example.com',
        'john..smith@example.com',
        'john.@example.com',
        'icon@2x.png',
        'logo@3x.webp',
        'x@-bad.com',
        'ssh user@host',
      ]);
    });
  });

  describe('payment card numbers (Luhn)', () => {
    it('checks Luhn and the issuer prefix', () => {
      assert.ok(luhnValid('4242424242424242'));
      assert.ok(!luhnValid('4242424242424241'));
      assert.ok(cardNumberValid('378282246310005'), 'Amex, 15 digits');
      assert.ok(cardNumberValid('5555555555554444'), 'Mastercard');
      assert.ok(cardNumberValid('2223003122003222'), 'Mastercard 2-series');
      assert.ok(cardNumberValid('6011111111111117'), 'Discover');
      assert.ok(!cardNumberValid('1234567812345670'), 'passes Luhn but starts with 1: no issuer');
      assert.ok(!cardNumberValid('0000000000000000'), 'one digit repeated');
      assert.ok(!cardNumberValid('424242424242'), '12 digits');
    });
    it('finds cards written plainly or in groups', () => {
      expectWhole('card', ['4242424242424242', '4242 4242 4242 4242', '4242-4242-4242-4242', '3782 822463 10005', '5555555555554444']);
      assert.deepEqual(kinds('paid with 4000 0566 5566 5556 on Monday'), [['card', '4000 0566 5566 5556']]);
    });
    it('leaves near misses alone', () => {
      expectNone([
        '4242424242424241', // a 16-digit number failing Luhn
        '4242 4242 4242 4241',
        '1234567812345670', // Luhn-valid, no issuer
        '42424 24242 424242', // passes Luhn, but not grouped like a card
        '4242 4242-4242 4242', // mixed separators
        '0.4242424242424242', // a fraction's digits
        '42424242424242424242', // 20 digits
      ]);
    });
  });

  describe('IBANs (mod 97)', () => {
    it('checks the country length and the checksum', () => {
      assert.ok(ibanValid('DE89370400440532013000'));
      assert.ok(ibanValid('GB82 WEST 1234 5698 7654 32'));
      assert.ok(!ibanValid('DE89370400440532013001'), 'bad checksum');
      assert.ok(!ibanValid('DE8937040044053201300'), 'one character short for DE');
      assert.ok(!ibanValid('ZZ89370400440532013000'), 'not a country in the registry');
    });
    it('finds IBANs, grouped or not', () => {
      expectWhole('iban', [
        'DE89 3704 0044 0532 0130 00',
        'GB82WEST12345698765432',
        'FR14 2004 1010 0505 0001 3M02 606',
        'NL91ABNA0417164300',
        'NO9386011117947',
      ]);
      assert.deepEqual(kinds('Pay to NL91 ABNA 0417 1643 00 by Friday'), [['iban', 'NL91 ABNA 0417 1643 00']]);
    });
    it('leaves near misses alone', () => {
      expectNone(['DE89 3704 0044 0532 0130 01', 'GB82WEST12345698765433', 'DE89370400440532013000X', 'de89370400440532013000', 'AB12 3456 7890 1234 5678']);
    });
  });

  describe('US SSNs', () => {
    it('applies the SSA rules', () => {
      assert.ok(ssnValid('123', '45', '6789'));
      assert.ok(!ssnValid('000', '12', '3456'), 'area 000');
      assert.ok(!ssnValid('666', '12', '3456'), 'area 666');
      assert.ok(!ssnValid('901', '12', '3456'), 'area 900–999');
      assert.ok(!ssnValid('123', '00', '3456'), 'group 00');
      assert.ok(!ssnValid('123', '45', '0000'), 'serial 0000');
      assert.ok(!ssnValid('078', '05', '1120'), 'the Woolworth wallet number');
    });
    it('finds dashed SSNs', () => {
      expectWhole('ssn', ['123-45-6789', '536-22-1234']);
      assert.deepEqual(kinds('SSN: 219-45-1234.'), [['ssn', '219-45-1234']]);
    });
    it('leaves near misses alone', () => {
      expectNone(['000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000', '123456789', '123-45-67890', '2024-01-15', '12-345-6789']);
    });
  });

  describe('phone numbers', () => {
    it('finds international and North American forms', () => {
      expectWhole('phone', [
        '+44 20 7946 0958',
        '+442079460958',
        '+1 (415) 555-2671',
        '(415) 555-2671',
        '415-555-2671',
        '415.555.2671',
        '+49 (0)30 901820',
        '+33 1 23 45 67 89',
      ]);
      assert.deepEqual(kinds('call +1 415 555 2671 or 212-555-0199 today'), [
        ['phone', '+1 415 555 2671'],
        ['phone', '212-555-0199'],
      ]);
    });
    it('leaves near misses alone', () => {
      expectNone([
        '5551234567', // bare digits: an id as often as a phone (the column name catches it)
        '115-555-2671', // area code starts with 1
        '415-155-2671', // exchange starts with 1
        '2024-01-15 10:30:00',
        '+12345', // too short
        '+1234567890123456', // over 15 digits
        '123-456-78901',
        'v1.415.555.2671',
      ]);
    });
  });

  describe('IP addresses', () => {
    it('finds IPv4 and IPv6 host addresses', () => {
      expectWhole('ip', [
        '203.0.113.7',
        '192.168.1.20',
        '10.0.0.1',
        '8.8.8.8',
        '1.2.3.4',
        '2001:db8::ff00:42:8329',
        '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
        'fe80::1',
        '::ffff:192.0.2.128',
      ]);
      assert.deepEqual(kinds('GET / from 198.51.100.23:443 and [2001:db8::1]:8080'), [
        ['ip', '198.51.100.23'],
        ['ip', '2001:db8::1'],
      ]);
    });
    it('tells version strings and other dotted numbers from addresses', () => {
      // Decided: a dotted quad is an address unless it is marked as a version (or is not a host).
      expectNone([
        'version 1.2.3.4',
        'Version: 4.2.1.0',
        'v1.2.3.4',
        'build 10.0.19041.1', // 19041 is no octet anyway
        'release 2.4.0.1',
        '1.2.3.4.5', // five parts
        '01.02.03.04', // leading zeros
        '256.1.1.1',
        '127.0.0.1', // the machine itself
        '0.0.0.0',
        '255.255.255.0', // a netmask
        '224.0.0.251', // multicast
        '3.14159',
      ]);
    });
    it('tells times, MAC addresses and code from IPv6', () => {
      expectNone(['10:30:00', '12:30', '00:1a:2b:3c:4d:5e', 'std::vector', 'dead::beef', '::1', '::', 'a:b:c:d']);
    });
  });

  it('reports overlapping matches once, by precedence', () => {
    // An IBAN holds a digit run; an e-mail may hold digits; each is one value.
    assert.deepEqual(kinds('DE89370400440532013000'), [['iban', 'DE89370400440532013000']]);
    assert.deepEqual(kinds('4155552671@example.com'), [['email', '4155552671@example.com']]);
  });

  it('finds nothing in ordinary text, dates, amounts and ids', () => {
    expectNone([
      'Lisbon',
      'alpha bravo charlie',
      '2025-01-01',
      '2025-01-01T10:00:00Z',
      '12,345.67',
      'order 12345',
      'id-000123',
      '3.1.4',
      'SELECT * FROM t WHERE x = 12',
    ]);
  });

  it('turns away, in its first pass, only text no finder could match', () => {
    // Every kind, with words around it: the first pass must let each through to its finder.
    const positives: Array<[ValueKind, string]> = [
      ['email', 'write to ada@example.com today'],
      ['card', 'paid 4242-4242-4242-4242 ok'],
      ['iban', 'to DE89 3704 0044 0532 0130 00 please'],
      ['ssn', 'ssn 123-45-6789 on file'],
      ['phone', 'ring (415) 555-2671 now'],
      ['phone', 'ring +44 20 7946 0958 now'],
      ['ip', 'from 203.0.113.7 at noon'],
      ['ip', 'from fe80::1 at noon'],
      ['ip', 'from 2001:0db8:85a3:0000:0000:8a2e:0370:7334 at noon'],
    ];
    for (const [kind, text] of positives) {
      assert.equal(cannotHoldPii(text), false, text);
      assert.deepEqual(
        kinds(text).map((k) => k[0]),
        [kind],
        text,
      );
    }
    for (const text of ['order 35 of batch 5', '2025-06-06T10:05:00Z', '12,345.67 EUR', 'a b', 'Lisbon, Portugal', '10:30'])
      assert.equal(cannotHoldPii(text), true, text);
  });

  it('rejects a long run of phone-like digit groups without a phone in it', () => {
    // Eighteen groups after a "+": too many digits for E.164 however they are split.
    const text = `+1 ${Array.from({ length: 18 }, (_, i) => String(i % 10).repeat(2)).join(' ')}x`;
    assert.deepEqual(kinds(text), []);
  });
});
