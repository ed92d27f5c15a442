import { abcClassIndex } from './abc.js';
import { customerColumns } from './customers.js';
import { lifecycleIndexOfDays } from './lifecycle.js';
import type { SegmentParams } from './params.js';
import { rfmScalesOf, scaleCuts, segmentNamer, segmentNames, type CutPoints } from './rfm.js';
import { ascending, scoreAll } from './scoring.js';
import { ABC_CLASSES, LIFECYCLE_STATES, type AbcClass, type CustomerColumns, type Day, type LifecycleState, type Money, type OrderTable, type ScoredCustomer } from './types.js';

export type Dimension = 'rfm' | 'abc' | 'lifecycle';
export const DIMENSIONS: readonly Dimension[] = ['rfm', 'abc', 'lifecycle'];

export interface SegmentResult {
  /** Scored customers sorted by customer id (UTF-16 code unit order, the same on every machine). */
  readonly customers: readonly ScoredCustomer[];
  /** How many: `customers.length`, without making them. */
  readonly count: number;
  /**
   * Scored customer i, as `customers[i]` reads but made when asked, for one use: a million customers kept as objects were
   * copied by every scavenge of the garbage collector while the run scored and wrote.
   */
  customerAt(i: number): ScoredCustomer;
  readonly cuts: CutPoints;
  /** Customers with orders but none counted (every order nets to ≤ 0). */
  readonly unscored: number;
  /** Every segment of every dimension, in a fixed order: a file is written for each, empty or not. */
  readonly segments: Readonly<Record<Dimension, readonly string[]>>;
  /**
   * Each customer's segment along each dimension as an index into `segments[dimension]`, customers in `customers`
   * order: for writers and statistics that would otherwise look every name up. Absent when not worked out.
   */
  readonly segmentIndex?: Readonly<Record<Dimension, ArrayLike<number>>>;
  /** The columns `customerAt` reads, for writers that would otherwise make a row object per customer. */
  readonly scored: ScoredColumns;
}

/** The segment a customer is in along one dimension. */
export function segmentOf(c: ScoredCustomer, dimension: Dimension): string {
  return dimension === 'rfm' ? c.rfmSegment : dimension === 'abc' ? c.abcClass : c.lifecycleState;
}

/** The whole computation: orders → facts → RFM scores and segments, ABC classes and lifecycle states. Pure. */
export function segmentOrders(table: OrderTable, params: SegmentParams): SegmentResult {
  return scoreCustomers(customerColumns(table, params.frequency ?? 'orders'), params);
}

/** The scores and segments of the scored customers, in columns; row i is customer `index[i]` of `columns`. */
export interface ScoredColumns {
  readonly columns: CustomerColumns;
  readonly index: Int32Array;
  readonly asOf: Day;
  readonly r: Uint8Array;
  readonly f: Uint8Array;
  readonly m: Uint8Array;
  /** Index into `names`. */
  readonly segment: Uint16Array;
  readonly names: readonly string[];
  /** Indices into ABC_CLASSES and LIFECYCLE_STATES. */
  readonly abc: Uint8Array;
  readonly lifecycle: Uint8Array;
}

/**
 * One scored customer, read from the columns when asked: an object of three fields rather than of thirteen plus an
 * array of days, which for a million customers is about 200 MB less memory and a third less time writing them.
 * `orderDays` makes a new array on each read.
 */
class ScoredRow implements ScoredCustomer {
  constructor(
    private readonly s: ScoredColumns,
    private readonly i: number,
  ) {}

  private get row(): number {
    return this.s.index[this.i]!;
  }

  get customerId(): string {
    return this.s.columns.customerIds.at(this.row)!;
  }

  get firstOrderDay(): Day {
    return this.s.columns.days[this.s.columns.dayStart[this.row]!]!;
  }

  get lastOrderDay(): Day {
    return this.s.columns.days[this.s.columns.dayStart[this.row + 1]! - 1]!;
  }

  get recencyDays(): number {
    return this.s.asOf - this.lastOrderDay;
  }

  get frequency(): number {
    return this.s.columns.frequency[this.row]!;
  }

  get monetary(): Money {
    return this.s.columns.monetary[this.row]!;
  }

  get orderDays(): Day[] {
    const { dayStart, days } = this.s.columns;
    return Array.from(days.subarray(dayStart[this.row]!, dayStart[this.row + 1]!));
  }

