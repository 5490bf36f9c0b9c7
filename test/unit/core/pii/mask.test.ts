// How detected values are shown while masked, and the per-table guard that decides which columns
// are masked as windows are served.
import assert from 'node:assert/strict';
import { cardNumberValid } from '../../../../src/core/pii/checks';
import { maskGeneric, maskText, maskValue } from '../../../../src/core/pii/mask';
import { CARD_SAMPLE, GuardCell, maskNamed, PiiTableGuard } from '../../../../src/core/pii/tableGuard';

describe('PII masking', () => {
  it('masks each kind, keeping only what tells values apart', () => {
    assert.equal(maskValue('email', 'john.smith@example.com'), 'j***@e***.com');
    assert.equal(maskValue('email', 'a@mail.example.co.uk'), 'a***@m***.uk');
    assert.equal(maskValue('card', '4242424242424242'), '**** **** **** 4242');
    assert.equal(maskValue('card', '4242-4242-4242-4242'), '****-****-****-4242');
    assert.equal(maskValue('card', '378282246310005'), '**** **** ***0 005');
    assert.equal(maskValue('iban', 'DE89 3704 0044 0532 0130 00'), 'DE** **** **** **** **30 00');
    assert.equal(maskValue('ssn', '123-45-6789'), '***-**-6789');
    assert.equal(maskValue('phone', '+44 20 7946 0958'), '+** ** **** **58');
    assert.equal(maskValue('ip', '203.0.113.7'), '203.***.***.***');
    assert.equal(maskValue('ip', '2001:db8::1'), '2001:***:***');
    assert.equal(maskGeneric('John Smith'), 'J*** S***');
    assert.equal(maskGeneric("Seán O'Brien-Murphy"), 'S*** O***-M***');
    assert.equal(maskGeneric('1984-03-12'), '****-**-**');
    assert.equal(maskGeneric('12 Main St, Springfield'), '** M*** S***, S***');
  });

  it('masks every value of a column flagged by name, whatever its shape', () => {
    assert.equal(maskNamed('email', 'ada@example.com'), 'a***@e***.com');
    assert.equal(maskNamed('email', 'n/a'), 'n***/a***');
    assert.equal(maskNamed('phone', '+44 20 7946 0958'), '+** ** **** **58');
    assert.equal(maskNamed('phone', 'ask John: 555 1234'), 'a*** J***: *** **34');
    assert.equal(maskNamed('card', '4242 4242 4242 4242'), '**** **** **** 4242');
    assert.equal(maskNamed('iban', 'DE89370400440532013000'), 'DE****************3000');
    assert.equal(maskNamed('iban', 'unknown'), 'u***');
    assert.equal(maskNamed('ssn', '123-45-6789'), '***-**-6789');
    assert.equal(maskNamed('ip', '203.0.113.7'), '203.***.***.***');
    assert.equal(maskNamed('name', 'Ada Lovelace'), 'A*** L***');
  });

  it('masks what it finds in running text and leaves the rest', () => {
    const { text, spans } = maskText('user john.smith@example.com paid with 4242 4242 4242 4242 from 203.0.113.7');
    assert.equal(text, 'user j***@e***.com paid with **** **** **** 4242 from 203.***.***.***');
    assert.deepEqual(
      spans.map((s) => s.kind),
      ['email', 'card', 'ip'],
    );
    assert.equal(maskText('nothing to see, 42 rows').text, 'nothing to see, 42 rows');
  });
});

function column(values: GuardCell[]): GuardCell[][] {
  return [values];
}

