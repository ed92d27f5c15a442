import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutPointsSorted, quantileSorted } from '../../src/core/quantile.js';
import { rfmCutPoints, scoreCustomer } from '../../src/core/rfm.js';
import {
  ascending,
  quantileType7R,
  rfmRCutsSorted,
  scaleFor,
  scoreDimension,
  scoreAll,
  scoreOf,
  type Direction,
  type ScoringSpec,
} from '../../src/core/scoring.js';
import { MONEY_SCALE, type CustomerFacts } from '../../src/core/types.js';

// Inputs are frozen: scoring must copy, never sort or change, the values it is given.
const v = (...xs: number[]): readonly number[] => Object.freeze(xs);
const scores = (values: readonly number[], spec: ScoringSpec, bins: number, direction: Direction): number[] => [
  ...scoreDimension(values, spec, bins, direction).scores,
];

const ONE_TO_TEN = v(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

describe('quantileType7R: R quantile.default type 7, in R arithmetic', () => {
  // index = 1 + (n − 1)·p, lo = ⌊index⌋; (1 − h)·x[lo] + h·x[lo+1] with h = index − lo. Hand-worked:
  it.each([
    [v(1, 2, 3, 4), 0.5, 2.5], //             index 2.5 → 0.5·2 + 0.5·3 (docstring example)
    [v(10, 20, 30, 40, 50), 0.2, 18], //      index 1.8 → 0.2·10 + 0.8·20
    [v(10, 20, 30, 40, 50), 0.5, 30], //      index 3, whole → x[3]
    [v(7), 0.4, 7], //                        one value
    [v(1, 1, 1, 5), 0.5, 1], //               between two equal values: no interpolation
    [v(1, 2, 3, 4), 1, 4], //                 p = 1 → the last value
  ])('quantileType7R(%j, %d) → %d', (xs, p, expected) => expect(quantileType7R(xs, p)).toBeCloseTo(expected, 12));

  it('agrees with quantileSorted (quantile.ts) to 1e-9 on any data: the same quantile, rounded differently', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, p) => {
        const sorted = [...xs].sort((a, b) => a - b);
        expect(Math.abs(quantileType7R(sorted, p) - quantileSorted(sorted, p))).toBeLessThan(1e-9 * (1 + Math.abs(quantileSorted(sorted, p))));
      }),
    );
  });

  it('names itself when given no values', () => expect(() => quantileType7R(v(), 0.5)).toThrow(/quantileType7R/));
});

describe('rfmRCutsSorted: R rfm bins() = quantiles at k·(1/bins), plus 1', () => {
  it.each([
    [v(1, 2, 3, 4, 5), 2, [4]], //                 docstring: median 3, + 1
    [ONE_TO_TEN, 5, [3.8, 5.6, 7.4, 9.2]], //      index 1 + 9p = 2.8, 4.6, 6.4, 8.2 → quantiles 2.8, 4.6, 6.4, 8.2, + 1
    [v(4, 4, 4), 3, [5, 5]], //                    all equal → every cut is 4 + 1
    [v(3, 9), 1, []], //                           one bin: no cuts
  ])('rfmRCutsSorted(%j, %i) → %j', (xs, bins, expected) => {
    const cuts = rfmRCutsSorted(xs, bins);
    expect(cuts).toHaveLength(expected.length);
    cuts.forEach((c, i) => expect(c).toBeCloseTo(expected[i]!, 12));
  });

  it("uses R's probabilities k·(1/5), where 3·0.2 = 0.6000000000000001, and R's (1 − h)·a + h·b", () => {
    // Values [1, 6], 5 bins. The 4th cut: p = 4·0.2 = 0.8, index = 1.8, h = 0.8 →
    // (1 − 0.8)·1 + 0.8·6 = 0.19999999999999996 + 4.800000000000001 = 5.000000000000001, + 1 → 6.000000000000001.
    // Exactly it would be 6, and the customer with 6 would score 5; in R's arithmetic 6 < 6.000000000000001 and they score 4.
    // Source: R's quantile.default (type 7 branch) and seq(0, 1, length.out = 6), read from their code; no R was run here.
    expect(rfmRCutsSorted(v(1, 6), 5)).toEqual([3, 3.9999999999999996, 5, 6.000000000000001]);
    expect(scores(v(1, 6), { kind: 'rfm-r' }, 5, 'higher-is-better')).toEqual([1, 4]);
  });
});

