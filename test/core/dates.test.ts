import { describe, expect, it } from 'vitest';
import { dayFromParts, formatDay, parseIsoDay } from '../../src/core/dates.js';

// Expected day numbers from Python: (date(y, m, d) - date(1970, 1, 1)).days

describe('dayFromParts', () => {
  it.each([
    [1970, 1, 1, 0], //        the epoch
    [1970, 1, 2, 1],
    [1969, 12, 31, -1], //     before the epoch
    [2024, 3, 5, 19787], //    docstring example of formatDay
    [2024, 2, 29, 19782], //   leap year (divisible by 4)
    [2000, 2, 29, 11016], //   leap year (divisible by 400)
    [2100, 3, 1, 47541], //    2100 is not a leap year
    [1600, 2, 29, -135081], // leap year (divisible by 400), proleptic Gregorian
    [1582, 10, 10, -141432], // a day the Julian-to-Gregorian switch skipped: still counted, the calendar is proleptic
    [100, 3, 1, -682944],
    [99, 12, 31, -683004], //  years below 100 are years, not 19xx
    [50, 1, 1, -701265],
    [1, 1, 1, -719162], //     the first day of the era
    [9999, 12, 31, 2932896],
  ])('%i-%i-%i → day %i', (y, m, d, expected) => expect(dayFromParts(y, m, d)).toBe(expected));

  it.each([
    [2023, 2, 29], // not a leap year
    [1900, 2, 29], // divisible by 100, not by 400: not a leap year
    [2024, 4, 31], // April has 30 days
    [2024, 0, 1],
    [2024, 13, 1],
    [2024, 1, 0],
    [2024, 1, 32],
  ])('%i-%i-%i does not exist → undefined', (y, m, d) => expect(dayFromParts(y, m, d)).toBeUndefined());
});

describe('parseIsoDay', () => {
  it.each([
    ['2024-03-05', 19787],
    ['1970-01-01', 0],
    ['2024-02-29', 19782],
  ])('%s → %i', (text, expected) => expect(parseIsoDay(text)).toBe(expected));

  it.each([
    ['2023-02-29'], //          not a real date
    ['2024-3-5'], //            digits missing
    ['20240305'], //            no dashes
    ['2024-03-05T00:00'], //    an instant, not a day
    [' 2024-03-05'], //         surrounding space
    ['05/03/2024'],
    [''],
  ])('%j → undefined', (text) => expect(parseIsoDay(text)).toBeUndefined());
});

describe('formatDay', () => {
  it.each([
    [0, '1970-01-01'],
    [-1, '1969-12-31'],
    [19782, '2024-02-29'],
    [19787, '2024-03-05'], // docstring example
  ])('day %i → %s', (day, expected) => expect(formatDay(day)).toBe(expected));

  it.each([['0050-01-01'], ['1969-12-31'], ['2000-02-29'], ['2024-12-31'], ['2100-03-01']])('round-trips %s', (text) =>
    expect(formatDay(parseIsoDay(text)!)).toBe(text),
  );

  it('agrees with the JavaScript Date calendar on every day from 1896-01-01 to 2104-12-31 (1900, 2000, 2100 included)', () => {
    // formatDay goes through Date; parseIsoDay through day arithmetic: two independent calendars must agree
    const first = parseIsoDay('1896-01-01')!;
    const last = parseIsoDay('2104-12-31')!;
    expect(first).toBe(-27_028); //  Python: (date(1896, 1, 1) - date(1970, 1, 1)).days
    expect(last).toBe(49_307); //    Python: (date(2104, 12, 31) - date(1970, 1, 1)).days
    const wrong: number[] = [];
    for (let day = first; day <= last; day++) if (parseIsoDay(formatDay(day)) !== day) wrong.push(day);
    expect(wrong).toEqual([]);
  });
});
