import { MONEY_SCALE, type Money } from '../core/types.js';

/**
 * Amounts as people's spreadsheets write them: `1,234.56`, `1.234,56`, `1 234,56 €`, `$-5.00`, `(12.50)`, `CHF 1'234.50`.
 * The decimal mark is the one thing that cannot be read from a single value (`1,234` is 1234 or 1.234), so it is a setting
 * per column, found from the data with `detectDecimalMark` or given by the user.
 */

export type DecimalMark = '.' | ',';

/** How the numbers of one column are written. Group separators follow from the mark (see `parseNumber`). */
export interface NumberFormat {
  readonly mark: DecimalMark;
}

/** The first sample that proves a mark, and how many samples prove it. */
export interface MarkEvidence {
  readonly example: string;
  readonly count: number;
}

/**
 * What the samples of a column say about its decimal mark.
 * - `{ mark }`: at least one sample proves this mark and none proves the other; usable as a `NumberFormat`.
 * - `{ ambiguous, example }`: no sample proves a mark, and `example` reads as two different numbers (`1,234`); ask the user.
 * - `{ none }`: no sample tells (empty, integers like `1234` or `1 234` that read the same either way, or not numbers);
 *   the column reads the same with either mark, so the default `.` is safe for these samples.
 * - `{ contradiction, dot, comma }`: some samples prove `.` and others `,`. The smaller `count` is usually the odd one out.
 */
export type DecimalMarkDetection =
  | NumberFormat
  | { readonly ambiguous: true; readonly example: string }
  | { readonly none: true }
  | { readonly contradiction: true; readonly dot: MarkEvidence; readonly comma: MarkEvidence };

const MONEY_DIGITS = Math.log10(MONEY_SCALE);
const MAX_INTEGER_DIGITS = 11; // as parseMoney: 10^11 units × 10^4 scale stays below 2^53

const SPACE = 0x20;
const TAB = 0x09;
const NO_BREAK_SPACE = 0xa0; // what Excel and LibreOffice put between groups in many locales
const THIN_SPACE = 0x2009;
const NARROW_NO_BREAK_SPACE = 0x202f; // the French group separator since CLDR 34 (Intl.NumberFormat('fr'))
const APOSTROPHE = 0x27; // Swiss: 1'234.50
const RIGHT_SINGLE_QUOTE = 0x2019; // the apostrophe after word processors "smarten" it

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === NO_BREAK_SPACE || c === NARROW_NO_BREAK_SPACE || c === THIN_SPACE;
}