describe("scoreDimension { kind: 'quantile' } is rfm.ts's scoreCustomer", () => {
  it.each([
    // values 1 … 10, 5 bins: cuts 2.8, 4.6, 6.4, 8.2 (quantile.test.ts); F, M = 1 + #(cuts < v); R = 5 − #(cuts < v)
    [ONE_TO_TEN, 'higher-is-better', [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]],
    [ONE_TO_TEN, 'lower-is-better', [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]],
    // values equal to a cut go to the lower bin: [1, 1, 1, 1, 2] has cuts 1, 1, 1, 1.2 → 1 is below none, 2 above all
    [v(1, 1, 1, 1, 2), 'higher-is-better', [1, 1, 1, 1, 5]],
  ] as const)('%j %s → %j', (values, direction, expected) =>
    expect(scores(values, { kind: 'quantile' }, 5, direction)).toEqual(expected),
  );

  it('gives the same R, F, M as scoreCustomer(rfmCutPoints) for any customers', () => {
    const customer = fc.record({
      recencyDays: fc.integer({ min: 0, max: 2000 }),
      frequency: fc.integer({ min: 1, max: 50 }),
      monetary: fc.integer({ min: -1e7, max: 1e9 }),
    });
    fc.assert(
      fc.property(fc.array(customer, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 10 }), (rows, bins) => {
        const facts: CustomerFacts[] = rows.map((r, i) => ({ ...r, customerId: `c${i}`, firstOrderDay: 0, lastOrderDay: 0, orderDays: [] }));
        const cuts = rfmCutPoints(facts, bins);
        const q: ScoringSpec = { kind: 'quantile' };
        const r = scoreDimension(facts.map((c) => c.recencyDays), q, bins, 'lower-is-better').scores;
        const f = scoreDimension(facts.map((c) => c.frequency), q, bins, 'higher-is-better').scores;
        const m = scoreDimension(facts.map((c) => c.monetary), q, bins, 'higher-is-better').scores;
        facts.forEach((c, i) => expect({ r: r[i], f: f[i], m: m[i] }).toEqual(scoreCustomer(c, cuts, bins)));
      }),
    );
  });
});

describe("scoreDimension { kind: 'breaks' }: a value on a break gets the better score", () => {
  const FREQUENCY = { kind: 'breaks', breaks: v(2, 3, 5, 10) } as const;
  const RECENCY = { kind: 'breaks', breaks: v(30, 90, 180, 365) } as const;

  // Frequency, higher is better: v < 2 → 1, 2 ≤ v < 3 → 2, 3 ≤ v < 5 → 3, 5 ≤ v < 10 → 4, v ≥ 10 → 5
  it.each([
    [1, 1],
    [2, 2], //   on the break → the upper (better) bin
    [3, 3],
    [4, 3],
    [5, 4],
    [9, 4],
    [10, 5],
    [250, 5],
  ])('frequency breaks [2, 3, 5, 10]: %i orders → %i', (orders, expected) =>
    expect(scores(v(orders), FREQUENCY, 5, 'higher-is-better')).toEqual([expected]),
  );

  // Recency, lower is better: v ≤ 30 → 5, 30 < v ≤ 90 → 4, 90 < v ≤ 180 → 3, 180 < v ≤ 365 → 2, v > 365 → 1
  it.each([
    [0, 5],
    [30, 5], //  on the break → the lower-days (better) bin
    [31, 4],
    [90, 4],
    [91, 3],
    [180, 3],
    [181, 2],
    [365, 2],
    [366, 1],
  ])('recency breaks [30, 90, 180, 365]: %i days → %i', (days, expected) =>
    expect(scores(v(days), RECENCY, 5, 'lower-is-better')).toEqual([expected]),
  );

  it('does not depend on the other values (fixed breaks, not quantiles)', () => {
    expect(scores(v(4, 4, 4, 4), FREQUENCY, 5, 'higher-is-better')).toEqual([3, 3, 3, 3]);
  });

  it.each([
    [v(2, 3, 5, 10), 4, /4 break points make 5 bins, not 4/],
    [v(2, 2, 5, 10), 5, /strictly ascending/], //   an equal pair would make an empty bin
    [v(10, 5, 3, 2), 5, /strictly ascending/],
    [v(2, Number.NaN, 5, 10), 5, /finite/],
  ])('rejects breaks %j with %i bins', (breaks, bins, message) =>
    expect(() => scoreDimension(v(1), { kind: 'breaks', breaks }, bins, 'higher-is-better')).toThrow(message),
  );
});

