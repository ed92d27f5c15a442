import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, type RuleSet, type ScoreRange, type SegmentRule } from '../../src/core/params.js';
import { RFM_R_RULES } from '../../src/core/presets.js';
import { fallbackReachable, matchRule } from '../../src/core/rfm.js';
import { checkRules } from '../../src/core/rules-check.js';

/** A rule from [name, r, f, m], an absent range written as undefined. */
const rule = (name: string, r?: ScoreRange, f?: ScoreRange, m?: ScoreRange): SegmentRule =>
  Object.freeze({ name, ...(r && { r }), ...(f && { f }), ...(m && { m }) });
const ruleSet = (bins: number, ...rules: SegmentRule[]): RuleSet => Object.freeze({ name: 'test', bins, fallback: 'rest', rules });

describe('checkRules on the default rules (params.ts)', () => {
  const check = checkRules(DEFAULT_RULES);
  // Only R and F are bounded, so each (r, f) square covers 5 cells (every m): cells = 5 · (R width) · (F width).
  it.each([
    ['champions', 5 * 1 * 2], //           r 5,   f 4–5
    ['loyal', 5 * 2 * 2], //               r 3–4, f 4–5
    ['potential_loyalist', 5 * 2 * 2], //  r 4–5, f 2–3
    ['new_customers', 5 * 1 * 1], //       r 5,   f 1
    ['promising', 5 * 1 * 1], //           r 4,   f 1
    ['need_attention', 5 * 1 * 1], //      r 3,   f 3
    ['about_to_sleep', 5 * 1 * 2], //      r 3,   f 1–2
    ['at_risk', 5 * 2 * 2], //             r 1–2, f 3–4
    ['cant_lose_them', 5 * 2 * 1], //      r 1–2, f 5
    ['hibernating', 5 * 2 * 2], //         r 1–2, f 1–2
  ])('%s wins %i cells', (name, cells) => expect(check.rules.find((r) => r.name === name)).toMatchObject({ cells, matches: cells }));

  it('is a partition: 125 cells, nothing unreachable, no overlap, nothing to the fallback (params.ts says "exactly one")', () => {
    expect(check.totalCells).toBe(125);
    expect(check.unreachable).toEqual([]);
    expect(check.overlaps).toEqual([]);
    expect(check.fallback).toEqual({ name: 'others', cells: 0, share: 0 });
  });
});

describe('checkRules on a small hand-made set (2 bins, 8 cells)', () => {
  const check = checkRules(
    ruleSet(
      2,
      rule('A', [2, 2]), //                 4 cells: r = 2
      rule('B', undefined, [2, 2]), //      4 cells: f = 2; 2 of them (r = 2) are A's
      rule('C', [2, 2], [2, 2], [1, 1]), // 1 cell (2, 2, 1): A's
      rule('D', [3, 3]), //                 r = 3 is outside 1 … 2
      rule('E', undefined, undefined, [2, 1]), // an empty range
    ),
  );

  it.each([
    ['A', 4, 4],
    ['B', 2, 4],
    ['C', 0, 1],
    ['D', 0, 0],
    ['E', 0, 0],
  ])('%s wins %i cells of the %i it matches', (name, cells, matches) =>
    expect(check.rules.find((r) => r.name === name)).toMatchObject({ cells, matches }),
  );

  it('names the unreachable rules and why: C is shadowed by A only (B matches its cell too, but A wins it)', () => {
    expect(check.unreachable).toEqual([
      { index: 2, name: 'C', reason: 'shadowed', by: [{ index: 0, name: 'A' }] },
      { index: 3, name: 'D', reason: 'matches-no-cell' },
      { index: 4, name: 'E', reason: 'matches-no-cell' },
    ]);
  });

  it('lists every overlapping pair with its cell count', () => {
    expect(check.overlaps.map((o) => [o.first.name, o.second.name, o.cells])).toEqual([
      ['A', 'B', 2], // (2, 2, 1), (2, 2, 2)
      ['A', 'C', 1],
      ['B', 'C', 1],
    ]);
  });

  it('counts the cells no rule takes: r = 1, f = 1 (2 cells of 8)', () => {
    expect(check.fallback).toEqual({ name: 'rest', cells: 2, share: 0.25 });
  });

  it('names every earlier rule that takes part of a shadowed rule', () => {
    const covered = checkRules(ruleSet(2, rule('low', [1, 1]), rule('high', [2, 2]), rule('all')));
    expect(covered.unreachable).toEqual([
      { index: 2, name: 'all', reason: 'shadowed', by: [{ index: 0, name: 'low' }, { index: 1, name: 'high' }] },
    ]);
  });
});

