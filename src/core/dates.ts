import type { Day } from './types.js';

const MS_PER_DAY = 86_400_000;

/** Day number of a proleptic Gregorian calendar date, or undefined when the date does not exist (2023-02-29). */
export function dayFromParts(year: number, month: number, dayOfMonth: number): Day | undefined {
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 31) return undefined;
  const ms = Date.UTC(year, month - 1, dayOfMonth);
  const d = new Date(ms);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== dayOfMonth) return undefined;
  return Math.floor(ms / MS_PER_DAY);
}

/** `formatDay(19787)` → `'2024-03-05'`. */
export function formatDay(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `parseIsoDay('2024-03-05')` → 19787; undefined for anything that is not a real YYYY-MM-DD date. */
export function parseIsoDay(text: string): Day | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  return dayFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
}