describe("scoreDimension { kind: 'rfm-r' }: lower ≤ v < upper, lower = (min, cuts), upper = (cuts, max + 1)", () => {
  it.each([
    // cuts 3.8, 5.6, 7.4, 9.2 (above): higher is better → 1 + #(cuts ≤ v). Compare quantile's [1,1,2,2,3,3,4,4,5,5]:
    // the "+ 1" moves every boundary up by one.
    [ONE_TO_TEN, 5, 'higher-is-better', [1, 1, 1, 2, 2, 3, 3, 4, 4, 5]],
    // R's recency score is reversed: 5 − #(cuts ≤ v)
    [ONE_TO_TEN, 5, 'lower-is-better', [5, 5, 5, 4, 4, 3, 3, 2, 2, 1]],
    // one value: lower = (7, 8, 8, 8, 8), upper = (8, 8, 8, 8, 8) → 7 is in the first bin
    [v(7), 5, 'higher-is-better', [1]],
    [v(7), 5, 'lower-is-better', [5]],
    // integers on a whole cut: [1, 2, 3, 4, 5] in 2 bins has the cut 3 + 1 = 4 → 4 is in the upper bin
    [v(1, 2, 3, 4, 5), 2, 'higher-is-better', [1, 1, 1, 2, 2]],
  ] as const)('%j in %i bins, %s → %j', (values, bins, direction, expected) =>
    expect(scores(values, { kind: 'rfm-r' }, bins, direction)).toEqual(expected),
  );

  it('with unit = MONEY_SCALE scores Money exactly as R scores the currency amounts, and reports cuts in currency', () => {
    const currency = v(472, 340, 405, 596, 448, 843, 763, 699, 157, 779); // the amounts of the ten vignette customers
    const money = Object.freeze(currency.map((x) => x * MONEY_SCALE));
    const inCurrency = scoreDimension(currency, { kind: 'rfm-r' }, 5, 'higher-is-better');
    const inMoney = scoreDimension(money, { kind: 'rfm-r', unit: MONEY_SCALE }, 5, 'higher-is-better');
    expect([...inMoney.scores]).toEqual([...inCurrency.scores]);
    expect(inMoney.cuts).toEqual(inCurrency.cuts);
    expect(inMoney.unit).toBe(MONEY_SCALE);
    // without the unit, R's "+ 1" would be 1/10 000 of a currency unit and the scale would differ
    expect(scoreDimension(money, { kind: 'rfm-r' }, 5, 'higher-is-better').cuts).not.toEqual(inCurrency.cuts);
  });
});

describe('scaleFor and scoreOf', () => {
  it('scores a value outside the population at the ends (R would give NA)', () => {
    const scale = scaleFor(ONE_TO_TEN, { kind: 'rfm-r' }, 5, 'higher-is-better');
    expect([scoreOf(scale, -100), scoreOf(scale, 1_000)]).toEqual([1, 5]);
  });

  it('has no cuts and no scores for no values', () => {
    for (const spec of [{ kind: 'quantile' }, { kind: 'rfm-r' }] as const) {
      const result = scoreDimension(v(), spec, 5, 'higher-is-better');
      expect([result.cuts, result.scores.length]).toEqual([[], 0]);
    }
  });

  it.each([0, 1.5, 128, Number.NaN])('rejects %d bins, naming the function', (bins) =>
    expect(() => scoreDimension(v(1), { kind: 'quantile' }, bins, 'higher-is-better')).toThrow(/scoreDimension: bins/),
  );

  it('rejects a unit that is not a positive number', () =>
    expect(() => scoreDimension(v(1), { kind: 'rfm-r', unit: 0 }, 5, 'higher-is-better')).toThrow(/unit/));

  it('keeps every score in 1 … bins, and higher values never score lower (higher-is-better)', () => {
    const spec = fc.constantFrom<ScoringSpec>({ kind: 'quantile' }, { kind: 'rfm-r' });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -500, max: 500 }), { minLength: 1, maxLength: 50 }), spec, fc.integer({ min: 1, max: 9 }), (xs, s, bins) => {
        const got = scoreDimension(xs, s, bins, 'higher-is-better').scores;
        const byValue = xs.map((x, i) => [x, got[i]!] as const).sort((a, b) => a[0] - b[0]);
        byValue.forEach(([, score], i) => {
          expect(score).toBeGreaterThanOrEqual(1);
          expect(score).toBeLessThanOrEqual(bins);
          if (i > 0) expect(score).toBeGreaterThanOrEqual(byValue[i - 1]![1]);
        });
      }),
    );
  });
});