describe("checkRules on R rfm's rule sets (../shared/data/rfm-r/README.md)", () => {
  it("finds that the test-rfm-segment rules can never give New Customers, Promising or Can't Lose Them", () => {
    // Potential Loyalist (r 3–5, f 1–3, m 1–3) comes before and contains New Customers (r 4–5, f 1, m 1) and
    // Promising (r 3–4, f 1, m 1). The Others cells, by hand: r 1–2 (At Risk f 2–5 m 2–5, Lost f 1–2 m 1–2) leave
    // f 1 × m 3–5 and f 3–5 × m 1 = 6 each; r 3–5 (Loyal f 3–5 m 3–5, Potential Loyalist f 1–3 m 1–3) leave
    // f 1–2 × m 4–5 and f 4–5 × m 1–2 = 8 each → 6 + 6 + 8·3 = 36 of 125.
    const check = checkRules({
      name: 'test-rfm-segment',
      bins: 5,
      fallback: 'Others',
      rules: [
        rule('Champions', [4, 5], [4, 5], [4, 5]),
        rule('Loyal Customers', [2, 5], [3, 5], [3, 5]),
        rule('Potential Loyalist', [3, 5], [1, 3], [1, 3]),
        rule('New Customers', [4, 5], [1, 1], [1, 1]),
        rule('Promising', [3, 4], [1, 1], [1, 1]),
        rule('Need Attention', [2, 3], [2, 3], [2, 3]),
        rule('About To Sleep', [2, 3], [1, 2], [1, 2]),
        rule('At Risk', [1, 2], [2, 5], [2, 5]),
        rule("Can't Lose Them", [1, 1], [4, 5], [4, 5]),
        rule('Lost', [1, 2], [1, 2], [1, 2]),
      ],
    });
    const shadowed = check.unreachable.filter((u) => u.reason === 'shadowed');
    expect(shadowed.map((u) => [u.name, u.reason === 'shadowed' ? u.by.map((b) => b.name) : []])).toEqual([
      ['New Customers', ['Potential Loyalist']],
      ['Promising', ['Potential Loyalist']],
      // Can't Lose Them (r 1, f 4–5, m 4–5) lies inside At Risk (r 1–2, f 2–5, m 2–5), which comes before it
      ["Can't Lose Them", ['At Risk']],
    ]);
    expect(check.fallback).toEqual({ name: 'Others', cells: 36, share: 36 / 125 });
  });

  it('finds every 0.3.0 default rule reachable, and 10 cells for Others', () => {
    // Others by hand: r 1 → Lost takes all; r 2 → (f1 m5), (f4 m1), (f5 m1), (f5 m2); r 3, 4, 5 → (f4 m1), (f5 m1) each.
    const check = checkRules(RFM_R_RULES);
    expect(check.unreachable).toEqual([]);
    expect(check.rules[0]).toEqual({ index: 0, name: 'Champions', cells: 1, matches: 1 }); //  only (5, 5, 5)
    // Potential Loyalist matches 3·3·4 = 36 cells and loses (5, 5, 5) to Champions
    expect(check.rules[1]).toEqual({ index: 1, name: 'Potential Loyalist', cells: 35, matches: 36 });
    expect(check.fallback).toEqual({ name: 'Others', cells: 10, share: 0.08 });
  });
});

describe('checkRules agrees with matchRule and fallbackReachable (rfm.ts) on any rule set', () => {
  const range = fc.option(
    fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })).map(([a, b]): ScoreRange => [a, b]),
    { nil: undefined },
  );
  const anyRule = fc.tuple(range, range, range).map(([r, f, m]) => rule('any', r, f, m));
  const anySet = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.array(anyRule, { maxLength: 8 }));

  it('counts, per rule, the cells matchRule gives it; and the rest is the fallback', () => {
    fc.assert(
      fc.property(anySet, ([bins, rules]) => {
        const set = ruleSet(bins, ...rules);
        const check = checkRules(set);
        const won = new Array<number>(set.rules.length).fill(0);
        let rest = 0;
        for (let r = 1; r <= bins; r++) {
          for (let f = 1; f <= bins; f++) {
            for (let m = 1; m <= bins; m++) {
              const hit = matchRule(set.rules, { r, f, m });
              if (hit === undefined) rest++;
              else won[set.rules.indexOf(hit)]!++; // indexOf finds the first place, which is the one that wins
            }
          }
        }
        expect(check.rules.map((r) => r.cells)).toEqual(won);
        expect(check.fallback.cells).toBe(rest);
        expect(check.fallback.cells > 0).toBe(fallbackReachable(set));
        expect(check.unreachable.map((u) => u.index)).toEqual(check.rules.filter((r) => r.cells === 0).map((r) => r.index));
      }),
    );
  });
});
