import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectDecimalMark, parseNumber, type DecimalMark, type NumberFormat } from '../../src/io/number-format.js';
import { MONEY_SCALE, type Money } from '../../src/core/types.js';

// The plain `.`-decimal reader rfmkit began with, kept here as an independent oracle for parseNumber.
const MONEY_DIGITS = Math.log10(MONEY_SCALE);
const MAX_INTEGER_DIGITS = 11; // 10^11 units × 10^4 scale stays below 2^53

/**
 * A decimal number with a `.` as the decimal mark, as exact money units: `parseMoney('-12.5')` → −125 000.
 * Digits past the fourth decimal are rounded half away from zero. Undefined when the text is not such a number.
 */
function parseMoney(text: string): Money | undefined {
  let i = 0;
  let end = text.length;
  while (i < end && text.charCodeAt(i) === 32) i++;
  while (end > i && text.charCodeAt(end - 1) === 32) end--;
  let negative = false;
  const sign = text.charCodeAt(i);
  if (sign === 45 || sign === 43) {
    negative = sign === 45;
    i++;
  }
  let units = 0;
  let intDigits = 0;
  let c = 0;
  while (i < end && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
    units = units * 10 + (c - 48);
    intDigits++;
    i++;
  }
  let fraction = 0;
  let fracDigits = 0;
  let roundUp = false;
  if (i < end && text.charCodeAt(i) === 46) {
    i++;
    while (i < end && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      if (fracDigits < MONEY_DIGITS) fraction = fraction * 10 + (c - 48);
      else if (fracDigits === MONEY_DIGITS) roundUp = c >= 53;
      fracDigits++;
      i++;
    }
  }
  if (i !== end || intDigits + fracDigits === 0 || intDigits > MAX_INTEGER_DIGITS) return undefined;
  for (let k = Math.min(fracDigits, MONEY_DIGITS); k < MONEY_DIGITS; k++) fraction *= 10;
  const value = units * MONEY_SCALE + fraction + (roundUp ? 1 : 0);
  return negative ? -value : value;
}

// Money is an integer count of 1/10 000 currency units: 12.50 → 125 000.
const DOT: NumberFormat = Object.freeze({ mark: '.' });
const COMMA: NumberFormat = Object.freeze({ mark: ',' });

describe('parseNumber with a decimal point', () => {
  it.each([
    ['1234.56', 12_345_600], //           plain, as parseMoney
    ['1,234.56', 12_345_600], //          English grouping
    ['1 234.56', 12_345_600], //          space as group separator
    ['1\u00a0234.56', 12_345_600], //     no-break space (Excel in many locales)
    ['1\u202f234.56', 12_345_600], //     narrow no-break space (Intl.NumberFormat('fr'))
    ["1'234.56", 12_345_600], //          Swiss apostrophe
    ['1\u2019234.56', 12_345_600], //     a "smart" apostrophe
    ['1,234,567.89', 12_345_678_900], //  several groups
    ['$1,234.50', 12_345_000], //         sign before, no space
    ['EUR 12.00', 120_000], //            ISO code before, with a space
    ['12.00EUR', 120_000], //             ISO code after, no space
    ['12.00 USD', 120_000], //            ISO code after, with a space
    ['$12.00 USD', 120_000], //           sign before and code after, as Shopify shows amounts
    ["CHF 1'234.50", 12_345_000], //      Swiss franc, apostrophe groups
    ['¥1,000', 10_000_000], //            yen, no decimals
    ['US$5', 50_000], //                  letter-prefixed dollar
    ['£ 0.99', 9_900],
    ['-$5.00', -50_000], //               minus before the sign
    ['$-5.00', -50_000], //               minus after the sign
    ['- 5', -50_000], //                  a space after the minus
    ['(12.50)', -125_000], //             accounting negative
    ['($12.50)', -125_000], //            currency inside the parentheses
    ['$(12.50)', -125_000], //            currency outside
    ['(12.50) €', -125_000], //           currency after the parentheses
    ['+3', 30_000], //                    explicit plus
    ['  7  ', 70_000], //                 surrounding spaces
    ['\t7\u00a0', 70_000], //             surrounding tab and no-break space
    ['.5', 5_000], //                     no integer digits, as parseMoney
    ['5.', 50_000], //                    no decimals after the mark, as parseMoney
    ['1.23454', 12_345], //               5th decimal 4 → down
    ['1.23455', 12_346], //               5th decimal 5 → half away from zero
    ['-1.23455', -12_346], //             … also for negatives
    ['(1.23455)', -12_346], //            … and for parentheses
    ['99999999999.9999', 999_999_999_999_999], // 11 integer digits, the most parseMoney takes
    ['99,999,999,999.9999', 999_999_999_999_999], // the same with groups: separators are not digits
  ])('%j → %i', (text, expected) => expect(parseNumber(text, DOT)).toBe(expected));

  it.each([['-0'], ['(0.00)'], ['-$0']])('%j → 0, never -0', (text) => expect(Object.is(parseNumber(text, DOT), 0)).toBe(true));

  it.each([
    [''],
    ['   '],
    ['-'], //              a sign alone
    ['$'], //              a currency alone
    ['()'],
    ['abc'],
    ['12abc'], //          trailing letters that are no currency
    ['EURO 5'], //         EUR running into more letters
    ['1,23.4'], //         the group after the first must have 3 digits
    ['1,2345'], //         … not 4
    ['1234,567.00'], //    the first group has at most 3 digits
    ['1,234 567'], //      one separator throughout
    ['0,123'], //          a leading zero is never grouped: this is 0.123 with a decimal comma
    ['01,234'],
    ['1, 234'],
    ['1,,234'],
    ['1.234,56'], //       a decimal comma is garbage when the mark is '.'
    ['1.2.3'], //          two marks
    ['--5'],
    ['+-5'],
    ['(-5)'], //           parentheses and a sign: a double negative
    ['-(5)'],
    ['(5'], //             unbalanced
    ['5)'],
    ['$$5'], //            two prefixes
    ['5 € €'], //          two suffixes
    ['€5$'], //            two signs
    ['EUR 5 USD'], //      a code before and a code after
    ['1 2'], //            two numbers
    ['5-'], //             SAP's trailing minus is not accepted
    ['NaN'],
    ['Infinity'],
    ['1e5'], //            no exponents
    ['0x10'],
    ['100000000000'], //   12 integer digits, rejected as parseMoney does
  ])('%j → undefined', (text) => expect(parseNumber(text, DOT)).toBeUndefined());
});