describe('scoreAll', () => {
  it('gives every value the score scoreOf gives it, on every kind of scale', () => {
    const spec = fc.oneof(
      fc.constantFrom<ScoringSpec>({ kind: 'quantile' }, { kind: 'rfm-r' }, { kind: 'rfm-r', unit: MONEY_SCALE }),
      fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 6 }).map((b): ScoringSpec => ({ kind: 'breaks', breaks: b.sort((x, y) => x - y) })),
    );
    const direction = fc.constantFrom<Direction>('higher-is-better', 'lower-is-better');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -100, max: 100 }), { minLength: 1, maxLength: 50 }), spec, direction, fc.integer({ min: 1, max: 9 }), (xs, s, d, bins) => {
        const b = s.kind === 'breaks' ? s.breaks.length + 1 : bins;
        const values = xs.map((x) => (s.kind === 'rfm-r' && s.unit ? x * 1000 : x));
        const scale = scaleFor(values, s, b, d);
        const all = new Uint8Array(values.length);
        scoreAll(scale, values, all);
        expect([...all]).toEqual(values.map((x) => scoreOf(scale, x)));
      }),
    );
  });
});

describe('scaleFor sorts whole numbers by counting, and gets the cut points a native sort gives', () => {
  const nativeCuts = (values: readonly number[], bins: number, unit: number) => {
    const sorted = Float64Array.from(values, (v) => v / unit).sort();
    return { quantile: cutPointsSorted(sorted, bins), rfmR: rfmRCutsSorted(sorted, bins) };
  };
  const values = fc.oneof(
    fc.array(fc.integer({ min: -50, max: 3_000 }), { minLength: 1, maxLength: 300 }), //   days and counts: counted
    fc.array(fc.integer({ min: 0, max: 2_000_000 }), { minLength: 1, maxLength: 300 }), // a wide range: sorted natively
    fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
  );
  it('quantile and rfm-r, any bins, unit 1 and the money unit', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 2, max: 10 }), fc.constantFrom(1, 10_000), (list, bins, unit) => {
        const expected = nativeCuts(list, bins, unit);
        if (unit === 1) expect(scaleFor(list, { kind: 'quantile' }, bins, 'higher-is-better').cuts).toEqual(expected.quantile);
        expect(scaleFor(list, { kind: 'rfm-r', unit }, bins, 'higher-is-better').cuts).toEqual(expected.rfmR);
        // The values handed over sorted already give the same scales.
        const sorted = Float64Array.from(list).sort();
        expect(scaleFor(list, { kind: 'quantile' }, bins, 'higher-is-better', sorted).cuts).toEqual(scaleFor(list, { kind: 'quantile' }, bins, 'higher-is-better').cuts);
        expect(scaleFor(list, { kind: 'rfm-r', unit }, bins, 'higher-is-better', sorted).cuts).toEqual(expected.rfmR);
      }),
      { numRuns: 400 },
    );
  });
});

describe('ascending sorts as a native sort does: by counting, by radix or natively', () => {
  const lists = fc.oneof(
    fc.array(fc.integer({ min: -50, max: 3_000 }), { maxLength: 300 }), //                      counted
    fc.array(fc.integer({ min: -2_000_000, max: 2_000_000 }), { maxLength: 300 }), //          radix, one word
    fc.array(fc.integer({ min: 0, max: 2 ** 32 + 5 }), { maxLength: 300 }), //                 radix, just over a word
    fc.array(fc.constantFrom(-(2 ** 52), 2 ** 52, 0, 1, -1, 2 ** 32, 2 ** 33 - 1), { maxLength: 50 }), // radix, 53 bits
    fc.array(fc.double({ noNaN: true }), { maxLength: 300 }), //                                native (also −0, ±∞)
  );
  it('any list, unit 1 and the money unit', () => {
    fc.assert(
      fc.property(lists, fc.constantFrom(1, 10_000), (list, unit) => {
        expect(Array.from(ascending(list, unit))).toEqual(Array.from(Float64Array.from(list, (v) => v / unit).sort()));
      }),
      { numRuns: 500 },
    );
  });
  it('a million amounts in whole cents, one radix sort', () => {
    const list = Float64Array.from({ length: 1_000_000 }, (_, i) => ((i * 7919) % 300_001) * 100 - (i % 11 === 0 ? 5_000_000 : 0));
    expect(ascending(list, 1)).toEqual(list.slice().sort());
  });
});
