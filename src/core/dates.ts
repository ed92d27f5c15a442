import type { Day } from './types.js';

const MS_PER_DAY = 86_400_000;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Day number of a proleptic Gregorian calendar date, or undefined when the date does not exist (2023-02-29).
 * Plain arithmetic (Howard Hinnant's days_from_civil), no Date object: this runs once per row.
 * `dayFromParts(1970, 1, 1)` → 0; `dayFromParts(2024, 3, 5)` → 19787.
 */
export function dayFromParts(year: number, month: number, dayOfMonth: number): Day | undefined {
  if (!Number.isInteger(year) || month < 1 || month > 12 || dayOfMonth < 1) return undefined;
  if (dayOfMonth > (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + dayOfMonth - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

const formatted = new Map<Day, string>();

/** `formatDay(19787)` → `'2024-03-05'`. Remembered per day: an export has few distinct days and millions of dates. */
export function formatDay(day: Day): string {
  let text = formatted.get(day);
  if (text === undefined) {
    text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    if (formatted.size < 100_000) formatted.set(day, text);
  }
  return text;
}

/** `parseIsoDay('2024-03-05')` → 19787; undefined for anything that is not a real YYYY-MM-DD date. */
export function parseIsoDay(text: string): Day | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  return dayFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
}