  get rScore(): number {
    return this.s.r[this.i]!;
  }

  get fScore(): number {
    return this.s.f[this.i]!;
  }

  get mScore(): number {
    return this.s.m[this.i]!;
  }

  get rfmSegment(): string {
    return this.s.names[this.s.segment[this.i]!]!;
  }

  get abcClass(): AbcClass {
    return ABC_CLASSES[this.s.abc[this.i]!]!;
  }

  get lifecycleState(): LifecycleState {
    return LIFECYCLE_STATES[this.s.lifecycle[this.i]!]!;
  }
}

/** `column[index[i]]` for every i (a loop: `Float64Array.from` with a function goes through an iterator). */
function picked(column: ArrayLike<number>, index: Int32Array): Float64Array {
  const values = new Float64Array(index.length);
  for (let i = 0; i < index.length; i++) values[i] = column[index[i]!]!;
  return values;
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
  // Fresh memory costs time to touch (about 1 ms a megabyte here): when every customer is scored, as is usual, the
  // columns themselves are the values of frequency and monetary, and only recency is made.
  const index = n === all ? scoredIndex : scoredIndex.slice(0, n);
  const recency = new Float64Array(n);
  for (let i = 0; i < n; i++) recency[i] = params.asOf - days[dayStart[index[i]! + 1]! - 1]!;
  const values =
    n === all
      ? { recency, frequency, monetary }
      : { recency, frequency: picked(frequency, index), monetary: picked(monetary, index) };
  // Both the monetary scale and ABC want the values sorted: one sort serves them.
  const sortedMonetary = ascending(values.monetary, 1);
  const scales = rfmScalesOf(values, params.bins, params.scoring, sortedMonetary);
  const abc = abcClassIndex(values.monetary, params.abc, sortedMonetary);
  const nameOf = segmentNamer(params.rules);
  const segments = segmentNames(params.rules);
  // Every name a customer gets; the rule set's own first (segmentNames), then any other (none with matching bins).
  const names = [...segments];
  const nameIndex = new Map(names.map((name, k) => [name, k]));
  const indexOfName = (name: string) => nameIndex.get(name) ?? (nameIndex.set(name, names.push(name) - 1), names.length - 1);
  const s: ScoredColumns = {
    columns,
    index,
    asOf: params.asOf,
    r: new Uint8Array(n),
    f: new Uint8Array(n),
    m: new Uint8Array(n),
    segment: new Uint16Array(n),
    names,
    abc,
    lifecycle: new Uint8Array(n),
  };
  scoreAll(scales.recency, values.recency, s.r);
  scoreAll(scales.frequency, values.frequency, s.f);
  scoreAll(scales.monetary, values.monetary, s.m);
  // A segment's index per score cell (r, f, m), each score 1 … bins, found on first use; −1 not yet.
  const side = params.bins + 1;
  const cellIndex = new Int32Array(side * side * side).fill(-1);
  for (let i = 0; i < n; i++) {
    const cell = (s.r[i]! * side + s.f[i]!) * side + s.m[i]!;
    if (cellIndex[cell]! < 0) cellIndex[cell] = indexOfName(nameOf(s.r[i]!, s.f[i]!, s.m[i]!));
    s.segment[i] = cellIndex[cell]!;
    const c = index[i]!;
    s.lifecycle[i] = lifecycleIndexOfDays(frequency[c]!, days, dayStart[c]!, dayStart[c + 1]!, params.asOf, params.windows);
  }
  let customers: ScoredCustomer[] | undefined;
  return {
    get customers() {
      if (customers === undefined) {
        customers = new Array<ScoredCustomer>(n);
        for (let i = 0; i < n; i++) customers[i] = new ScoredRow(s, i);
      }
      return customers;
    },
    count: n,
    customerAt: (i) => customers?.[i] ?? new ScoredRow(s, i),
    scored: s,
    cuts: scaleCuts(scales),
    unscored: all - n,
    segments: { rfm: segments, abc: ABC_CLASSES, lifecycle: LIFECYCLE_STATES },
    // Names beyond the rule set's own (none when the bins match) have no file: then leave the indices out.
    ...(names.length === segments.length ? { segmentIndex: { rfm: s.segment, abc: s.abc, lifecycle: s.lifecycle } } : {}),
  };
}