/** Characters that may separate groups of three digits, besides the other of `.` and `,`. TAB is never one. */
function isGroupSeparator(c: number, mark: DecimalMark): boolean {
  if (c === 0x2c) return mark === '.'; // ','
  if (c === 0x2e) return mark === ','; // '.'
  return c === SPACE || c === NO_BREAK_SPACE || c === NARROW_NO_BREAK_SPACE || c === THIN_SPACE || c === APOSTROPHE || c === RIGHT_SINGLE_QUOTE;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * A currency sign or code at the sticky position: one-character signs, `US$`-style dollars (1–3 capitals and `$`), ISO 4217
 * codes (any three capitals: a fixed list would reject codes withdrawn since the export was made, such as HRK), and the
 * letter symbols that Europe and Asia write after the amount. Longer alternatives come first so `kr.` wins over `kr`.
 */
const CURRENCY = /(?:[A-Z]{1,3}\$|[A-Z]{3}|[$€£¥￥₹₽₩₺₪₫₴₦₱฿₡₲₵₸₼₾₭₮₨৳]|[kK]r\.?|Fr\.?|Rs\.?|zł|Kč|Ft|Rp|RM|lei|R)/y;
const ISO_CODE = /^[A-Z]{3}$/;

/** Length of the currency sign or code at `i`, or 0; a sign must not run into further letters (`EURO` is not `EUR`). */
function currencyAt(text: string, i: number, end: number): number {
  CURRENCY.lastIndex = i;
  const m = CURRENCY.exec(text);
  if (!m) return 0;
  const after = i + m[0].length;
  if (after > end) return 0;
  if (after < end && /\p{L}/u.test(text[after]!)) return 0;
  return m[0].length;
}

/**
 * A number in the written forms people have, as exact money units (1/10 000), or undefined when `text` is not one.
 *
 * `parseNumber('1.234,50 €', { mark: ',' })` → 12 345 000; `parseNumber('(12.50)', { mark: '.' })` → −125 000.
 *
 * - The decimal mark is `format.mark`. Groups of three digits may be separated by the other of `.`/`,`, a space
 *   (also U+00A0, U+202F, U+2009) or an apostrophe (also U+2019); one separator throughout, the first group 1–3 digits,
 *   every later group exactly 3 and only before the mark: `1,23.4`, `1234,567` and `0,123` are not numbers.
 * - A sign `+`/`-` before the digits, before or after a currency sign; or parentheses for a negative amount (not both).
 * - A currency sign or code before or after the digits, with or without a space (`$1,234.50`, `1.234,50 €`, `EUR 12.00`);
 *   both only as a sign before and an ISO code after (`$12.00 USD`, as Shopify shows amounts).
 * - Spaces around everything. More than 4 decimals are rounded half away from zero, and more than 11 integer digits are
 *   rejected, both exactly as `parseMoney`, which this agrees with on every plain `.`-decimal text. No `-0`: `-0` → 0.
 */
export function parseNumber(text: string, format: NumberFormat): Money | undefined {
  const mark = format.mark === '.' ? 0x2e : 0x2c;
  let i = 0;
  let end = text.length;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  while (end > i && isSpace(text.charCodeAt(end - 1))) end--;

  let negative = false;
  let signed = false;
  let openParen = false;
  let prefix = ''; // the currency before the digits, if any

  // Before the digits: sign, currency and an opening parenthesis, in any order the rules above allow.
  for (;;) {
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i === end) return undefined;
    const c = text.charCodeAt(i);
    if (isDigit(c) || c === mark) break;
    if (c === 0x28 && !openParen && !signed) {
      openParen = true;
      i++;
    } else if ((c === 0x2d || c === 0x2b) && !signed && !openParen) {
      signed = true;
      negative = c === 0x2d;
      i++;
    } else {
      const length = prefix === '' ? currencyAt(text, i, end) : 0;
      if (length === 0) return undefined;
      prefix = text.slice(i, i + length);
      i += length;
    }
  }

  // The digits: integer part with optional groups, then the mark and any number of decimals.
  let units = 0;
  let intDigits = 0;
  let run = 0; // digits since the last group separator: the first group may have 1–3
  let separator = -1; // the group separator in use, once one is seen
  const leadingZero = text.charCodeAt(i) === 48;
  let c = 0;
  for (;;) {
    while (i < end && isDigit((c = text.charCodeAt(i)))) {
      units = units * 10 + (c - 48);
      intDigits++;
      run++;
      i++;
    }
    if (i === end) break;
    c = text.charCodeAt(i);
    // A separator counts only when exactly three digits follow it; otherwise the digits end here (`12 €`, `1,23.4`).
    if (!isGroupSeparator(c, format.mark) || (separator !== -1 && c !== separator)) break;
    if (i + 3 >= end || !isDigit(text.charCodeAt(i + 1)) || !isDigit(text.charCodeAt(i + 2))) break;
    if (!isDigit(text.charCodeAt(i + 3)) || (i + 4 < end && isDigit(text.charCodeAt(i + 4)))) break;
    // `1234,567`: the first group is too long; `0,123`: nobody groups a leading zero, so this is 0.123 in another mark.
    if (separator === -1 && (run > 3 || leadingZero)) return undefined;
    separator = c;
    run = 0;
    i++;
  }
  let fraction = 0;
  let fracDigits = 0;
  let roundUp = false;
  if (i < end && text.charCodeAt(i) === mark) {
    i++;
    while (i < end && isDigit((c = text.charCodeAt(i)))) {
      if (fracDigits < MONEY_DIGITS) fraction = fraction * 10 + (c - 48);
      else if (fracDigits === MONEY_DIGITS) roundUp = c >= 53;
      fracDigits++;
      i++;
    }
  }
  if (intDigits + fracDigits === 0 || intDigits > MAX_INTEGER_DIGITS) return undefined;

  // After the digits: currency and the closing parenthesis.
  let suffix = '';
  let closeParen = false;
  for (;;) {
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i === end) break;
    if (text.charCodeAt(i) === 0x29 && openParen && !closeParen) {
      closeParen = true;
      i++;
      continue;
    }
    const length = suffix === '' ? currencyAt(text, i, end) : 0;
    if (length === 0) return undefined;
    suffix = text.slice(i, i + length);
    i += length;
  }
  if (openParen !== closeParen) return undefined;
  if (prefix !== '' && suffix !== '' && (ISO_CODE.test(prefix) || !ISO_CODE.test(suffix))) return undefined;

  for (let k = Math.min(fracDigits, MONEY_DIGITS); k < MONEY_DIGITS; k++) fraction *= 10;
  const value = units * MONEY_SCALE + fraction + (roundUp ? 1 : 0);
  return (negative || openParen) && value !== 0 ? -value : value;
}

const DOT: NumberFormat = { mark: '.' };
const COMMA: NumberFormat = { mark: ',' };

/**
 * The decimal mark of a column, from its values: a sample proves a mark when it is a number with that mark only
 * (`12,5`, `0,99`, `1.234,56`, `1.234.567` prove `,`; `12.5`, `1,234.56` prove `.`). A sample that reads as two different
 * numbers (`1,234`, `1.234`) cannot tell; one that reads the same either way (`1234`, `1 234`, `$5`) or not at all says
 * nothing. See `DecimalMarkDetection` for the results.
 *
 * `detectDecimalMark(['1.234', '0,99'])` → `{ mark: ',' }`; `detectDecimalMark(['1,234'])` → `{ ambiguous: true, example: '1,234' }`.
 */
export function detectDecimalMark(samples: readonly string[]): DecimalMarkDetection {
  let dot: MarkEvidence | undefined;
  let comma: MarkEvidence | undefined;
  let ambiguous: string | undefined;
  for (const sample of samples) {
    const asDot = parseNumber(sample, DOT);
    const asComma = parseNumber(sample, COMMA);
    if (asDot !== undefined && asComma === undefined) dot = { example: dot?.example ?? sample, count: (dot?.count ?? 0) + 1 };
    else if (asComma !== undefined && asDot === undefined) comma = { example: comma?.example ?? sample, count: (comma?.count ?? 0) + 1 };
    else if (asDot !== undefined && asDot !== asComma) ambiguous ??= sample;
  }
  if (dot && comma) return { contradiction: true, dot, comma };
  if (dot) return DOT;
  if (comma) return COMMA;
  if (ambiguous !== undefined) return { ambiguous: true, example: ambiguous };
  return { none: true };
}
