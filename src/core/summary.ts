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
  const total = s.rows.length;
  // One pass over the rows for every dimension at once; per dimension and segment, columns of sums.
  const dims = s.dimensions.map((d) => {
    const n = d.segments.length;
    return {
      d,
      position: new Map(d.segments.map((name, i) => [name, i])),
      people: new Float64Array(n),
      buyers: new Float64Array(n),
      revenue: new Float64Array(n),
      r: new Float64Array(n),
      f: new Float64Array(n),
      m: new Float64Array(n),
    };
  });
  let totalRevenue = 0;
  const rows = s.rows;
  const scored = s.scored;
  for (let row = 0; row < rows.length; row++) {
    let b: boolean;
    let monetary = 0;
    let r = 0;
    let f = 0;
    let m = 0;
    if (scored) {
      // The buyer's facts and scores read from the columns: no row object per customer.
      const i = scored.at(row);
      const c = scored.columns;
      b = i >= 0;
      if (b) {
        monetary = c.columns.monetary[c.index[i]!]!;
        r = c.r[i]!;
        f = c.f[i]!;
        m = c.m[i]!;
      }
    } else {
      const buyer = s.buyer(rows[row]!);
      b = buyer !== undefined;
      if (buyer) {
        monetary = buyer.monetary;
        r = buyer.rScore;
        f = buyer.fScore;
        m = buyer.mScore;
      }
    }
    totalRevenue += monetary;
    for (const x of dims) {
      // The segment by index when the dimension knows it (one per row), else each of the row's by name.
      const at = x.d.at;
      const names = at ? undefined : x.d.of(rows[row]!);
      const count = names ? names.length : 1;
      for (let k = 0; k < count; k++) {
        const i = names ? x.position.get(names[k]!)! : at!(row);
        x.people[i]!++;
        if (!b) continue;
        x.buyers[i]!++;
        x.revenue[i]! += monetary;
        x.r[i]! += r;
        x.f[i]! += f;
        x.m[i]! += m;
      }
    }
  }
  const stats: Record<string, SegmentStats[]> = {};
  for (const x of dims) {
    stats[x.d.name] = x.d.segments.map((segment, i) => {
      const buyers = x.buyers[i]!;
      return {
        segment,
        customers: x.people[i]!,
        shareCustomers: total === 0 ? 0 : round(x.people[i]! / total, 6),
        revenue: x.revenue[i]!,
        shareRevenue: totalRevenue <= 0 ? 0 : round(x.revenue[i]! / totalRevenue, 6),
        meanR: buyers === 0 ? 0 : round(x.r[i]! / buyers, 4),
        meanF: buyers === 0 ? 0 : round(x.f[i]! / buyers, 4),
        meanM: buyers === 0 ? 0 : round(x.m[i]! / buyers, 4),
      };
    });
  }
  return stats;
}

/** segmentationStats over the scored customers only. */
export function segmentStats(result: SegmentResult): DimensionStats {
  return segmentationStats(buyerSegmentation(result));
}
