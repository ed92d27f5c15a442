import { dayFromParts } from '../core/dates.js';
import type { Day } from '../core/types.js';

/**
 * The date forms found in real exports, each named by its date-fns pattern so the name can be shown to a person and given
 * back as `--date-format`. Two names stretch the pattern, and both are listed in `DATE_FORMAT_EXAMPLES`:
 * - `yyyy-MM-dd` is every ISO form `parseDay` reads: a date, optionally with `THH:mm[:ss[.fff]]` or ` HH:mm…` and an
 *   offset (`Z`, `+02:00`, `+0200`);
 * - `excel-serial` is no date-fns pattern: Excel's day number (`45356` = 2024-03-05), as a sheet saved as CSV without
 *   a date format writes it.
 * In the other patterns `d`/`dd` and `M`/`MM` accept one or two digits (as date-fns parses them: `5/3/2024` fits
 * `dd/MM/yyyy`), `yyyy` exactly four, `yy` exactly two, `MMM` an English month abbreviation in any case.
 */
export type DateFormat =
  | 'yyyy-MM-dd'
  | 'yyyyMMdd'
  | 'dd/MM/yyyy'
  | 'MM/dd/yyyy'
  | 'dd.MM.yyyy'
  | 'd-MMM-yy'
  | 'd-MMM-yyyy'
  | 'd/M/yyyy H:mm'
  | 'M/d/yyyy H:mm'
  | 'excel-serial';

/**
 * What the samples of a column say about its date format.
 * - `{ format }`: the one format that reads every non-empty sample (also `yyyy-MM-dd` when there are none, the default).
 * - `{ ambiguous, candidates, example }`: several formats read every sample (day-first and month-first when every day
 *   and month is ≤ 12); `example` is a sample they read as different days when there is one. Ask the user; never guess.
 * - `{ none, example, nearest? }`: no format reads every sample. `nearest` is the format that reads the most samples and
 *   `example` the first sample it cannot read (without `nearest`, the first non-empty sample).
 */
export type DateFormatDetection =
  | { readonly format: DateFormat }
  | { readonly ambiguous: true; readonly candidates: readonly DateFormat[]; readonly example: string }
  | { readonly none: true; readonly example: string; readonly nearest?: DateFormat };

/** Plausible Excel serials: 20000 is 1954-10-03 and 80000 is 2119-01-11; smaller numbers are more likely counts or ids. */
export const EXCEL_SERIAL_MIN = 20_000;
export const EXCEL_SERIAL_MAX = 80_000;

/** Serial 61 is 1900-03-01, and 25 569 is the serial of 1970-01-01. */
const EXCEL_UNIX_OFFSET = 25_569;

/**
 * The day of an Excel serial day number in the 1900 date system (Windows Excel, LibreOffice, Google Sheets exports).
 * Excel copies Lotus 1-2-3 in counting a 1900-02-29 that never was: serial 60 is that day (undefined here), serials 1–59
 * are 1900-01-01 … 1900-02-28, and from 61 on a serial is one more than the true count of days since 1899-12-31.
 * `dayFromExcelSerial(45356)` → 19787 (2024-03-05). Only the whole part is used; undefined below 1 or when not finite.
 */
