import { moneyToNumber } from './money.js';
import { DIMENSIONS, segmentOf, type Dimension, type SegmentResult } from './segment.js';
import type { Money } from './types.js';

export interface SegmentStats {
  readonly segment: string;
  readonly customers: number;
  readonly shareCustomers: number;
  readonly revenue: Money;
  /** Of the scored customers' net revenue; 0 when that is not positive. */
  readonly shareRevenue: number;
  readonly meanR: number;
  readonly meanF: number;
  readonly meanM: number;
}

export type DimensionStats = Readonly<Record<Dimension, readonly SegmentStats[]>>;

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Customers, revenue and mean scores per segment of every dimension, segments in their fixed order. */
export function segmentStats(result: SegmentResult): DimensionStats {
  let totalRevenue = 0;
  for (const c of result.customers) totalRevenue += c.monetary;
  const total = result.customers.length;
  const stats = {} as Record<Dimension, SegmentStats[]>;
  for (const dimension of DIMENSIONS) {
    const acc = new Map(result.segments[dimension].map((s) => [s, { n: 0, revenue: 0, r: 0, f: 0, m: 0 }]));
    for (const c of result.customers) {
      const a = acc.get(segmentOf(c, dimension))!;
      a.n++;
      a.revenue += c.monetary;
      a.r += c.rScore;
      a.f += c.fScore;
      a.m += c.mScore;
    }
    stats[dimension] = [...acc].map(([segment, a]) => ({
      segment,
      customers: a.n,
      shareCustomers: total === 0 ? 0 : round(a.n / total, 6),
      revenue: a.revenue,
      shareRevenue: totalRevenue <= 0 ? 0 : round(a.revenue / totalRevenue, 6),
      meanR: a.n === 0 ? 0 : round(a.r / a.n, 4),
      meanF: a.n === 0 ? 0 : round(a.f / a.n, 4),
      meanM: a.n === 0 ? 0 : round(a.m / a.n, 4),
    }));
  }
  return stats;
}

/** Monetary cut points in currency units, for people. */
export function cutsForPeople(result: SegmentResult): { recency: number[]; frequency: number[]; monetary: number[] } {
  return {
    recency: [...result.cuts.recency],
    frequency: [...result.cuts.frequency],
    monetary: result.cuts.monetary.map(moneyToNumber),
  };
}