describe('PII table guard', () => {
  it('masks a column flagged by its name entirely, and others value by value', () => {
    const guard = new PiiTableGuard([
      { name: 'first_name', type: 'string' },
      { name: 'contact', type: 'string' },
      { name: 'city', type: 'string' },
    ]);
    const [names, contacts, cities] = guard.window([
      ['Ada', 'Grace', null, ''],
      ['ada@example.com', 'call +44 20 7946 0958', 'n/a', null],
      ['Lisbon', 'Porto', 'Oslo', 'Lima'],
    ]);
    assert.deepEqual(names, ['A***', 'G***', null, '']);
    assert.deepEqual(contacts, ['a***@e***.com', 'call +** ** **** **58', 'n/a', null]);
    assert.deepEqual(cities, ['Lisbon', 'Porto', 'Oslo', 'Lima']);
    assert.deepEqual(guard.maskedColumns(), [0, 1]);
    assert.deepEqual(guard.verdict(0), { kinds: ['name'], byName: true, found: 2, revealed: false });
    assert.deepEqual(guard.verdict(1)?.kinds, ['email', 'phone']);
    assert.equal(guard.verdict(2), undefined);
  });

  it('shows a revealed column as it is, and masks it again on request', () => {
    const guard = new PiiTableGuard([{ name: 'email' }]);
    const before = guard.revision;
    assert.deepEqual(guard.window(column(['ada@example.com'])), [['a***@e***.com']]);
    assert.ok(guard.reveal(0, true));
    assert.ok(guard.revision > before, 'a reveal makes served windows stale');
    assert.deepEqual(guard.window(column(['ada@example.com'])), [['ada@example.com']]);
    assert.deepEqual(guard.maskedColumns(), []);
    assert.deepEqual(guard.flaggedColumns(), [0]);
    assert.ok(guard.reveal(0, false));
    assert.deepEqual(guard.window(column(['ada@example.com'])), [['a***@e***.com']]);
    assert.equal(guard.reveal(0, false), false, 'no change, no new revision');
  });

  it('flags a column when a later window first shows personal data in it', () => {
    const guard = new PiiTableGuard([{ name: 'notes', type: 'string' }]);
    guard.sample([['fine'], ['all good']]);
    assert.equal(guard.verdict(0), undefined);
    const changes = guard.changes;
    assert.deepEqual(guard.window(column(['ok', 'mail me: bob@example.net'])), [['ok', 'mail me: b***@e***.net']]);
    assert.ok(guard.changes > changes);
    assert.deepEqual(guard.verdict(0)?.kinds, ['email']);
  });

  it('masks card numbers held as numbers, and stops looking in a column of ids that pass Luhn by chance', () => {
    const cards = new PiiTableGuard([{ name: 'paid_with', type: 'integer' }]);
    assert.deepEqual(cards.window(column([4242424242424242, 5555555555554444, 7])), [['**** **** **** 4242', '**** **** **** 4444', 7]]);
    // Random 16-digit ids: one in ten passes Luhn, and half of those start like a card.
    const ids: number[] = [];
    for (let i = 0; ids.length < 40; i++) ids.push(4000000000000000 + i * 7919);
    const lucky = ids.filter((id) => cardNumberValid(String(id)));
    assert.ok(lucky.length > 0 && lucky.length * 2 < ids.length, `${lucky.length} of ${ids.length} ids pass as cards`);
    assert.notEqual(new PiiTableGuard([{ name: 'x' }]).window(column([lucky[0]]))[0][0], lucky[0], 'alone, a lucky id is masked');
    const noisy = new PiiTableGuard([{ name: 'order_id', type: 'integer' }]);
    const shown = noisy.window(column(ids))[0];
    assert.ok(ids.length >= CARD_SAMPLE);
    assert.deepEqual(shown, ids, 'ids are shown as they are');
    assert.equal(noisy.verdict(0), undefined);
  });

  it('does not look for IPv4 in a version column', () => {
    const guard = new PiiTableGuard([{ name: 'build_version' }, { name: 'seen_from' }]);
    assert.deepEqual(guard.window([['4.2.1.0'], ['4.2.1.0']]), [['4.2.1.0'], ['4.***.***.***']]);
  });

  it('masks rows (copy, chart, export) the same way as windows', () => {
    const guard = new PiiTableGuard([{ name: 'id' }, { name: 'email' }]);
    assert.deepEqual(
      guard.rows([
        [1, 'ada@example.com'],
        [2, null],
      ]),
      [
        [1, 'a***@e***.com'],
        [2, null],
      ],
    );
  });
});
