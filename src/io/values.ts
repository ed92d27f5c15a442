import { parse as parseWithFormat, isValid } from 'date-fns';
import { dayFromParts } from '../core/dates.js';
import { MONEY_SCALE, type Day, type Money } from '../core/types.js';
import { isDateFormat, parseDateIn } from './date-format.js';

/**
 * How a date cell is read. `format` is a date-fns pattern (`dd/MM/yyyy`); without it the built-in forms are accepted:
 * `2024-03-05`, `2024-03-05 14:30[:00[.000]]`, `2024-03-05T14:30:00Z` or `+02:00`, `20240305`.
 * `timeZone` (IANA name) is where an instant with an offset is turned into a calendar day.
 */
export interface DateSpec {
  readonly format?: string;
  readonly timeZone: string;
}

const MONEY_DIGITS = Math.log10(MONEY_SCALE);
const MAX_INTEGER_DIGITS = 11; // 10^11 units × 10^4 scale stays below 2^53

/**
 * A decimal number with a `.` as the decimal mark, as exact money units: `parseMoney('-12.5')` → −125 000.
 * Digits past the fourth decimal are rounded half away from zero. Undefined when the text is not such a number.
 */
export function parseMoney(text: string): Money | undefined {
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

const REFERENCE_DATE = new Date(2000, 0, 1);

/** True when `timeZone` is an IANA zone name this Node knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The calendar day a date cell names, or undefined when it is not a date in the expected form.
 * Without a format: ISO dates and timestamps, and `yyyyMMdd`. With one of rfmkit's named formats (src/io/date-format.ts)
 * that format; with any other text, a date-fns pattern. The day is the date as written; only a timestamp with an offset
 * (`Z`, `+02:00`) is first moved to `spec.timeZone`: `parseDay('2024-03-05T23:30:00-02:00', { timeZone: 'UTC' })` is
 * the day of 2024-03-06.
 */
export function parseDay(raw: string, spec: DateSpec): Day | undefined {
  const text = raw.trim();
  const format = spec.format;
  if (format === undefined) return parseDateIn(text, 'yyyy-MM-dd', spec.timeZone) ?? parseDateIn(text, 'yyyyMMdd');
  if (isDateFormat(format)) return parseDateIn(text, format, spec.timeZone);
  // date-fns reads into a local Date; the CLI runs with TZ=UTC, and only the written fields are used either way.
  const parsed = parseWithFormat(text, format, REFERENCE_DATE);
  if (!isValid(parsed)) return undefined;
  return dayFromParts(parsed.getFullYear(), parsed.getMonth() + 1, parsed.getDate());
}
