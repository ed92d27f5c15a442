import { dayFromParts } from '../../core/dates.js';
import { MONEY_SCALE } from '../../core/types.js';

// Byte-level twins of parseNumber and parseDay (src/io/number-format.ts, src/io/values.ts) for the fast reader. Each
// returns NaN where its twin might not give the same answer; the caller then hands the row's text to interpretRow, which
// decides. test/io/fast-values.test.ts checks them against the originals, also on random text.

const MONEY_DIGITS = Math.log10(MONEY_SCALE);
const MAX_INTEGER_DIGITS = 11; // as parseNumber: 10^11 units × 10^4 scale stays below 2^53

/**
 * parseNumber (src/io/number-format.ts) on the bytes `b[start..end)` for plain numbers only: spaces, an optional sign,
 * digits with `mark` (46 for `.`, 44 for `,`) as the decimal mark, spaces. NaN for anything else — groups, currency,
 * parentheses, tabs — which parseNumber may still read: the caller then asks it. As parseNumber, `-0` is 0.
 * `numberFromBytes(Buffer.from('-12.5'), 0, 5, 46)` → −125 000.
 */
export function numberFromBytes(b: Uint8Array, start: number, end: number, mark: number): number {
  let i = start;
  while (i < end && b[i] === 32) i++;
  while (end > i && b[end - 1] === 32) end--;
  let negative = false;
  if (i < end) {
    const sign = b[i]!;
    if (sign === 45 || sign === 43) {
      negative = sign === 45;
      i++;
    }
  }
  let units = 0;
  let intDigits = 0;
  let c = 0;
  while (i < end && (c = b[i]!) >= 48 && c <= 57) {
    units = units * 10 + (c - 48);
    intDigits++;
    i++;
  }
  let fraction = 0;
  let fracDigits = 0;
  let roundUp = false;
  if (i < end && b[i] === mark) {
    i++;
    while (i < end && (c = b[i]!) >= 48 && c <= 57) {
      if (fracDigits < MONEY_DIGITS) fraction = fraction * 10 + (c - 48);
      else if (fracDigits === MONEY_DIGITS) roundUp = c >= 53;
      fracDigits++;
      i++;
    }
  }
  if (i !== end || intDigits + fracDigits === 0 || intDigits > MAX_INTEGER_DIGITS) return NaN;
  for (let k = Math.min(fracDigits, MONEY_DIGITS); k < MONEY_DIGITS; k++) fraction *= 10;
  const value = units * MONEY_SCALE + fraction + (roundUp ? 1 : 0);
  return negative && value !== 0 ? -value : value;
}

/** Years whose months' first days and lengths are in a table (dayNumber), from TABLE_FROM on. */
const TABLE_FROM = 1900;
const TABLE_YEARS = 300;
/** Month k from January TABLE_FROM on: its first day (dayFromParts) and its days. */
const monthStart = new Int32Array(TABLE_YEARS * 12);
const monthDays = new Uint8Array(TABLE_YEARS * 12);
for (let k = 0; k < monthStart.length; k++) {
  const year = TABLE_FROM + Math.floor(k / 12);
  const month = (k % 12) + 1;
  monthStart[k] = dayFromParts(year, month, 1)!;
  let days = 28;
  while (days < 31 && dayFromParts(year, month, days + 1) !== undefined) days++;
  monthDays[k] = days;
}

/**
 * dayFromParts, NaN rather than undefined, and NaN for parts that are NaN (a non-digit was read). Years 1900–2199 from
 * a table of months (8 ns a date rather than 31, which counts for exports whose dates are not in order).
 */
export function dayNumber(year: number, month: number, dayOfMonth: number): number {
  if (!(year >= 0 && month >= 1 && month <= 12 && dayOfMonth >= 1)) return NaN;
  const k = (year - TABLE_FROM) * 12 + month - 1;
  if (k >= 0 && k < monthStart.length) return dayOfMonth <= monthDays[k]! ? monthStart[k]! + dayOfMonth - 1 : NaN;
  return dayFromParts(year, month, dayOfMonth) ?? NaN;
}

function digit(b: Uint8Array, i: number): number {
  const c = b[i]! - 48;
  return c >= 0 && c <= 9 ? c : NaN;
}

/** The two digits at `b[i]`, `b[i + 1]` as a number; NaN when either is not a digit. */
function two(b: Uint8Array, i: number): number {
  const high = b[i]! - 48;
  const low = b[i + 1]! - 48;
  return high >>> 0 <= 9 && low >>> 0 <= 9 ? high * 10 + low : NaN;
}

/**
 * parseDay with the built-in forms on `b[start..end)`, for the common shapes only: `2024-03-05`, `20240305`,
 * `2024-03-05[T ]14:30[:00[.000…]]`, and when `utc` (the --tz is UTC) also a trailing `Z`, `+02:00` or `+0200`.
 * NaN for anything else, including dates that do not exist: the caller asks parseDay, which then decides.
 */
export function isoDayFromBytes(b: Uint8Array, start: number, end: number, utc: boolean): number {
  const n = end - start;
  if (n === 8) {
    return dayNumber(two(b, start) * 100 + two(b, start + 2), two(b, start + 4), two(b, start + 6));
  }
  if (n < 10 || b[start + 4] !== 45 || b[start + 7] !== 45) return NaN;
  const day = dayNumber(two(b, start) * 100 + two(b, start + 2), two(b, start + 5), two(b, start + 8));
  if (n === 10 || day !== day) return day;
  const t = b[start + 10];
  if ((t !== 84 && t !== 32) || n < 16 || b[start + 13] !== 58) return NaN;
  const hours = two(b, start + 11);
  const minutes = two(b, start + 14);
  let seconds = 0;
  let i = start + 16;
  if (i < end && b[i] === 58) {
    if (end - i < 3) return NaN;
    seconds = two(b, i + 1);
    i += 3;
    if (i < end && b[i] === 46) {
      const first = ++i;
      while (i < end && digit(b, i) === digit(b, i)) i++;
      if (i === first) return NaN;
    }
  }
  if (!(hours <= 23 && minutes <= 59 && seconds <= 59)) return NaN;
  if (i === end) return day;
  if (!utc) return NaN;
  if (b[i] === 90) return i + 1 === end ? day : NaN; // 'Z'
  const sign = b[i];
  if (sign !== 43 && sign !== 45) return NaN;
  let offsetHours: number;
  let offsetMinutes: number;
  if (end - i === 6 && b[i + 3] === 58) {
    offsetHours = two(b, i + 1);
    offsetMinutes = two(b, i + 4);
  } else if (end - i === 5) {
    offsetHours = two(b, i + 1);
    offsetMinutes = two(b, i + 3);
  } else {
    return NaN;
  }
  if (!(offsetHours <= 23 && offsetMinutes <= 59)) return NaN;
  const offset = (sign === 45 ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  // The same arithmetic as parseDay followed by dayInZone(ms, 'UTC').
  const ms = day * 86_400_000 + (hours * 60 + minutes - offset) * 60_000 + seconds * 1000;
  return Math.floor(ms / 86_400_000);
}
