import { abcClasses } from './abc.js';
import { customerFacts } from './customers.js';
import { lifecycleState } from './lifecycle.js';
import type { SegmentParams } from './params.js';
import { rfmScales, scaleCuts, scoreOnScales, segmentName, segmentNames, type CutPoints } from './rfm.js';
import { ABC_CLASSES, LIFECYCLE_STATES, type OrderTable, type ScoredCustomer } from './types.js';

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

/**
 * Items in the order of their unique ids by UTF-16 code units. Sorting the bare strings uses V8's native comparison,
 * which is three to four times faster on a million ids than sorting the items with a comparator.
 */
function sortByUniqueId<T>(items: readonly T[], id: (item: T) => string): T[] {
  let sorted = true;
  for (let i = 1; i < items.length && sorted; i++) sorted = id(items[i - 1]!) < id(items[i]!);
  if (sorted) return [...items]; // an export sorted by customer costs one pass
  const byId = new Map<string, T>();
  for (const item of items) byId.set(id(item), item);
  return [...byId.keys()].sort().map((k) => byId.get(k)!);
}

/** The whole computation: orders → facts → RFM scores and segments, ABC classes and lifecycle states. Pure. */
export function segmentOrders(table: OrderTable, params: SegmentParams): SegmentResult {
  const { facts, unscored } = customerFacts(table, params.asOf, params.frequency ?? 'orders');
  const scales = rfmScales(facts, params.bins, params.scoring);
  const abc = abcClasses(
    facts.map((c) => c.monetary),
    params.abc,
  );
  const scored = facts.map((c, i): ScoredCustomer => {
    const s = scoreOnScales(c, scales);
    // Fields listed one by one: an object spread here cost a second per 200,000 customers (V8's slow copy path).
    return {
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
      rfmSegment: segmentName(params.rules, s),
      abcClass: abc[i]!,
      lifecycleState: lifecycleState(c, params.asOf, params.windows),
    };
  });
  return {
    customers: sortByUniqueId(scored, (c) => c.customerId),
    cuts: scaleCuts(scales),
    unscored,
    segments: { rfm: segmentNames(params.rules), abc: ABC_CLASSES, lifecycle: LIFECYCLE_STATES },
  };
}