export function dayFromExcelSerial(serial: number): Day | undefined {
  if (!Number.isFinite(serial) || serial < 1) return undefined;
  const whole = Math.floor(serial);
  if (whole === 60) return undefined;
  return whole - (whole < 60 ? EXCEL_UNIX_OFFSET - 1 : EXCEL_UNIX_OFFSET);
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

/**
 * Two-digit years as POSIX strptime `%y` reads them: 00–68 are 2000–2068 and 69–99 are 1969–1999. (date-fns `yy` instead
 * picks the century nearest its reference date; with the 2000-01-01 that `parseDay` gives it, 50–68 are 1950–1968.)
 */
function fullYear(twoDigits: number): number {
  return twoDigits <= 68 ? 2000 + twoDigits : 1900 + twoDigits;
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const MONTH_NAMED_YY = /^(\d{1,2})-([A-Za-z]{3})-(\d{2})$/;
const MONTH_NAMED_YYYY = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/;
const SLASHED_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/;
const SERIAL = /^(\d{5})(?:[.,]\d+)?$/; // a fraction is the time of day; `,` as a decimal-comma locale writes it

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** Calendar day in `timeZone` of an instant in milliseconds since the epoch (as `parseDay` does it). */
export function dayInZone(ms: number, timeZone: string): Day | undefined {
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

/** The ISO forms, with the same results as `parseDay(text, { timeZone })` for them. */
function readIso(text: string, timeZone: string): Day | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const day = dayFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  if (day === undefined) return undefined;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return undefined;
  const offset = m[7];
  if (offset === undefined) return day;
  let offsetMinutes = 0;
  if (offset !== 'Z') {
    const digits = offset.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const ms = day * 86_400_000 + (Number(m[4]) * 60 + Number(m[5]) - offsetMinutes) * 60_000 + Number(m[6] ?? 0) * 1000;
  return dayInZone(ms, timeZone);
}

function readParts(m: RegExpExecArray | null, dayGroup: number, monthGroup: number, yearGroup: number): Day | undefined {
  if (!m) return undefined;
  return dayFromParts(Number(m[yearGroup]), Number(m[monthGroup]), Number(m[dayGroup]));
}

function readMonthNamed(m: RegExpExecArray | null, twoDigitYear: boolean): Day | undefined {
  if (!m) return undefined;
  const month = MONTHS[m[2]!.toLowerCase()];
  if (month === undefined) return undefined;
  const year = Number(m[3]);
  return dayFromParts(twoDigitYear ? fullYear(year) : year, month, Number(m[1]));
}

/** `H:mm` must be a time of day; the time itself does not change the day (there is no offset). */
function readWithTime(m: RegExpExecArray | null, dayGroup: number, monthGroup: number): Day | undefined {
  if (!m || Number(m[4]) > 23 || Number(m[5]) > 59) return undefined;
  return readParts(m, dayGroup, monthGroup, 3);
}

function readSerial(text: string): Day | undefined {
  const m = SERIAL.exec(text);
  if (!m) return undefined;
  const serial = Number(m[1]);
  if (serial < EXCEL_SERIAL_MIN || serial > EXCEL_SERIAL_MAX) return undefined;
  return dayFromExcelSerial(serial);
}

type Reader = (text: string, timeZone: string) => Day | undefined;

/** Every format, in the order detection lists candidates (day-first before month-first), with a reader and an example. */
const DATE_FORMAT_RULES: readonly { readonly format: DateFormat; readonly example: string; readonly read: Reader }[] = [
  { format: 'yyyy-MM-dd', example: '2024-03-05, 2024-03-05 14:30, 2024-03-05T14:30:00Z', read: readIso },
  { format: 'yyyyMMdd', example: '20240305', read: (t) => readParts(COMPACT.exec(t), 3, 2, 1) },
  { format: 'dd/MM/yyyy', example: '05/03/2024 or 5/3/2024', read: (t) => readParts(SLASHED.exec(t), 1, 2, 3) },
  { format: 'MM/dd/yyyy', example: '03/05/2024 or 3/5/2024', read: (t) => readParts(SLASHED.exec(t), 2, 1, 3) },
  { format: 'dd.MM.yyyy', example: '05.03.2024 or 5.3.2024', read: (t) => readParts(DOTTED.exec(t), 1, 2, 3) },
  { format: 'd-MMM-yy', example: '5-Mar-24', read: (t) => readMonthNamed(MONTH_NAMED_YY.exec(t), true) },
  { format: 'd-MMM-yyyy', example: '5-Mar-2024', read: (t) => readMonthNamed(MONTH_NAMED_YYYY.exec(t), false) },
  { format: 'd/M/yyyy H:mm', example: '5/3/2024 14:30', read: (t) => readWithTime(SLASHED_TIME.exec(t), 1, 2) },
  { format: 'M/d/yyyy H:mm', example: '3/5/2024 14:30', read: (t) => readWithTime(SLASHED_TIME.exec(t), 2, 1) },
  { format: 'excel-serial', example: `45356 or 45356.75 (${EXCEL_SERIAL_MIN}–${EXCEL_SERIAL_MAX})`, read: readSerial },
];

const READERS = new Map<string, Reader>(DATE_FORMAT_RULES.map((rule) => [rule.format, rule.read]));

/** Every format name, in detection order. */
export const DATE_FORMATS: readonly DateFormat[] = DATE_FORMAT_RULES.map((rule) => rule.format);

/** An example of each format, all naming 2024-03-05, for help texts and messages. */
export const DATE_FORMAT_EXAMPLES: Readonly<Record<DateFormat, string>> = Object.fromEntries(
  DATE_FORMAT_RULES.map((rule) => [rule.format, rule.example]),
) as Record<DateFormat, string>;

/** True when `name` is one of the formats here, so `--date-format` can use `parseDateIn` rather than date-fns. */
export function isDateFormat(name: string): name is DateFormat {
  return READERS.has(name);
}

/**
 * The calendar day `text` names in `format`, or undefined when it is not a real date in that form (`31/02/2024`).
 * Surrounding whitespace is ignored, as `parseDay` does. Only `yyyy-MM-dd` with an offset (`Z`, `+02:00`) depends on
 * `timeZone`, the IANA zone its instant is turned into a day in; every other form is the date as written.
 * `parseDateIn('5-Mar-24', 'd-MMM-yy')` → 19787 (2024-03-05).
 */
export function parseDateIn(text: string, format: DateFormat, timeZone = 'UTC'): Day | undefined {
  const read = READERS.get(format);
  if (read === undefined) throw new Error(`parseDateIn: unknown date format ${JSON.stringify(format)}`);
  return read(text.trim(), timeZone);
}

/**
 * The date format of a column, from its values: the format that reads every non-empty sample, or why there is not one.
 * See `DateFormatDetection`. Empty and all-space samples are skipped; with none left the default `yyyy-MM-dd` is returned.
 *
 * `detectDateFormat(['31/12/2023', '5/3/2024'])` → `{ format: 'dd/MM/yyyy' }`;
 * `detectDateFormat(['05/03/2024'])` → `{ ambiguous: true, candidates: ['dd/MM/yyyy', 'MM/dd/yyyy'], example: '05/03/2024' }`.
 */
export function detectDateFormat(samples: readonly string[]): DateFormatDetection {
  const values = samples.map((sample) => sample.trim()).filter((value) => value !== '');
  const first = values[0];
  if (first === undefined) return { format: 'yyyy-MM-dd' };
  // A rule is dropped at the first value it cannot read (most fail on the first); the values each reads are counted only
  // when none reads them all.
  const fits = DATE_FORMAT_RULES.filter((rule) => values.every((value) => rule.read(value, 'UTC') !== undefined)).map((rule) => rule.format);
  const [only, ...others] = fits;
  if (only !== undefined && others.length === 0) return { format: only };
  if (only !== undefined) {
    const example = values.find((value) => new Set(fits.map((format) => parseDateIn(value, format))).size > 1) ?? first;
    return { ambiguous: true, candidates: fits, example };
  }
  let nearest: { format: DateFormat; read: number; failure: string } | undefined;
  for (const rule of DATE_FORMAT_RULES) {
    let read = 0;
    let failure: string | undefined;
    for (const value of values) {
      if (rule.read(value, 'UTC') !== undefined) read++;
      else failure ??= value;
    }
    if (read > 0 && (nearest === undefined || read > nearest.read)) nearest = { format: rule.format, read, failure: failure! };
  }
  return nearest ? { none: true, example: nearest.failure, nearest: nearest.format } : { none: true, example: first };
}
