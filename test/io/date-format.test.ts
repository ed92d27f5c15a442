import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayFromParts, formatDay } from '../../src/core/dates.js';
import {
  DATE_FORMAT_EXAMPLES,
  DATE_FORMATS,
  dayFromExcelSerial,
  detectDateFormat,
  isDateFormat,
  parseDateIn,
  type DateFormat,
} from '../../src/io/date-format.js';
import { parseDay } from '../../src/io/values.js';

// Expected day numbers from Python: (date(y, m, d) - date(1970, 1, 1)).days. 2024-03-05 is day 19787.

describe('parseDateIn', () => {
  it.each<[string, DateFormat, number]>([
    ['2024-03-05', 'yyyy-MM-dd', 19787],
    ['2024-03-05 14:30', 'yyyy-MM-dd', 19787], //          a local time: the date as written
    ['2024-03-05T14:30:00Z', 'yyyy-MM-dd', 19787],
    ['2024-03-05T23:30:00-02:00', 'yyyy-MM-dd', 19788], // 01:30 UTC on the 6th
    [' 2024-03-05 ', 'yyyy-MM-dd', 19787], //              surrounding space, as parseDay
    ['20240305', 'yyyyMMdd', 19787],
    ['05/03/2024', 'dd/MM/yyyy', 19787], //                5 March
    ['5/3/2024', 'dd/MM/yyyy', 19787], //                  single digits, as date-fns reads dd and MM
    ['31/12/2023', 'dd/MM/yyyy', 19722],
    ['03/05/2024', 'MM/dd/yyyy', 19787], //                March 5
    ['3/5/2024', 'MM/dd/yyyy', 19787],
    ['05.03.2024', 'dd.MM.yyyy', 19787],
    ['5.3.2024', 'dd.MM.yyyy', 19787],
    ['5-Mar-24', 'd-MMM-yy', 19787],
    ['05-mar-24', 'd-MMM-yy', 19787], //                   month names in any case
    ['5-MAR-24', 'd-MMM-yy', 19787],
    ['1-Jan-00', 'd-MMM-yy', 10957], //                    00 → 2000
    ['1-Jan-68', 'd-MMM-yy', 35794], //                    68 → 2068, the last year of the 2000s (POSIX %y)
    ['1-Jan-69', 'd-MMM-yy', -365], //                     69 → 1969, the first of the 1900s
    ['5-Mar-2024', 'd-MMM-yyyy', 19787],
    ['5/3/2024 14:30', 'd/M/yyyy H:mm', 19787],
    ['3/5/2024 14:30', 'M/d/yyyy H:mm', 19787],
    ['12/1/2010 8:26', 'M/d/yyyy H:mm', 14944], //         the UCI Online Retail export: 1 December 2010
    ['03/05/2024 00:00', 'M/d/yyyy H:mm', 19787],
    ['45356', 'excel-serial', 19787], //                   45356 − 25569
    ['45356.75', 'excel-serial', 19787], //                18:00 the same day
    ['45356,5', 'excel-serial', 19787], //                 a decimal-comma locale
    ['20000', 'excel-serial', -5569], //                   the lowest accepted serial: 1954-10-03
    ['80000', 'excel-serial', 54431], //                   the highest: 2119-01-11
  ])('%j in %s → %i', (text, format, expected) => expect(parseDateIn(text, format)).toBe(expected));

  it('turns an instant into a day in the given zone', () => {
    expect(parseDateIn('2024-03-05T23:30:00Z', 'yyyy-MM-dd', 'Europe/Berlin')).toBe(19788); // 00:30 on the 6th in Berlin
    expect(parseDateIn('2024-03-05T23:30:00', 'yyyy-MM-dd', 'Europe/Berlin')).toBe(19787); //  no offset: as written
  });

  it.each<[string, DateFormat]>([
    ['31/02/2024', 'dd/MM/yyyy'], //        February has no 31st
    ['02/31/2024', 'MM/dd/yyyy'],
    ['13/13/2024', 'dd/MM/yyyy'],
    ['29.02.2023', 'dd.MM.yyyy'], //        2023 is not a leap year
    ['123/4/2024', 'dd/MM/yyyy'], //        three digits of day
    ['5/3/24', 'dd/MM/yyyy'], //            yyyy means four digits (date-fns would read the year 24)
    ['5-Mrz-24', 'd-MMM-yy'], //            English abbreviations only
    ['5-March-24', 'd-MMM-yy'],
    ['5-Mar-2024', 'd-MMM-yy'], //          yy means two digits
    ['5-Mar-24', 'd-MMM-yyyy'],
    ['3/5/2024', 'M/d/yyyy H:mm'], //       the time is part of the format
    ['3/5/2024 24:00', 'M/d/yyyy H:mm'],
    ['3/5/2024 14:60', 'M/d/yyyy H:mm'],
    ['3/5/2024 14:30:00', 'M/d/yyyy H:mm'], // no seconds in H:mm
    ['19999', 'excel-serial'], //           below the plausible range
    ['80001', 'excel-serial'],
    ['45356.', 'excel-serial'],
    ['-45356', 'excel-serial'],
    ['2024-03-05', 'yyyyMMdd'],
    ['20240305', 'yyyy-MM-dd'], //          parseDay reads both; as formats they are apart
    ['2024-02-30', 'yyyy-MM-dd'],
    ['2024-03-05T24:00', 'yyyy-MM-dd'],
    ['2024-03-05T12:00+24:00', 'yyyy-MM-dd'],
    ['', 'yyyy-MM-dd'],
  ])('%j in %s → undefined', (text, format) => expect(parseDateIn(text, format)).toBeUndefined());

  it.each([
    ['2024-03-05'],
    ['2024-03-05 14:30'],
    ['2024-03-05 14:30:15.250'],
    ['2024-03-05T23:30:00-02:00'],
    ['2024-03-05T23:30:00+0200'],
    ['2024-03-05T00:30:00+02:00'],
    ['2024-03-05T23:59:59Z'],
    ['2024-03-05T12:00+23:59'],
  ])('%j in yyyy-MM-dd is the day parseDay gives, in UTC and in Asia/Tokyo', (text) => {
    for (const timeZone of ['UTC', 'Asia/Tokyo']) expect(parseDateIn(text, 'yyyy-MM-dd', timeZone)).toBe(parseDay(text, { timeZone }));
  });

  it('throws for a name that is not a format (a bug: the type forbids it)', () =>
    expect(() => parseDateIn('2024-03-05', 'yyyy/MM/dd' as DateFormat)).toThrow(/parseDateIn: unknown date format/));
});

