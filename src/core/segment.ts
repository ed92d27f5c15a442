import { abcClasses } from './abc.js';
import { customerFacts } from './customers.js';
import { lifecycleState } from './lifecycle.js';
import type { SegmentParams } from './params.js';
import { rfmCutPoints, scoreCustomer, segmentName, segmentNames, type CutPoints } from './rfm.js';
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

function byCustomerId(a: { customerId: string }, b: { customerId: string }): number {
  return a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0;
}

/** The whole computation: orders → facts → RFM scores and segments, ABC classes and lifecycle states. Pure. */
export function segmentOrders(table: OrderTable, params: SegmentParams): SegmentResult {
  const { facts, unscored } = customerFacts(table, params.asOf);
  const cuts = rfmCutPoints(facts, params.bins);
  const abc = abcClasses(
    facts.map((c) => c.monetary),
    params.abc,
  );
  const customers = facts.map((c, i): ScoredCustomer => {
    const s = scoreCustomer(c, cuts, params.bins);
    return {
      ...c,
      rScore: s.r,
      fScore: s.f,
      mScore: s.m,
      rfmSegment: segmentName(params.rules, s),
      abcClass: abc[i]!,
      lifecycleState: lifecycleState(c, params.asOf, params.windows),
    };
  });
  customers.sort(byCustomerId);
  return {
    customers,
    cuts,
    unscored,
    segments: { rfm: segmentNames(params.rules), abc: ABC_CLASSES, lifecycle: LIFECYCLE_STATES },
  };
}
