import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, type RuleSet } from '../../src/core/params.js';
import { fallbackReachable, matchRule, rfmCutPoints, scoreCustomer, segmentName, segmentNamer, segmentNames, type CutPoints } from '../../src/core/rfm.js';
import type { CustomerFacts } from '../../src/core/types.js';

/** A buyer with only the facts that scoring reads; the days are placeholders. */
const fact = (customerId: string, recencyDays: number, frequency: number, monetary: number): CustomerFacts =>
  Object.freeze({ customerId, firstOrderDay: 0, lastOrderDay: 0, recencyDays, frequency, monetary, orderDays: [] });

// Ten buyers, deliberately not sorted by any column: [id, recency days, frequency, monetary, R, F, M].
// n = 10, bins = 5 → h = 9·k/5 = 1.8, 3.6, 5.4, 7.2 (type 7). Cut points by hand (numpy.quantile agrees):
//   recency  5 10 20 30 40 60 90 120 200 400          → 10+0.8·10=18, 30+0.6·10=36, 60+0.4·30=72, 120+0.2·80=136
//   frequency 1 1 1 1 2 2 3 4 6 10                     → 1, 1+0.6·1=1.6, 2+0.4·1=2.4, 4+0.2·2=4.4
//   monetary −2 0 1 1 3 5 8 12 20 100 (×10 000)       → 8 000, 22 000, 62 000, 136 000
// R = 5 − #(recency cuts < recency); F, M = 1 + #(cuts < value).
const TEN = [
  ['c1', 90, 3, 80_000, 2, 4, 4], //        R: 18,36,72 below 90 → 2 · F: 1,1.6,2.4 below 3 → 4 · M: 3 below → 4
  ['c2', 5, 10, 1_000_000, 5, 5, 5], //     nothing below 5 → 5 · all below → 5
  ['c3', 400, 1, -20_000, 1, 1, 1], //      all below 400 → 1 · none below 1 → 1 · none below −20 000 → 1
  ['c4', 30, 2, 10_000, 4, 3, 2], //        18 below → 4 · 1,1.6 below → 3 · 8 000 below → 2
  ['c5', 10, 6, 200_000, 5, 5, 5], //       none below → 5 · all below 6 → 5 · all below → 5
  ['c6', 60, 1, 0, 3, 1, 1], //             18,36 below → 3
  ['c7', 200, 4, 120_000, 1, 4, 4], //      all below 200 → 1 · 1,1.6,2.4 below 4 → 4
  ['c8', 20, 1, 10_000, 4, 1, 2], //        equal monetary → equal M (c4, c8)
  ['c9', 120, 2, 50_000, 2, 3, 3], //       18,36,72 below → 2
  ['c10', 40, 1, 30_000, 3, 1, 3], //       18,36 below → 3 · no F = 2: four buyers tie at 1 and take bins 1–2
] as const;
const tenFacts = Object.freeze(TEN.map(([id, r, f, m]) => fact(id, r, f, m)));

describe('rfmCutPoints (type-7 quantiles of the scored buyers)', () => {
  it('cuts the ten buyers at the hand-computed points', () => {
    const cuts = rfmCutPoints(tenFacts, 5);
    const expected = { recency: [18, 36, 72, 136], frequency: [1, 1.6, 2.4, 4.4], monetary: [8_000, 22_000, 62_000, 136_000] };
    for (const dim of ['recency', 'frequency', 'monetary'] as const) {
      expect(cuts[dim]).toHaveLength(4);
      cuts[dim].forEach((cut, i) => expect(cut, `${dim}[${i}]`).toBeCloseTo(expected[dim][i]!, 6));
    }
  });

  it('has no cut points when nobody is scored', () => {
    expect(rfmCutPoints([], 5)).toEqual({ recency: [], frequency: [], monetary: [] });
  });

  it('sorts numerically, not as text', () => {
    // 9, 10, 100 sorted as text would be 10, 100, 9; bins = 2 → h = 1 → the middle value, 10
    const cuts = rfmCutPoints([fact('a', 100, 100, 100), fact('b', 9, 9, 9), fact('c', 10, 10, 10)], 2);
    expect(cuts).toEqual({ recency: [10], frequency: [10], monetary: [10] });
  });
});