describe('dayFromExcelSerial: the 1900 date system with the Lotus leap-year bug', () => {
  it.each([
    [1, -25567], //      1900-01-01
    [59, -25509], //     1900-02-28
    [61, -25508], //     1900-03-01: from here on one serial too many for the fictitious 1900-02-29
    [25569, 0], //       1970-01-01
    [45356, 19787], //   2024-03-05
    [45356.999, 19787], // the time of day does not change the day
  ])('serial %d → day %i', (serial, expected) => expect(dayFromExcelSerial(serial)).toBe(expected));

  it.each([[60], [0], [-1], [Number.NaN], [Number.POSITIVE_INFINITY]])('serial %d → undefined (60 is 1900-02-29)', (serial) =>
    expect(dayFromExcelSerial(serial)).toBeUndefined(),
  );
});

describe('DATE_FORMATS', () => {
  it('lists every format once, day-first before month-first', () => {
    expect(new Set(DATE_FORMATS).size).toBe(DATE_FORMATS.length);
    expect(DATE_FORMATS.indexOf('dd/MM/yyyy')).toBeLessThan(DATE_FORMATS.indexOf('MM/dd/yyyy'));
    expect(DATE_FORMATS.indexOf('d/M/yyyy H:mm')).toBeLessThan(DATE_FORMATS.indexOf('M/d/yyyy H:mm'));
  });

  it.each(DATE_FORMATS.map((format) => [format]))('the first example of %s is 2024-03-05 in it', (format) => {
    const first = DATE_FORMAT_EXAMPLES[format].split(/,? or |, /)[0]!.replace(/ \(.*\)$/, '');
    expect(parseDateIn(first, format)).toBe(19787);
  });

  it.each([
    ['dd/MM/yyyy', true],
    ['excel-serial', true],
    ['yyyy/MM/dd', false], // a date-fns pattern, but not one of ours: the caller hands it to date-fns
    ['', false],
  ])('isDateFormat(%j) → %s', (name, expected) => expect(isDateFormat(name)).toBe(expected));
});

