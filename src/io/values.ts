import { createRequire } from 'node:module';
import { dayFromParts } from '../core/dates.js';
import type { Day } from '../core/types.js';
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

interface DateFns {
  readonly parse: typeof import('date-fns/parse').parse;
  readonly isValid: typeof import('date-fns/isValid').isValid;
}
let loaded: DateFns | undefined;

/**
 * date-fns's parser, loaded when a date pattern of its own is first read: it is about 50 modules, which took 40–50 ms
 * to load at every start (and in every reader thread) for the ISO dates nearly every export has.
 */
function dateFns(): DateFns {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    loaded = { parse: (require('date-fns/parse') as DateFns).parse, isValid: (require('date-fns/isValid') as DateFns).isValid };
  }
  return loaded;
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
  const { parse, isValid } = dateFns();
  const parsed = parse(text, format, REFERENCE_DATE);
  if (!isValid(parsed)) return undefined;
  return dayFromParts(parsed.getFullYear(), parsed.getMonth() + 1, parsed.getDate());
}