describe('scoreCustomer on the ten buyers', () => {
  const cuts = rfmCutPoints(tenFacts, 5);
  it.each(TEN)('%s (recency %i, frequency %i, monetary %i) → R%i F%i M%i', (id, r, f, m, rS, fS, mS) =>
    expect(scoreCustomer(fact(id, r, f, m), cuts, 5)).toEqual({ r: rS, f: fS, m: mS }),
  );
});

describe('scoreCustomer at the cut points', () => {
  const cuts: CutPoints = Object.freeze({
    recency: Object.freeze([10, 20, 30, 40]),
    frequency: Object.freeze([1, 2, 3, 4]),
    monetary: Object.freeze([100, 1_000, 10_000, 100_000]),
  });
  const score = (r: number, f: number, m: number) => scoreCustomer(fact('x', r, f, m), cuts, 5);

  it.each([
    [0, 5], //     no cut below → 5
    [10, 5], //    equal to the first cut: not strictly below → still 5
    [11, 4], //    10 below
    [20, 4],
    [21, 3],
    [40, 2], //    10, 20, 30 below
    [41, 1], //    all four below
    [9_999, 1],
  ])('recency %i days → R%i', (days, expected) => expect(score(days, 1, 1).r).toBe(expected));

  it.each([
    [1, 1], //     equal to the first cut → 1
    [1.5, 2],
    [2, 2],
    [4, 4], //     1, 2, 3 below
    [5, 5], //     all below
  ])('frequency %d → F%i', (freq, expected) => expect(score(0, freq, 1).f).toBe(expected));

  it.each([
    [-500, 1],
    [100, 1],
    [101, 2],
    [100_000, 4],
    [100_001, 5],
  ])('monetary %i → M%i', (money, expected) => expect(score(0, 1, money).m).toBe(expected));

  it('gives tied cut points no bins in between', () => {
    const tied: CutPoints = { recency: [7, 7, 7, 9], frequency: [1, 1, 1, 2], monetary: [0, 0, 0, 0] };
    // F: 1 → none below → 1; 2 → three 1s below → 4; 3 → all → 5. R: 7 → 5; 8 → 5 − 3 = 2. M: 1 → 5.
    expect(scoreCustomer(fact('x', 7, 1, 1), tied, 5)).toEqual({ r: 5, f: 1, m: 5 });
    expect(scoreCustomer(fact('x', 8, 2, 0), tied, 5)).toEqual({ r: 2, f: 4, m: 1 });
    expect(scoreCustomer(fact('x', 10, 3, 0), tied, 5).f).toBe(5);
  });
});

describe('scoreCustomer on a value equal to an exact cut point (10 bins)', () => {
  // 91 buyers with frequency 1 … 91: type-7 cut points at k/10 have h = 90·k/10 = 9k, all whole → 10, 19, …, 82.
  // The buyer with frequency 64 sits exactly on the 7th cut: 6 cut points (10 … 55) are strictly below → F7.
  // Likewise recency 0 … 90 (cut 63) → R = 10 − 6 = 4, and monetary 10 000 … 910 000 (cut 640 000) → M7.
  const buyers = Object.freeze(Array.from({ length: 91 }, (_, i) => fact(`c${i}`, i, i + 1, (i + 1) * 10_000)));
  it('buyer 63 (recency 63, frequency 64, monetary 640 000) → R4 F7 M7', () => {
    expect(scoreCustomer(buyers[63]!, rfmCutPoints(buyers, 10), 10)).toEqual({ r: 4, f: 7, m: 7 });
  });
});

