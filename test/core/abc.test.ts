import { describe, expect, it } from 'vitest';
import { abcClasses, abcClassIndex } from '../../src/core/abc.js';
import { ABC_CLASSES } from '../../src/core/types.js';
import { DEFAULT_ABC } from '../../src/core/params.js';

// A while the revenue of everyone with strictly higher revenue is < 80% of the total positive revenue, B while < 95%,
// else C; equal revenue → same class; revenue ≤ 0 → C. "higher" below is that sum, next to the total it is compared with.
const abc = (...monetary: number[]) => abcClasses(Object.freeze(monetary), DEFAULT_ABC);

describe('abcClasses with the default cut-offs', () => {
  it('defaults to 80% and 95%', () => expect(DEFAULT_ABC).toEqual({ a: 80, b: 95 }));

  it.each([
    [[50, 30, 10, 10], 'AABB'], //       docstring: higher 0, 50, 80, 80 of 100 → 80 is not below 80
    [[80, 20], 'AB'], //                 higher of 20 is exactly 80% → B, not A
    [[79, 21], 'AA'], //                 higher of 21 is 79% → A
    [[80, 15, 5], 'ABC'], //             higher of 5 is exactly 95% → C, not B
    [[80, 14, 6], 'ABB'], //             higher of 6 is 94% → B
    [[100], 'A'], //                     a lone buyer: nobody higher → A
    [[40, 40, 20], 'AAB'], //            ties share a class: both 40s have higher 0; 20 has higher 80
    [[60, 20, 20], 'AAA'], //            both 20s have higher 60 (< 80), although the second would cross 80% in a running sum
    [[30, 30, 30, 10], 'AAAB'], //       three tied at the top; 10 has higher 90
    [[10, 50, 10, 30], 'BABA'], //       classes come back in input order: higher 80, 0, 80, 50
    [[100, 0, -50], 'ACC'], //           revenue ≤ 0 is C
    [[50, 50, -100], 'AAC'], //          total positive = 100, not the net 0: the 50s are A
    [[90, 10, -10], 'ABC'], //           total positive = 100: 10 has higher 90% → B (against the net 90 it would be 100% → C)
    [[0], 'C'], //                       zero revenue, zero total
    [[-10, -20], 'CC'],
    [[8_000_000_000, 2_000_000_000], 'AB'], // large money values: higher of the second is exactly 80%
    [[], ''],
  ])('%j → %s', (monetary, expected) => expect(abc(...monetary).join('')).toBe(expected));
});

describe('abcClasses with other cut-offs', () => {
  it.each([
    [{ a: 50, b: 90 }, [50, 40, 10], 'ABC'], //   higher 0 · 50 (= 50%, not below) · 90 (= 90%, not below)
    [{ a: 50, b: 90 }, [49, 40, 11], 'AAB'], //   higher 0 · 49 (< 50) · 89 (< 90)
    [{ a: 100, b: 100 }, [1, 1, 1], 'AAA'], //    nobody higher than the tie
    [{ a: 0, b: 0 }, [5, 3], 'CC'], //            nothing is below 0%
  ])('%j on %j → %s', (cutoffs, monetary, expected) =>
    expect(abcClasses(Object.freeze(monetary), cutoffs).join('')).toBe(expected),
  );
});

describe('abcClassIndex', () => {
  it('gives the classes as indices into ABC_CLASSES, with or without the values sorted beforehand', () => {
    const monetary = [50, 30, 10, 10, -5, 0, 30];
    const expected = abcClasses(monetary, DEFAULT_ABC).map((c) => ABC_CLASSES.indexOf(c));
    expect([...abcClassIndex(monetary, DEFAULT_ABC)]).toEqual(expected);
    expect([...abcClassIndex(monetary, DEFAULT_ABC, Float64Array.from(monetary).sort())]).toEqual(expected);
    expect(expected).toEqual([0, 0, 1, 1, 2, 2, 0]);
  });
});
