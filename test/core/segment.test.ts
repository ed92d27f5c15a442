import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/core/params.js';
import { segmentNames } from '../../src/core/rfm.js';
import { DIMENSIONS, segmentOf, segmentOrders } from '../../src/core/segment.js';
import type { ScoredCustomer } from '../../src/core/types.js';
import { AS_OF, ORDERS, PARAMS, tableOf } from './seven-customers.js';

const FIELDS = ['customerId', 'firstOrderDay', 'lastOrderDay', 'recencyDays', 'frequency', 'monetary', 'orderDays', 'rScore', 'fScore', 'mScore', 'rfmSegment', 'abcClass', 'lifecycleState'] as const;

// id, recency, frequency, monetary, R F M, RFM segment, ABC, lifecycle — in the expected (code-unit) id order
const EXPECTED = [
  // R: 5 − cuts below 10 (0) · F: 1 + cuts below 3 (4) · M: 1 + cuts below 100k (3) · higher 301k < 352.8k · periods 10, 40, 70
  ['B', 10, 3, 100_000, 5, 5, 4, 'champions', 'A', 'frequent'],
  // R: 10, 20, 30 below 100 → 2 · F: none below 1 → 1 · M: none below 10k → 1 · higher 421k ≥ 418.95k · 90 < 100 ≤ 180
  ['a10', 100, 1, 10_000, 2, 1, 1, 'hibernating', 'C', 'at_risk'],
  // R: 5 · F: 1 · M: 10k, 10k below 20k → 3 · higher 401k between 352.8k and 418.95k · one order 5 days ago
  ['a9', 5, 1, 20_000, 5, 1, 3, 'new_customers', 'B', 'new'],
  // R: all below 200 → 1 · F: 1, 1 below 2 → 3 · M: 1 · higher 421k · 200 > 180, and its last order is too old to reactivate
  ['b', 200, 2, 10_000, 1, 3, 1, 'at_risk', 'C', 'churned'],
  // R: 10, 20 below 30 → 3 · F: 1 · M: 1 · monetary 0 → C · one counted order exactly 30 days ago → new
  ['r', 30, 1, 0, 3, 1, 1, 'about_to_sleep', 'C', 'new'],
  // R: 10 below 20 → 4 · F: 3 · M: all below → 5 · nobody higher · gap 280 > 180 before the order 20 days ago
  ['😀', 20, 2, 301_000, 4, 3, 5, 'potential_loyalist', 'A', 'reactivated'],
] as const;

describe('segmentOrders on seven hand-checked customers', () => {
  const result = segmentOrders(tableOf(ORDERS), PARAMS);

  it('hands out customer i one at a time (customerAt) as the list has it, before and after the list is made', () => {
    const fresh = segmentOrders(tableOf(ORDERS), PARAMS);
    const fields = (c: ScoredCustomer) => ({ ...Object.fromEntries(FIELDS.map((k) => [k, c[k]])) });
    const oneByOne = Array.from({ length: fresh.count }, (_, i) => fields(fresh.customerAt(i)));
    expect(fresh.count).toBe(6);
    expect(fresh.customers.map(fields)).toEqual(oneByOne);
    expect(fresh.customerAt(2)).toBe(fresh.customers[2]); // once made, the list's own
  });

  it('scores six, counts one as unscored, and sorts by customer id in code-unit order', () => {
    expect(result.unscored).toBe(1); // u
    expect(result.customers.map((c) => c.customerId)).toEqual(EXPECTED.map((row) => row[0]));
  });

  it.each(EXPECTED)('%s: recency %i, frequency %i, monetary %i → R%i F%i M%i, %s, %s, %s', (id, rec, freq, mon, r, f, m, rfm, abc, life) =>
    expect(result.customers.find((c) => c.customerId === id)).toMatchObject({
      recencyDays: rec,
      frequency: freq,
      monetary: mon,
      rScore: r,
      fScore: f,
      mScore: m,
      rfmSegment: rfm,
      abcClass: abc,
      lifecycleState: life,
    }),
  );

  it('returns the cut points it scored with', () => {
    expect(result.cuts).toEqual({ recency: [10, 20, 30, 100], frequency: [1, 1, 2, 2], monetary: [10_000, 10_000, 20_000, 100_000] });
  });

  it('keeps the customer facts: first and last counted day, distinct counted days', () => {
    // 😀: orders 300 and 20 days ago
    expect(result.customers.at(-1)).toMatchObject({ firstOrderDay: AS_OF - 300, lastOrderDay: AS_OF - 20, orderDays: [AS_OF - 300, AS_OF - 20] });
  });

  it('lists every segment of every dimension in a fixed order', () => {
    expect(result.segments).toEqual({
      rfm: segmentNames(DEFAULT_RULES),
      abc: ['A', 'B', 'C'],
      lifecycle: ['new', 'reactivated', 'frequent', 'active', 'at_risk', 'churned'],
    });
    expect(DIMENSIONS).toEqual(['rfm', 'abc', 'lifecycle']);
  });

  it.each([
    ['rfm', 'potential_loyalist'],
    ['abc', 'A'],
    ['lifecycle', 'reactivated'],
  ] as const)('segmentOf(😀, %s) → %s', (dimension, expected) => expect(segmentOf(result.customers.at(-1)!, dimension)).toBe(expected));
});