describe('detectDateFormat', () => {
  it.each<[readonly string[], unknown]>([
    [['2024-03-05', '2024-03-06 10:00', '2024-03-07T08:00:00Z'], { format: 'yyyy-MM-dd' }], // ISO forms may mix
    [['20240305', '20231231'], { format: 'yyyyMMdd' }],
    [['31/12/2023', '5/3/2024'], { format: 'dd/MM/yyyy' }], //   31 can only be a day
    [['12/31/2023', '3/5/2024'], { format: 'MM/dd/yyyy' }], //   31 can only be a day, in second place
    [['5.3.2024', '31.12.2023'], { format: 'dd.MM.yyyy' }], //   no month-first form with dots
    [['5-Mar-24', '', '  ', '17-oct-23'], { format: 'd-MMM-yy' }], // empty cells are skipped
    [['5-Mar-2024'], { format: 'd-MMM-yyyy' }],
    [['12/1/2010 8:26', '12/13/2010 9:00'], { format: 'M/d/yyyy H:mm' }],
    [['45356', '45357.5'], { format: 'excel-serial' }],
    [[], { format: 'yyyy-MM-dd' }], //                            nothing to go by: the default, as parseDay
    [['', ' '], { format: 'yyyy-MM-dd' }],
    [
      ['05/03/2024', '01/02/2024'], //                           every day ≤ 12: 5 March or 3 May?
      { ambiguous: true, candidates: ['dd/MM/yyyy', 'MM/dd/yyyy'], example: '05/03/2024' },
    ],
    [
      ['01/01/2024', '05/03/2024'], //                           the example is one the candidates read differently
      { ambiguous: true, candidates: ['dd/MM/yyyy', 'MM/dd/yyyy'], example: '05/03/2024' },
    ],
    [
      ['01/01/2024'], //                                         same day either way, but the next row may not be
      { ambiguous: true, candidates: ['dd/MM/yyyy', 'MM/dd/yyyy'], example: '01/01/2024' },
    ],
    [['5/3/2024 14:30'], { ambiguous: true, candidates: ['d/M/yyyy H:mm', 'M/d/yyyy H:mm'], example: '5/3/2024 14:30' }],
    [['31/12/2023', '12/31/2023'], { none: true, example: '12/31/2023', nearest: 'dd/MM/yyyy' }], // the tie goes to the first
    [['31/02/2024', '05/03/2024'], { none: true, example: '31/02/2024', nearest: 'dd/MM/yyyy' }], // not a date either way
    [['2024-03-05', '2024-03-06', 'n/a'], { none: true, example: 'n/a', nearest: 'yyyy-MM-dd' }],
    [['45356', '2024-03-05'], { none: true, example: '45356', nearest: 'yyyy-MM-dd' }], // serials only when alone
    [['n/a'], { none: true, example: 'n/a' }],
    [['1000'], { none: true, example: '1000' }], //               not a plausible serial
  ])('%j → %j', (samples, expected) => expect(detectDateFormat(Object.freeze(samples))).toEqual(expected));
});

// Days that every format can write: d-MMM-yy covers 1969–2068, and Excel serials 20000–80000 cover 1954–2119.
const FIRST = dayFromParts(1969, 1, 1)!;
const LAST = dayFromParts(2068, 12, 31)!;

interface Written {
  readonly pad: boolean; // 05/03 or 5/3 where the format allows either
  readonly hour: number;
  readonly minute: number;
  readonly isoTime: 0 | 1 | 2 | 3; // date only, ` HH:mm`, `THH:mm:ss`, `THH:mm:ssZ`
  readonly fraction: string; // Excel time of day
  readonly upper: boolean; // MAR or Mar
}