describe('parseNumber with a decimal comma', () => {
  it.each([
    ['1.234,56', 12_345_600], //          German grouping
    ['1 234,56', 12_345_600], //          French, plain space
    ['1\u202f234,56', 12_345_600], //     French, narrow no-break space
    ["1'234,56", 12_345_600], //          apostrophe groups are allowed with either mark
    ['1234,56', 12_345_600], //           no groups
    ['12,5', 125_000],
    ['0,99', 9_900],
    [',5', 5_000], //                     no integer digits
    ['1.234', 12_340_000], //             '.' is the group separator: one thousand two hundred thirty-four
    ['1.234.567', 12_345_670_000], //     several groups
    ['1.234,50 €', 12_345_000], //        euro sign after, with a space
    ['1.234,50€', 12_345_000], //         … and without
    ['R$ 1.234,56', 12_345_600], //       Brazilian real
    ['12,50 zł', 125_000], //             Polish złoty
    ['-1.234,5', -12_345_000],
    ['(1.234,50 €)', -12_345_000],
    ['1,00005', 10_001], //               5th decimal 5 → half away from zero
  ])('%j → %i', (text, expected) => expect(parseNumber(text, COMMA)).toBe(expected));

  it.each([
    ['1,234.56'], // a decimal point is garbage when the mark is ','
    ['12.5'], //     '.5' is not a group of three
    ['1.23,4'],
    ['0.123'], //    a leading zero is never grouped
    ['1,2,3'],
  ])('%j → undefined', (text) => expect(parseNumber(text, COMMA)).toBeUndefined());
});

describe('parseNumber agrees with parseMoney on plain decimals', () => {
  const digits = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: max });
  const spaces = fc.constantFrom('', ' ', '  ');
  const plain = fc
    .tuple(spaces, fc.constantFrom('', '+', '-'), digits(13), fc.boolean(), digits(7), spaces)
    .map(([a, sign, int, dot, frac, b]) => `${a}${sign}${int}${dot ? '.' : ''}${dot ? frac : ''}${b}`);

  it('gives the same result (=== so that parseMoney’s -0 equals 0) for every plain text', () =>
    fc.assert(fc.property(plain, (text) => parseNumber(text, DOT) === parseMoney(text))));

  it('gives the same number whenever parseMoney reads a text of digits, signs, dots and spaces', () =>
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789.+- '), maxLength: 12 }), (text) => {
        const money = parseMoney(text);
        return money === undefined || parseNumber(text, DOT) === money;
      }),
    ));
});

/** A money value as a person's spreadsheet might write it. */
interface Rendering {
  readonly mark: DecimalMark;
  readonly group: string | undefined;
  readonly allDecimals: boolean; // 4 decimals always, or trailing zeros dropped
  readonly currency: string;
  readonly currencyAt: 'before' | 'after';
  readonly currencySpace: string;
  readonly negative: 'minus-first' | 'minus-after-currency' | 'parens-outside' | 'parens-inside';
  readonly plus: boolean;
}

function render(value: number, r: Rendering): string {
  const abs = Math.abs(value);
  const whole = String(Math.floor(abs / 10_000));
  let frac = String(abs % 10_000).padStart(4, '0');
  if (!r.allDecimals) frac = frac.replace(/0+$/, '');
  const grouped = r.group === undefined ? whole : whole.replace(/\B(?=(\d{3})+$)/g, r.group);
  const number = frac === '' ? grouped : `${grouped}${r.mark}${frac}`;
  const withCurrency = (n: string) =>
    r.currency === '' ? n : r.currencyAt === 'before' ? `${r.currency}${r.currencySpace}${n}` : `${n}${r.currencySpace}${r.currency}`;
  if (value >= 0) return `${r.plus ? '+' : ''}${withCurrency(number)}`;
  switch (r.negative) {
    case 'minus-first':
      return `-${withCurrency(number)}`;
    case 'minus-after-currency':
      return r.currencyAt === 'before' ? withCurrency(`-${number}`) : `-${withCurrency(number)}`;
    case 'parens-outside':
      return `(${withCurrency(number)})`;
    case 'parens-inside':
      return withCurrency(`(${number})`);
  }
}