describe('segmentOrders reads its parameters', () => {
  it('bins: with 2 bins, one cut at the median (h = 5·0.5 = 2.5)', () => {
    const { cuts, customers } = segmentOrders(tableOf(ORDERS), { ...PARAMS, bins: 2 });
    // recency 20 + 0.5·10 = 25 · frequency 1 + 0.5·1 = 1.5 · monetary 10 000 + 0.5·10 000 = 15 000
    expect(cuts).toEqual({ recency: [25], frequency: [1.5], monetary: [15_000] });
    // B: recency 10 ≤ 25 → R2; frequency 3 > 1.5 → F2; 100 000 > 15 000 → M2
    expect(customers[0]).toMatchObject({ customerId: 'B', rScore: 2, fScore: 2, mScore: 2 });
  });

  it('ABC cut-offs: at 50% / 90% only the top buyer stays A', () => {
    // 441 000 total: 50% = 220 500, 90% = 396 900. 😀 higher 0 → A; B higher 301 000 → B; a9 higher 401 000 → C
    const { customers } = segmentOrders(tableOf(ORDERS), { ...PARAMS, abc: { a: 50, b: 90 } });
    expect(Object.fromEntries(customers.map((c) => [c.customerId, c.abcClass]))).toEqual({ B: 'B', a10: 'C', a9: 'C', b: 'C', r: 'C', '😀': 'A' });
  });

  it('as-of: ten days later, recency grows by ten; r (40 days) is no longer new, a9 (15 days) still is', () => {
    const { customers } = segmentOrders(tableOf(ORDERS), { ...PARAMS, asOf: AS_OF + 10 });
    expect(customers.map((c) => c.recencyDays)).toEqual([20, 110, 15, 210, 40, 30]);
    // B: ages 20, 50, 80, still one per period → frequent · r: one order 40 days ago → not new (> 30), 40 ≤ 90 → active
    expect(customers.map((c) => c.lifecycleState)).toEqual(['frequent', 'at_risk', 'new', 'churned', 'active', 'reactivated']);
  });
});

describe('segmentOrders edge cases', () => {
  it('sorts ids by UTF-16 code unit, not by locale or code point', () => {
    // B 0x42 · a10 0x61 0x31 · a9 0x61 0x39 · b 0x62 · é 0xE9 · 😀 0xD83D (surrogate) · ｚ 0xFF5A.
    // localeCompare would put b before B and é next to e; code-point order would put ｚ (U+FF5A) before 😀 (U+1F600).
    const ids = ['ｚ', '😀', 'b', 'B', 'a10', 'a9', 'é'];
    const table = tableOf(Object.fromEntries(ids.map((id) => [id, [[1, 100]]])));
    expect(segmentOrders(table, PARAMS).customers.map((c) => c.customerId)).toEqual(['B', 'a10', 'a9', 'b', 'é', '😀', 'ｚ']);
  });

  it('returns nothing to score for an empty table', () => {
    const result = segmentOrders(tableOf({}), PARAMS);
    expect(result.customers).toEqual([]);
    expect(result.unscored).toBe(0);
    expect(result.cuts).toEqual({ recency: [], frequency: [], monetary: [] });
  });

  it('scores a lone buyer at the top of R and the bottom of F and M', () => {
    // n = 1: every cut point is the buyer's own value, none strictly below → R 5 − 0, F 1 + 0, M 1 + 0
    const { customers } = segmentOrders(tableOf({ solo: [[3, 100]] }), PARAMS);
    expect(customers[0]).toMatchObject({ rScore: 5, fScore: 1, mScore: 1, rfmSegment: 'new_customers', abcClass: 'A', lifecycleState: 'new' });
  });

  it('counts as unscored every customer whose orders all net to ≤ 0', () => {
    const result = segmentOrders(tableOf({ x: [[1, -1]], y: [[2, 0]], z: [[3, 5]] }), PARAMS);
    expect(result.unscored).toBe(2);
    expect(result.customers.map((c) => c.customerId)).toEqual(['z']);
  });
});
