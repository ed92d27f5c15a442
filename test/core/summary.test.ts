import { describe, expect, it } from 'vitest';
import { segmentOrders } from '../../src/core/segment.js';
import { segmentationStats, segmentStats, type DimensionStats } from '../../src/core/summary.js';
import { buyerSegmentation } from '../../src/core/segmentation.js';
import { ORDERS, PARAMS, tableOf } from './seven-customers.js';

// The seven customers of seven-customers.ts: six scored, net revenue 441 000; per customer (R, F, M, monetary):
//   B (5, 5, 4, 100 000) · a10 (2, 1, 1, 10 000) · a9 (5, 1, 3, 20 000) · b (1, 3, 1, 10 000) · r (3, 1, 1, 0) · 😀 (4, 3, 5, 301 000)
// Shares are rounded to 6 decimals and means to 4 (Python round gives the same values).
const result = segmentOrders(tableOf(ORDERS), PARAMS);
/** One dimension's rows; a missing dimension reads as no rows, so the comparison below fails and shows it. */
const of = (s: DimensionStats, dimension: string) => s[dimension] ?? [];
const stats = segmentStats(result);

const row = (segment: string, customers: number, shareCustomers: number, revenue: number, shareRevenue: number, meanR: number, meanF: number, meanM: number) =>
  ({ segment, customers, shareCustomers, revenue, shareRevenue, meanR, meanF, meanM });

describe('segmentStats', () => {
  it('ABC: 😀 + B are A, a9 is B, the rest C', () => {
    expect(of(stats, 'abc')).toEqual([
      row('A', 2, 0.333333, 401_000, 0.909297, 4.5, 4, 4.5), // 2/6; 401/441; R (4+5)/2, F (3+5)/2, M (5+4)/2
      row('B', 1, 0.166667, 20_000, 0.045351, 5, 1, 3), //      1/6; 20/441
      row('C', 3, 0.5, 20_000, 0.045351, 2, 1.6667, 1), //      a10, b, r: 10k + 10k + 0; R (2+1+3)/3, F (1+3+1)/3
    ]);
  });

  it('lifecycle: every state in its fixed order, empty ones with zeros', () => {
    expect(of(stats, 'lifecycle')).toEqual([
      row('new', 2, 0.333333, 20_000, 0.045351, 4, 1, 2), //     a9 + r: R (5+3)/2, M (3+1)/2
      row('reactivated', 1, 0.166667, 301_000, 0.68254, 4, 3, 5), // 301/441 = 0.682539…
      row('frequent', 1, 0.166667, 100_000, 0.226757, 5, 5, 4), // 100/441
      row('active', 0, 0, 0, 0, 0, 0, 0), //                     nobody
      row('at_risk', 1, 0.166667, 10_000, 0.022676, 2, 1, 1), //  10/441 = 0.0226757…
      row('churned', 1, 0.166667, 10_000, 0.022676, 1, 3, 1),
    ]);
  });

  it('RFM: one row per segment name, summing to every scored customer', () => {
    expect(of(stats, 'rfm').map((s) => s.segment)).toEqual(result.segments.rfm);
    expect(of(stats, 'rfm').reduce((n, s) => n + s.customers, 0)).toBe(6);
    expect(of(stats, 'rfm').find((s) => s.segment === 'champions')).toEqual(row('champions', 1, 0.166667, 100_000, 0.226757, 5, 5, 4)); // B
    expect(of(stats, 'rfm').find((s) => s.segment === 'loyal')).toEqual(row('loyal', 0, 0, 0, 0, 0, 0, 0));
  });

  it('gives revenue shares of 0 when the scored customers’ net revenue is not positive', () => {
    // one buyer: 1 000 in, 5 000 refunded → counted once, monetary −4 000; total −4 000 ≤ 0
    const lone = segmentStats(segmentOrders(tableOf({ n: [[10, 1_000], [20, -5_000]] }), PARAMS));
    expect(of(lone, 'abc').find((s) => s.segment === 'C')).toEqual(row('C', 1, 1, -4_000, 0, 5, 1, 1)); // monetary ≤ 0 → C
  });

  it('has all zeros when nobody is scored', () => {
    const empty = segmentStats(segmentOrders(tableOf({}), PARAMS));
    expect(of(empty, 'abc')).toEqual(['A', 'B', 'C'].map((s) => row(s, 0, 0, 0, 0, 0, 0, 0)));
  });
});

describe('segmentationStats', () => {
  it('gives the same read from the scoring\'s columns as from a row object per customer', () => {
    const seg = buyerSegmentation(result);
    expect(seg.scored).toBeDefined();
    const { scored: _, ...byRow } = seg;
    expect(segmentationStats(seg)).toEqual(segmentationStats(byRow));
    expect(segmentationStats(seg)).toEqual(stats);
  });
});
