import { parse as parseWithFormat, isValid } from 'date-fns';
import { dayFromParts } from '../core/dates.js';
import { MONEY_SCALE, type Day, type Money } from '../core/types.js';

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

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const REFERENCE_DATE = new Date(2000, 0, 1);

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** Calendar day in `timeZone` of an instant given in milliseconds since the epoch. */
function dayInZone(ms: number, timeZone: string): Day | undefined {
  if (timeZone === 'UTC') return Math.floor(ms / 86_400_000);
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, formatter);
  }
  let year = 0;
  let month = 0;
  let dayOfMonth = 0;
  for (const part of formatter.formatToParts(ms)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') dayOfMonth = Number(part.value);
  }
  return dayFromParts(year, month, dayOfMonth);
}

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
 * The calendar day a date cell names, or undefined when it is not a date in the accepted forms.
 * The day is the date as written; only a timestamp with an offset (`Z`, `+02:00`) is first moved to `spec.timeZone`.
 * `parseDay('2024-03-05T23:30:00-02:00', { timeZone: 'UTC' })` → the day of 2024-03-06.
 */
export function parseDay(raw: string, spec: DateSpec): Day | undefined {
  const text = raw.trim();
  if (spec.format !== undefined) {
    // date-fns reads into a local Date; the CLI runs with TZ=UTC, and only the written fields are used either way.
    const parsed = parseWithFormat(text, spec.format, REFERENCE_DATE);
    if (!isValid(parsed)) return undefined;
    return dayFromParts(parsed.getFullYear(), parsed.getMonth() + 1, parsed.getDate());
  }
  const iso = ISO_DATE_TIME.exec(text);
  if (iso) {
    const year = Number(iso[1]);
    const month = Number(iso[2]);
    const dayOfMonth = Number(iso[3]);
    const day = dayFromParts(year, month, dayOfMonth);
    if (day === undefined) return undefined;
    if (iso[4] !== undefined && (Number(iso[4]) > 23 || Number(iso[5]) > 59 || Number(iso[6] ?? 0) > 59)) return undefined;
    const offset = iso[7];
    if (offset === undefined) return day;
    let offsetMinutes = 0;
    if (offset !== 'Z') {
      const digits = offset.replace(':', '');
      const hours = Number(digits.slice(1, 3));
      const minutes = Number(digits.slice(3, 5));
      if (hours > 23 || minutes > 59) return undefined;
      offsetMinutes = (digits[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
    }
    const ms =
      day * 86_400_000 + (Number(iso[4]) * 60 + Number(iso[5]) - offsetMinutes) * 60_000 + Number(iso[6] ?? 0) * 1000;
    return dayInZone(ms, spec.timeZone);
  }
  const compact = COMPACT_DATE.exec(text);
  if (compact) return dayFromParts(Number(compact[1]), Number(compact[2]), Number(compact[3]));
  return undefined;
}