const rendering: fc.Arbitrary<Rendering> = fc.constantFrom<DecimalMark>('.', ',').chain((mark) =>
  fc.record({
    mark: fc.constant(mark),
    group: fc.constantFrom(undefined, mark === '.' ? ',' : '.', ' ', '\u00a0', '\u202f', "'"),
    allDecimals: fc.boolean(),
    currency: fc.constantFrom('', '$', '€', '£', '¥', 'USD', 'EUR', 'GBP', 'CHF', 'kr', 'zł', 'R$', 'US$'),
    currencyAt: fc.constantFrom('before' as const, 'after' as const),
    currencySpace: fc.constantFrom('', ' ', '\u00a0'),
    negative: fc.constantFrom('minus-first' as const, 'minus-after-currency' as const, 'parens-outside' as const, 'parens-inside' as const),
    plus: fc.boolean(),
  }),
);

// ±(10^15 − 1) units: every value with at most 11 integer digits, the range parseMoney reads.
const money = fc.integer({ min: -(10 ** 15 - 1), max: 10 ** 15 - 1 });

describe('parseNumber reads back what is rendered', () => {
  it('for random money values in random written forms', () =>
    fc.assert(
      fc.property(money, rendering, (value, r) => {
        expect(parseNumber(render(value, r), { mark: r.mark })).toBe(value === 0 ? 0 : value);
      }),
      { numRuns: 2000 },
    ));

  it.each([
    [-125_000, { mark: ',', group: '.', allDecimals: false, currency: '€', currencyAt: 'after', currencySpace: ' ', negative: 'parens-inside', plus: false }, '(12,5) €'],
    [12_345_000, { mark: '.', group: ',', allDecimals: true, currency: '$', currencyAt: 'before', currencySpace: '', negative: 'minus-first', plus: false }, '$1,234.5000'],
    [-50_000, { mark: '.', group: undefined, allDecimals: false, currency: 'USD', currencyAt: 'before', currencySpace: ' ', negative: 'minus-after-currency', plus: false }, 'USD -5'],
  ] as const)('the renderer writes %i as expected', (value, r, text) => expect(render(value, r)).toBe(text));
});

describe('detectDecimalMark', () => {
  it.each([
    [['1.234,56'], { mark: ',' }], //                 a point before a comma: the point groups
    [['12,5'], { mark: ',' }], //                     a comma followed by other than 3 digits is a mark
    [['0,99'], { mark: ',' }],
    [['0,123'], { mark: ',' }], //                    0123 is no way to write 123, so the comma is a mark
    [['0.123'], { mark: '.' }],
    [['1.234.567'], { mark: ',' }], //                two points can only be group separators
    [['1.234,50 €'], { mark: ',' }], //               currency does not get in the way
    [['1,234.56'], { mark: '.' }],
    [['12.5'], { mark: '.' }],
    [['1,234,567'], { mark: '.' }],
    [['$1,234.50', '€ 12'], { mark: '.' }],
    [['1,234', '12,5'], { mark: ',' }], //            a proof settles the ambiguous 1,234 (= 1.234)
    [['1.234', '0,99', '5'], { mark: ',' }], //       … and 1.234 (= 1234); integers say nothing
    [['1,234'], { ambiguous: true, example: '1,234' }], // 1234 or 1.234
    [['7', '1.234', '1,234'], { ambiguous: true, example: '1.234' }], // the first ambiguous sample is shown
    [['1234', '17'], { none: true }], //             integers read the same either way
    [['1 234'], { none: true }], //                  so do space-grouped integers
    [['', 'n/a'], { none: true }], //                empty and non-numbers say nothing
    [[], { none: true }],
    [
      ['1,234.56', '12,5', '3.5'], //                 two prove '.', one proves ',': the lone 12,5 is the odd one out
      { contradiction: true, dot: { example: '1,234.56', count: 2 }, comma: { example: '12,5', count: 1 } },
    ],
  ])('%j → %j', (samples, expected) => expect(detectDecimalMark(Object.freeze(samples))).toEqual(expected));

  it('finds the mark of values written with 4 decimals, whatever else the rendering does', () =>
    fc.assert(
      // Four digits after a mark can never be a group of three, so every such value proves its mark.
      fc.property(fc.array(money, { minLength: 1, maxLength: 10 }), rendering, (values, r) => {
        const samples = values.map((v) => render(v, { ...r, allDecimals: true }));
        expect(detectDecimalMark(samples)).toEqual({ mark: r.mark });
      }),
    ));
});