describe('scoring properties (random buyers)', () => {
  const buyers = fc.array(
    fc.record({
      r: fc.integer({ min: 0, max: 60 }),
      f: fc.integer({ min: 1, max: 8 }),
      m: fc.integer({ min: -50, max: 50 }),
    }),
    { minLength: 1, maxLength: 40 },
  );

  it('scores lie in 1 … bins, equal values score equally, and more is never worse', () => {
    fc.assert(
      fc.property(buyers, fc.integer({ min: 1, max: 7 }), (rows, bins) => {
        const facts = rows.map((row, i) => fact(`c${i}`, row.r, row.f, row.m));
        const cuts = rfmCutPoints(facts, bins);
        const scores = facts.map((c) => scoreCustomer(c, cuts, bins));
        const inRange = (s: number) => s >= 1 && s <= bins;
        // For every pair: equal values → equal scores; a larger value (smaller recency) → a score at least as high.
        const agrees = (x: number, y: number, sx: number, sy: number) => (x === y ? sx === sy : x > y ? sx >= sy : sx <= sy);
        return facts.every((a, i) => {
          const sa = scores[i]!;
          return (
            inRange(sa.r) && inRange(sa.f) && inRange(sa.m) &&
            facts.every((b, j) => {
              const sb = scores[j]!;
              return (
                agrees(-a.recencyDays, -b.recencyDays, sa.r, sb.r) &&
                agrees(a.frequency, b.frequency, sa.f, sb.f) &&
                agrees(a.monetary, b.monetary, sa.m, sb.m)
              );
            })
          );
        });
      }),
      { numRuns: 100 },
    );
  });
});

// The default grid, written out from the spec (rows R5 … R1, columns F1 … F5):
//   champions R5 F4–5 · loyal R3–4 F4–5 · potential_loyalist R4–5 F2–3 · new_customers R5 F1 · promising R4 F1 ·
//   need_attention R3 F3 · about_to_sleep R3 F1–2 · at_risk R1–2 F3–4 · cant_lose_them R1–2 F5 · hibernating R1–2 F1–2
const GRID: Record<number, readonly string[]> = {
  5: ['new_customers', 'potential_loyalist', 'potential_loyalist', 'champions', 'champions'],
  4: ['promising', 'potential_loyalist', 'potential_loyalist', 'loyal', 'loyal'],
  3: ['about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal', 'loyal'],
  2: ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose_them'],
  1: ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose_them'],
};
const CELLS = [5, 4, 3, 2, 1].flatMap((r) => [1, 2, 3, 4, 5].map((f) => [r, f, GRID[r]![f - 1]!] as const));

describe('DEFAULT_RULES over the 25 (R, F) cells', () => {
  it('uses 5 bins and the fallback "others"', () => {
    expect(DEFAULT_RULES.bins).toBe(5);
    expect(DEFAULT_RULES.fallback).toBe('others');
  });

  it.each(CELLS)('R%i F%i → %s, taken by exactly one rule, whatever M', (r, f, name) => {
    for (const m of [1, 3, 5]) {
      const holders = DEFAULT_RULES.rules.filter((rule) => matchRule([rule], { r, f, m }) !== undefined);
      expect(holders.map((rule) => rule.name)).toEqual([name]);
      expect(segmentName(DEFAULT_RULES, { r, f, m })).toBe(name);
    }
  });

  it('leaves no cell to the fallback, and every rule takes some cell', () => {
    const used = new Set(CELLS.map(([r, f]) => segmentName(DEFAULT_RULES, { r, f, m: 3 })));
    expect(used.has('others')).toBe(false);
    expect([...used].sort()).toEqual(DEFAULT_RULES.rules.map((rule) => rule.name).sort());
  });

  it('gives the fallback to scores outside the grid', () => {
    expect(segmentName(DEFAULT_RULES, { r: 6, f: 1, m: 1 })).toBe('others');
    expect(segmentName(DEFAULT_RULES, { r: 5, f: 0, m: 1 })).toBe('others');
  });
});

