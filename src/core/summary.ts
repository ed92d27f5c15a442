import { moneyToNumber } from './money.js';
import type { SegmentResult } from './segment.js';
import { buyerSegmentation, type Segmentation } from './segmentation.js';
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

export type DimensionStats = Readonly<Record<string, readonly SegmentStats[]>>;

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Per segment of every dimension, segments in their fixed order: people, their share of all rows, the revenue of the
 * buyers among them and its share of all buyers' revenue, and the buyers' mean R, F and M scores.
 */
export function segmentationStats<T>(s: Segmentation<T>): DimensionStats {
  let totalRevenue = 0;
  for (const row of s.rows) totalRevenue += s.buyer(row)?.monetary ?? 0;
  const total = s.rows.length;
  const stats: Record<string, SegmentStats[]> = {};
  for (const dimension of s.dimensions) {
    const acc = new Map(dimension.segments.map((name) => [name, { n: 0, buyers: 0, revenue: 0, r: 0, f: 0, m: 0 }]));
    for (const row of s.rows) {
      const b = s.buyer(row);
      for (const name of dimension.of(row)) {
        const a = acc.get(name)!;
        a.n++;
        if (!b) continue;
        a.buyers++;
        a.revenue += b.monetary;
        a.r += b.rScore;
        a.f += b.fScore;
        a.m += b.mScore;
      }
    }
    stats[dimension.name] = [...acc].map(([segment, a]) => ({
      segment,
      customers: a.n,
      shareCustomers: total === 0 ? 0 : round(a.n / total, 6),
      revenue: a.revenue,
      shareRevenue: totalRevenue <= 0 ? 0 : round(a.revenue / totalRevenue, 6),
      meanR: a.buyers === 0 ? 0 : round(a.r / a.buyers, 4),
      meanF: a.buyers === 0 ? 0 : round(a.f / a.buyers, 4),
      meanM: a.buyers === 0 ? 0 : round(a.m / a.buyers, 4),
    }));
  }
  return stats;
}

/** segmentationStats over the scored customers only. */
export function segmentStats(result: SegmentResult): DimensionStats {
  return segmentationStats(buyerSegmentation(result));
}

/** Monetary cut points in currency units, for people. */
export function cutsForPeople(result: SegmentResult): { recency: number[]; frequency: number[]; monetary: number[] } {
  return {
    recency: [...result.cuts.recency],
    frequency: [...result.cuts.frequency],
    monetary: result.cuts.monetary.map(moneyToNumber),
  };
}