const written: fc.Arbitrary<Written> = fc.record({
  pad: fc.boolean(),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  isoTime: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
  fraction: fc.constantFrom('', '.5', '.041666', ',25'),
  upper: fc.boolean(),
});

const MONTH_ABBREVIATIONS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A day as `format` writes it, built from the ISO text so that the parser is not checked against itself. */
function write(day: number, format: DateFormat, w: Written): string {
  const iso = formatDay(day);
  const [y, m, d] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  const p = (two: string) => (w.pad ? two : String(Number(two)));
  const hh = String(w.hour).padStart(2, '0');
  const mm = String(w.minute).padStart(2, '0');
  const time = `${w.pad ? hh : w.hour}:${mm}`;
  const month = MONTH_ABBREVIATIONS[Number(m) - 1]!;
  switch (format) {
    case 'yyyy-MM-dd':
      return iso + ['', ` ${hh}:${mm}`, `T${hh}:${mm}:00`, `T${hh}:${mm}:00Z`][w.isoTime];
    case 'yyyyMMdd':
      return `${y}${m}${d}`;
    case 'dd/MM/yyyy':
      return `${p(d)}/${p(m)}/${y}`;
    case 'MM/dd/yyyy':
      return `${p(m)}/${p(d)}/${y}`;
    case 'dd.MM.yyyy':
      return `${p(d)}.${p(m)}.${y}`;
    case 'd-MMM-yy':
      return `${p(d)}-${w.upper ? month.toUpperCase() : month}-${y.slice(2)}`;
    case 'd-MMM-yyyy':
      return `${p(d)}-${w.upper ? month.toUpperCase() : month}-${y}`;
    case 'd/M/yyyy H:mm':
      return `${p(d)}/${p(m)}/${y} ${time}`;
    case 'M/d/yyyy H:mm':
      return `${p(m)}/${p(d)}/${y} ${time}`;
    case 'excel-serial':
      return `${day + 25_569}${w.fraction}`;
  }
}

/** The other reading of a day-first or month-first format, if it has one. */
const SWAPPED: Partial<Record<DateFormat, DateFormat>> = {
  'dd/MM/yyyy': 'MM/dd/yyyy',
  'MM/dd/yyyy': 'dd/MM/yyyy',
  'd/M/yyyy H:mm': 'M/d/yyyy H:mm',
  'M/d/yyyy H:mm': 'd/M/yyyy H:mm',
};

describe('dates written in a format read back, and the format is found', () => {
  const day = fc.integer({ min: FIRST, max: LAST });
  const format = fc.constantFrom(...DATE_FORMATS);

  it('parseDateIn(write(day)) is the day, for every format', () =>
    fc.assert(
      fc.property(day, format, written, (d, f, w) => {
        expect(parseDateIn(write(d, f, w), f)).toBe(d);
      }),
      { numRuns: 3000 },
    ));

  it('detectDateFormat picks the format, or reports day-first/month-first exactly when every day of the month is ≤ 12', () =>
    fc.assert(
      fc.property(fc.array(fc.tuple(day, written), { minLength: 1, maxLength: 12 }), format, (cells, f) => {
        const samples = cells.map(([d, w]) => write(d, f, w));
        const swapped = SWAPPED[f];
        const allDaysLow = cells.every(([d]) => Number(formatDay(d).slice(8, 10)) <= 12);
        const result = detectDateFormat(samples);
        if (swapped !== undefined && allDaysLow) {
          const candidates = DATE_FORMATS.filter((c) => c === f || c === swapped);
          expect(result).toMatchObject({ ambiguous: true, candidates });
        } else {
          expect(result).toEqual({ format: f });
        }
      }),
      { numRuns: 3000 },
    ));

  it('low days are common enough that both branches of the property above run', () => {
    // 12 of 28–31 days per month: a one-sample column has all days ≤ 12 about 39% of the time.
    const low = fc.sample(day, { numRuns: 1000, seed: 1 }).filter((d) => Number(formatDay(d).slice(8, 10)) <= 12).length;
    expect(low).toBeGreaterThan(300);
    expect(low).toBeLessThan(500);
  });
});
