import { describe, expect, it } from 'vitest';
import { cutPointsSorted, quantileSorted } from '../../src/core/quantile.js';

// Type-7 quantile (R's default, numpy's default): h = (n − 1)·p, then x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
// Every expected value below is that formula worked by hand; numpy.quantile(values, p) gives the same numbers.
// Inputs are frozen: the functions must not mutate them.
const v = (...xs: number[]): readonly number[] => Object.freeze(xs);

describe('quantileSorted', () => {
  it.each([
    [v(1, 2, 3, 4), 0, 1], //            h = 0
    [v(1, 2, 3, 4), 0.25, 1.75], //      h = 0.75 → 1 + 0.75·1
    [v(1, 2, 3, 4), 0.5, 2.5], //        h = 1.5  → 2 + 0.5·1 (docstring example)
    [v(1, 2, 3, 4), 0.75, 3.25], //      h = 2.25 → 3 + 0.25·1
    [v(1, 2, 3, 4), 1, 4], //            h = 3, the last value
    [v(7), 0.3, 7], //                   one value: h = 0
    [v(10, 20, 30, 40, 50), 0.2, 18], // h = 0.8 → 10 + 0.8·10
    [v(10, 20, 30, 40, 50), 0.4, 26], // h = 1.6 → 20 + 0.6·10
    [v(10, 20, 30, 40, 50), 0.6, 34], // h = 2.4 → 30 + 0.4·10
    [v(10, 20, 30, 40, 50), 0.8, 42], // h = 3.2 → 40 + 0.2·10
    [v(2, 2, 9, 9), 0.5, 5.5], //        h = 1.5 → 2 + 0.5·7
    [v(1, 1, 1, 5), 0.5, 1], //          h = 1.5 between two equal values
    [v(-3, -1), 0.5, -2], //             h = 0.5 → −3 + 0.5·2
  ])('quantileSorted(%j, %d) → %d', (xs, p, expected) => expect(quantileSorted(xs, p)).toBeCloseTo(expected, 9));

  it('returns a value exactly when h is whole', () => {
    // h = (5 − 1)·0.5 = 2 → x[2] = 30, no interpolation error
    expect(quantileSorted(v(10, 20, 30, 40, 50), 0.5)).toBe(30);
  });

  it('names itself when given no values', () => {
    expect(() => quantileSorted(v(), 0.5)).toThrow(RangeError);
    expect(() => quantileSorted(v(), 0.5)).toThrow(/quantileSorted/);
  });
});

describe('cutPointsSorted when (n − 1)·k/bins is whole but k/bins is not exact in binary', () => {
  // 1 … 91 in 10 bins: h = 90·k/10 = 9k, always whole, so the cut points are x[9k] = 9k + 1 exactly; R's quantile()
  // gives these (it allows for rounding). Computing h as 90 * 0.7 in floating point gives 62.99999999999999, and the
  // 7th cut becomes 63.99999999999999 (numpy does the same). A buyer at 64 must not count as above the cut point.
  const oneTo91 = Object.freeze(Array.from({ length: 91 }, (_, i) => i + 1));
  it('cutPointsSorted(1 … 91, 10) → 10, 19, …, 82 exactly', () => {
    expect(cutPointsSorted(oneTo91, 10)).toEqual([10, 19, 28, 37, 46, 55, 64, 73, 82]);
  });
});

describe('cutPointsSorted: type-7 quantiles at k/bins, k = 1 … bins − 1', () => {
  it.each([
    [v(1, 2, 3, 4, 5), 2, [3]], //                         docstring: h = 2 → 3
    [v(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 5, [2.8, 4.6, 6.4, 8.2]], // h = 1.8, 3.6, 5.4, 7.2
    [v(1, 1, 1, 1, 2), 5, [1, 1, 1, 1.2]], //              h = 0.8, 1.6, 2.4, 3.2: only the last straddles 1 → 2
    [v(1, 1, 2, 3, 4, 5, 9), 4, [1.5, 3, 4.5]], //         h = 1.5, 3, 4.5
    [v(4, 8), 1, []], //                                   one bin: no cut points
  ])('cutPointsSorted(%j, %i) → %j', (xs, bins, expected) => {
    const cuts = cutPointsSorted(xs, bins);
    expect(cuts).toHaveLength(expected.length);
    cuts.forEach((cut, i) => expect(cut).toBeCloseTo(expected[i]!, 9));
  });
});
