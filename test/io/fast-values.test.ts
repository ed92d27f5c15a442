import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayFromParts } from '../../src/core/dates.js';
import { dayNumber, isoDayFromBytes, numberFromBytes } from '../../src/io/fast/bytes.js';
import { parseNumber } from '../../src/io/number-format.js';
import { parseDay } from '../../src/io/values.js';

// The fast reader's byte-level parsers against the functions interpretRow calls. A byte parser may decline (NaN) where
// its twin reads the text (the row then goes to interpretRow), but it must never give a different value.

const bytes = (text: string) => Buffer.from(text, 'utf8');
const fastNumber = (text: string, mark: '.' | ',') => numberFromBytes(bytes(text), 0, bytes(text).length, mark === '.' ? 46 : 44);
const fastDay = (text: string, utc = true) => isoDayFromBytes(bytes(text), 0, bytes(text).length, utc);

describe('numberFromBytes', () => {
  it.each<[string, '.' | ',', number]>([
    ['12.50', '.', 125_000],
    ['-12.5', '.', -125_000],
    ['+3', '.', 30_000],
    ['  7.25 ', '.', 72_500],
    ['0.00005', '.', 1], //           half away from zero at the fifth decimal
    ['-0.00005', '.', -1],
    ['0.00004999', '.', 0],
    ['1.99995', '.', 20_000],
    ['.5', '.', 5_000],
    ['5.', '.', 50_000],
    ['-0', '.', 0], //                parseNumber has no −0
    ['-0.00', '.', 0],
    ['99999999999.9999', '.', 999_999_999_999_999],
    ['12,5', ',', 125_000],
    ['-0,99', ',', -9_900],
  ])('%j with mark %j is %d, as parseNumber', (text, mark, expected) => {
    expect(parseNumber(text, { mark })).toBe(expected);
    expect(Object.is(fastNumber(text, mark), expected)).toBe(true);
  });

  it.each<[string, '.' | ',']>([
    ['1,234.50', '.'], // groups, currency, parentheses, tabs, a sign then a space: parseNumber reads them, the bytes do not
    ['$5', '.'],
    ['(12.50)', '.'],
    ['\t5', '.'],
    ['- 5', '.'],
    ['1.234,5', ','],
    ['12.5', ','],
    ['', '.'],
    ['.', '.'],
    ['+-5', '.'],
    ['123456789012', '.'], // 12 integer digits: refused by both
    ['1e5', '.'],
    ['５', '.'],
  ])('declines %j with mark %j (NaN), leaving it to parseNumber', (text, mark) => {
    expect(fastNumber(text, mark)).toBeNaN();
  });

  it('never disagrees with parseNumber, on any text of number-like characters', () => {
    const chars = fc.constantFrom(...'0123456789.,+- $()\tE'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 18 }).map((a) => a.join('')), fc.constantFrom<'.' | ','>('.', ','), (text, mark) => {
        const fast = fastNumber(text, mark);
        if (!Number.isNaN(fast)) expect(fast).toBe(parseNumber(text, { mark }));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads every plain number (sign, digits, mark, digits, spaces) exactly as parseNumber', () => {
    const digits = (max: number) => fc.stringMatching(new RegExp(`^[0-9]{0,${max}}$`));
    const plain = fc
      .tuple(fc.constantFrom('', ' ', '  '), fc.constantFrom('', '-', '+'), digits(12), fc.boolean(), digits(7), fc.constantFrom('', ' '), fc.constantFrom<'.' | ','>('.', ','))
      .map(([lead, sign, int, hasMark, frac, trail, mark]) => ({ text: `${lead}${sign}${int}${hasMark ? mark : ''}${hasMark ? frac : ''}${trail}`, mark }));
    fc.assert(
      fc.property(plain, ({ text, mark }) => {
        const expected = parseNumber(text, { mark });
        expect(fastNumber(text, mark)).toBe(expected ?? NaN);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('dayNumber', () => {
  it('is dayFromParts for every day of years 1, 99, 100, 1600, 9999 and 1890 to 2210 (its table covers 1900 to 2199)', () => {
    const years = [1, 99, 100, 1600, 9999, ...Array.from({ length: 321 }, (_, k) => 1890 + k)];
    for (const year of years) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) expect(dayNumber(year, month, day)).toBe(dayFromParts(year, month, day) ?? NaN);
      }
    }
  });

  it('is dayFromParts on random dates of years 0 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
        expect(dayNumber(y, m, d)).toBe(dayFromParts(y, m, d) ?? NaN);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('isoDayFromBytes', () => {
  it.each([
    ['2024-03-05', 19787],
    ['20240305', 19787],
    ['2024-03-05 14:30', 19787],
    ['2024-03-05T14:30:59', 19787],
    ['2024-03-05T14:30:59.123456', 19787],
    ['2024-03-05T14:30:00Z', 19787],
    ['2024-03-05T23:30:00-02:00', 19788], // 01:30 UTC on the 6th
    ['2024-03-05T00:30:00+0100', 19786],
    ['2024-02-29', 19782],
    ['0099-01-01', dayFromParts(99, 1, 1)!], // years below 100 are dayFromParts's to judge
  ])('%j is day %d, as parseDay in UTC', (text, expected) => {
    expect(parseDay(text, { timeZone: 'UTC' })).toBe(expected);
    expect(fastDay(text)).toBe(expected);
  });

  it.each(['2023-02-29', '2024-13-01', '2024-03-05T24:00', '2024-03-05T12:60', '2024-03-05 12:00:60', '2024-3-5', ' 2024-03-05', '2024-03-05T12:00:00+24:00', '2024-03-05T12:00:00.', '24-03-05'])(
    'declines %j (NaN), leaving it to parseDay',
    (text) => {
      expect(fastDay(text)).toBeNaN();
    },
  );

  it('declines an offset when the time zone is not UTC (parseDay then asks Intl)', () => {
    expect(fastDay('2024-03-05T23:30:00-02:00', false)).toBeNaN();
    expect(fastDay('2024-03-05T23:30:00', false)).toBe(19787); // no offset: the date as written, in any zone
  });

  it('never disagrees with parseDay, on random date-like text', () => {
    const chars = fc.constantFrom(...'0123456789-:T .Z+'.split(''));
    const text = fc.oneof(
      fc.array(chars, { maxLength: 26 }).map((a) => a.join('')),
      // mostly well-formed, with random digits: invalid months, days, hours and offsets too
      fc
        .tuple(
          fc.stringMatching(/^[0-9]{4}$/),
          fc.stringMatching(/^[0-9]{2}$/),
          fc.stringMatching(/^[0-9]{2}$/),
          fc.constantFrom('', 'T', ' '),
          fc.stringMatching(/^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,4})?)?$/),
          fc.constantFrom('', 'Z', '+01:00', '-0230', '+2400', '-11:59'),
        )
        .map(([y, m, d, sep, time, zone]) => `${y}-${m}-${d}${sep === '' ? '' : sep + time + zone}`),
    );
    fc.assert(
      fc.property(text, fc.boolean(), (t, utc) => {
        const fast = fastDay(t, utc);
        if (!Number.isNaN(fast)) expect(fast).toBe(parseDay(t, { timeZone: utc ? 'UTC' : 'Europe/Berlin' }));
      }),
      { numRuns: 20_000 },
    );
  });
});