describe('matchRule and segmentName on a custom rule set', () => {
  const rules: RuleSet = Object.freeze({
    name: 'custom',
    bins: 5,
    fallback: 'rest',
    rules: Object.freeze([
      { name: 'whales', m: [5, 5] as const }, //             no r, f: any R, any F
      { name: 'recent', r: [4, 5] as const },
      { name: 'recent_big', r: [4, 5] as const, m: [4, 5] as const }, // shadowed by the two rules above for M 4–5
    ]),
  });
  it.each([
    [{ r: 5, f: 5, m: 5 }, 'whales'], //  first match wins: whales before recent
    [{ r: 1, f: 1, m: 5 }, 'whales'], //  absent dimensions take any score
    [{ r: 4, f: 1, m: 4 }, 'recent'], //  recent comes before recent_big
    [{ r: 3, f: 5, m: 4 }, 'rest'], //    nothing holds R3 with M < 5
  ])('%j → %s', (scores, expected) => expect(segmentName(rules, scores)).toBe(expected));

  it('returns undefined when no rule matches', () => {
    expect(matchRule(rules.rules, { r: 3, f: 5, m: 4 })).toBeUndefined();
  });

  it('segmentNamer gives segmentName for every cell, asked twice, and beyond the rule set\'s bins', () => {
    for (const ruleSet of [rules, DEFAULT_RULES]) {
      const nameOf = segmentNamer(ruleSet);
      for (let pass = 0; pass < 2; pass++) {
        for (let r = 1; r <= 7; r++) {
          for (let f = 1; f <= 7; f++) for (let m = 1; m <= 7; m++) expect(nameOf(r, f, m)).toBe(segmentName(ruleSet, { r, f, m }));
        }
      }
    }
  });
});

describe('fallbackReachable: does some (R, F, M) cell in 1 … bins fall through every rule?', () => {
  const set = (bins: number, ...rules: RuleSet['rules']): RuleSet => ({ name: 't', bins, fallback: 'rest', rules });
  it.each([
    ['the default grid', false, DEFAULT_RULES], //                        the 25 cells above all match a rule
    ['one rule for everything', false, set(3, { name: 'all' })],
    ['R1 … R2 only, 3 bins', true, set(3, { name: 'low', r: [1, 2] })], // R3 falls through
    ['M4 … M5 missing, 5 bins', true, set(5, { name: 'm', m: [1, 3] })],
    ['no rules', true, set(2)],
  ] as const)('%s → %s', (_label, expected, ruleSet) => expect(fallbackReachable(ruleSet)).toBe(expected));
});

describe('segmentNames: rule order, then the fallback only when reachable, each name once', () => {
  it('lists the ten default names and no fallback, since no cell reaches it', () => {
    expect(segmentNames(DEFAULT_RULES)).toEqual([
      'champions',
      'loyal',
      'potential_loyalist',
      'new_customers',
      'promising',
      'need_attention',
      'about_to_sleep',
      'at_risk',
      'cant_lose_them',
      'hibernating',
    ]);
  });

  it.each([
    // bins 3: R1 F2 matches none of these rules, so the fallback is reachable and comes last
    [[{ name: 'top', r: [3, 3] }, { name: 'mid', f: [1, 1] }], 'rest', ['top', 'mid', 'rest']],
    // a repeated rule name, and a fallback that shares a rule's name, are listed once
    [[{ name: 'top', r: [3, 3] }, { name: 'low', f: [1, 1] }, { name: 'top', f: [3, 3] }], 'low', ['top', 'low']],
  ] as const)('%j with fallback %s → %j', (rules, fallback, expected) =>
    expect(segmentNames({ name: 't', bins: 3, fallback, rules })).toEqual(expected),
  );
});
