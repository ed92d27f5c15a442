import { ENGAGEMENT_LEVELS } from './engagement.js';
import { ALL_LIFECYCLE_STATES, FLAGS, type Person } from './people.js';
import { DIMENSIONS, segmentOf, type ScoredColumns, type SegmentResult } from './segment.js';
import type { ScoredCustomer } from './types.js';

/** One way of cutting the rows into segments; a row may be in no segment of it (a non-buyer has no RFM segment) or several. */
export interface DimensionSpec<T> {
  readonly name: string;
  /** Every segment, in a fixed order: a file is written for each, empty or not. */
  readonly segments: readonly string[];
  readonly of: (row: T) => readonly string[];
  /**
   * For a dimension where every row is in exactly one segment, when known: the segment of `rows[index]` as an index into
   * `segments`, the same as `of` gives. Writers and statistics use it to skip looking names up.
   */
  readonly at?: (index: number) => number;
}

/** The rows of an output and the dimensions that cut them into segments. */
export interface Segmentation<T> {
  readonly rows: readonly T[];
  readonly dimensions: readonly DimensionSpec<T>[];
  readonly id: (row: T) => string;
  readonly buyer: (row: T) => ScoredCustomer | undefined;
  /**
   * `buyer` read from the scoring's columns, when known: the scored customer's index (into `columns`) of `rows[index]`,
   * −1 for a row that is no buyer. Statistics use it to skip making a row object per customer.
   */
  readonly scored?: { readonly columns: ScoredColumns; readonly at: (index: number) => number };
}

/** `of` for a dimension where every row is in exactly one segment; the one-name lists are made once, not per row. */
function single<T>(segments: readonly string[], name: (row: T) => string): (row: T) => readonly string[] {
  const lists = new Map(segments.map((s) => [s, [s]]));
  return (row) => lists.get(name(row)) ?? [name(row)];
}

/**
 * Buyers only, cut by RFM segment, ABC class and lifecycle state. A row is a scored customer's index: the customer is
 * `result.customerAt(row)`, made when a row is read (see SegmentResult.customerAt).
 */
export function buyerSegmentation(result: SegmentResult): Segmentation<number> {
  const rows = new Array<number>(result.count);
  for (let i = 0; i < rows.length; i++) rows[i] = i;
  return {
    rows,
    dimensions: DIMENSIONS.map((d) => {
      const index = result.segmentIndex?.[d];
      return {
        name: d,
        segments: result.segments[d],
        of: single(result.segments[d], (i: number) => segmentOf(result.customerAt(i), d)),
        ...(index ? { at: (i: number) => index[i]! } : {}),
      };
    }),
    id: (i) => result.customerAt(i).customerId,
    buyer: (i) => result.customerAt(i),
    scored: { columns: result.scored, at: (i) => i },
  };
}

/** Buyers and non-buyers, cut also by engagement and flags. */
export function peopleSegmentation(result: SegmentResult, people: readonly Person[]): Segmentation<Person> {
  const none: readonly string[] = [];
  const buyerOnly = (d: 'rfm' | 'abc') => {
    const of = single(result.segments[d], (c: ScoredCustomer) => segmentOf(c, d));
    return (p: Person) => (p.buyer ? of(p.buyer) : none);
  };
  return {
    rows: people,
    dimensions: [
      { name: 'rfm', segments: result.segments.rfm, of: buyerOnly('rfm') },
      { name: 'abc', segments: result.segments.abc, of: buyerOnly('abc') },
      { name: 'lifecycle', segments: ALL_LIFECYCLE_STATES, of: single(ALL_LIFECYCLE_STATES, (p: Person) => p.lifecycleState) },
      { name: 'engagement', segments: ENGAGEMENT_LEVELS, of: single(ENGAGEMENT_LEVELS, (p: Person) => p.engagement) },
      { name: 'flags', segments: FLAGS, of: (p) => FLAGS.filter((f) => (f === 'cart_abandoner' ? p.cartAbandoner : p.unsubscribed)) },
    ],
    id: (p) => p.customerId,
    buyer: (p) => p.buyer,
  };
}

/** The rows in one segment, in row order: `rowsIn(s, 'lifecycle', 'at_risk')`. Undefined for an unknown dimension or segment. */
export function rowsIn<T>(s: Segmentation<T>, dimension: string, segment: string): T[] | undefined {
  const d = s.dimensions.find((x) => x.name === dimension);
  if (!d || !d.segments.includes(segment)) return undefined;
  return s.rows.filter((r) => d.of(r).includes(segment));
}
