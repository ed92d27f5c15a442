import { abcClasses } from './abc.js';
import { customerColumns, factsAt } from './customers.js';
import { lifecycleState } from './lifecycle.js';
import type { SegmentParams } from './params.js';
import { rfmScalesOf, scaleCuts, scoreOnScales, segmentNamer, segmentNames, type CutPoints } from './rfm.js';
import { ABC_CLASSES, LIFECYCLE_STATES, type CustomerColumns, type OrderTable, type ScoredCustomer } from './types.js';

export type Dimension = 'rfm' | 'abc' | 'lifecycle';
export const DIMENSIONS: readonly Dimension[] = ['rfm', 'abc', 'lifecycle'];

export interface SegmentResult {
  /** Scored customers sorted by customer id (UTF-16 code unit order, the same on every machine). */
  readonly customers: readonly ScoredCustomer[];
  readonly cuts: CutPoints;
  /** Customers with orders but none counted (every order nets to ≤ 0). */
  readonly unscored: number;
  /** Every segment of every dimension, in a fixed order: a file is written for each, empty or not. */
  readonly segments: Readonly<Record<Dimension, readonly string[]>>;
}

/** The segment a customer is in along one dimension. */
export function segmentOf(c: ScoredCustomer, dimension: Dimension): string {
  return dimension === 'rfm' ? c.rfmSegment : dimension === 'abc' ? c.abcClass : c.lifecycleState;
}

/** The whole computation: orders → facts → RFM scores and segments, ABC classes and lifecycle states. Pure. */
export function segmentOrders(table: OrderTable, params: SegmentParams): SegmentResult {
  return scoreCustomers(customerColumns(table, params.frequency ?? 'orders'), params);
}

/**
 * Facts, scores, segments, ABC classes and lifecycle states of every customer with a counted order, in id order (the
 * columns' order). The customers' facts must have been summed with `params.frequency`'s way of counting (factColumns).
 */
export function scoreCustomers(columns: CustomerColumns, params: SegmentParams): SegmentResult {
  const { frequency, monetary, dayStart, days } = columns;
  const all = columns.customerIds.length;
  const scoredIndex = new Int32Array(all);
  let n = 0;
  for (let c = 0; c < all; c++) if (frequency[c]! > 0) scoredIndex[n++] = c;
  const values = { recency: new Float64Array(n), frequency: new Float64Array(n), monetary: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const c = scoredIndex[i]!;
    values.recency[i] = params.asOf - days[dayStart[c + 1]! - 1]!;
    values.frequency[i] = frequency[c]!;
    values.monetary[i] = monetary[c]!;
  }
  const scales = rfmScalesOf(values, params.bins, params.scoring);
  const abc = abcClasses(values.monetary, params.abc);
  const nameOf = segmentNamer(params.rules);
  const customers = new Array<ScoredCustomer>(n);
  for (let i = 0; i < n; i++) {
    const c = factsAt(columns, scoredIndex[i]!, params.asOf);
    const s = scoreOnScales(c, scales);
    // Fields listed one by one: an object spread here cost a second per 200,000 customers (V8's slow copy path).
    customers[i] = {
      customerId: c.customerId,
      firstOrderDay: c.firstOrderDay,
      lastOrderDay: c.lastOrderDay,
      recencyDays: c.recencyDays,
      frequency: c.frequency,
      monetary: c.monetary,
      orderDays: c.orderDays,
      rScore: s.r,
      fScore: s.f,
      mScore: s.m,
      rfmSegment: nameOf(s.r, s.f, s.m),
      abcClass: abc[i]!,
      lifecycleState: lifecycleState(c, params.asOf, params.windows),
    };
  }
  return {
    customers,
    cuts: scaleCuts(scales),
    unscored: all - n,
    segments: { rfm: segmentNames(params.rules), abc: ABC_CLASSES, lifecycle: LIFECYCLE_STATES },
  };
}
