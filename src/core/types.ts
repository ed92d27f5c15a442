/** A calendar day: whole days since 1970-01-01. Dates are days, never instants, once read. */
export type Day = number;

/**
 * Money as an exact integer count of 1/10 000 of the currency unit. Sums of millions of rows stay exact because every value
 * is an integer well below 2^53; rounding to cents happens only when a value is written.
 */
export type Money = number;
export const MONEY_SCALE = 10_000;

/** One usable input row after it has been read: who, which order, which day, how much. */
export interface OrderLine {
  readonly customer: string;
  /** Empty when the file has no order column or the cell is empty: the row is then an order of its own. */
  readonly order: string;
  readonly day: Day;
  readonly amount: Money;
}

/**
 * Orders grouped by customer, in columns (compressed sparse rows): customer i owns orders orderStart[i] … orderStart[i+1]−1.
 * An order is every line that shares (customer, order id); its day is the earliest line's day and its amount the lines' sum.
 */
export interface OrderTable {
  readonly customerIds: readonly string[];
  readonly orderStart: Int32Array;
  readonly orderDay: Int32Array;
  readonly orderAmount: Float64Array;
}

/**
 * The facts of a table's customers, in columns: customer c is row c. What scoring needs of the
 * orders, so that a big table need not be kept (or sent between threads) once it is summed up.
 */
export interface FactColumns {
  /** Counted orders (net amount > 0, or every order when counting rows); 0: no counted order, left out of scoring. */
  readonly frequency: Int32Array;
  /** The net of every order, counted or not. */
  readonly monetary: Float64Array;
  /** Customer c's distinct counted-order days, ascending, are `days[dayStart[c] .. dayStart[c + 1])`. */
  readonly dayStart: Int32Array;
  readonly days: Int32Array;
}

/**
 * Customer ids by row: an array, or a list that makes the i-th id a string when asked (the fast reader's, whose million
 * ids would otherwise be a million strings for the garbage collector to copy while the run scores and writes).
 */
export interface IdList {
  readonly length: number;
  /** The id of row `index` (0 ≤ index < length). */
  at(index: number): string | undefined;
}

/**
 * Every customer with an order and their facts, customers in id order (UTF-16 code units, as every output is written):
 * so that the objects made from them later lie in memory in the order they are written, which for a million customers
 * made writing three times faster than following the input's order.
 */
export interface CustomerColumns extends FactColumns {
  readonly customerIds: IdList;
  /** Orders in all, counted or not. */
  readonly orders: number;
}

export type SkipReason = 'empty_customer' | 'after_as_of';
export const SKIP_REASONS: readonly SkipReason[] = ['empty_customer', 'after_as_of'];

/** What happened to every data row read: rowsRead = rowsUsed + Σ skipped + rejected. */
export interface RowCounts {
  readonly rowsRead: number;
  readonly rowsUsed: number;
  readonly skipped: Readonly<Record<SkipReason, number>>;
  /** Rows that could not be used (bad date, bad number, wrong field count, bad quoting). */
  readonly rejected: number;
}

export type AbcClass = 'A' | 'B' | 'C';
export const ABC_CLASSES: readonly AbcClass[] = ['A', 'B', 'C'];

export type LifecycleState = 'new' | 'reactivated' | 'frequent' | 'active' | 'at_risk' | 'churned';
export const LIFECYCLE_STATES: readonly LifecycleState[] = ['new', 'reactivated', 'frequent', 'active', 'at_risk', 'churned'];

/** Per-customer facts from the orders, before any scoring. Only customers with at least one counted order have them. */
export interface CustomerFacts {
  readonly customerId: string;
  readonly firstOrderDay: Day;
  readonly lastOrderDay: Day;
  readonly recencyDays: number;
  readonly frequency: number;
  readonly monetary: Money;
  /** Distinct days with a counted order, ascending. */
  readonly orderDays: readonly Day[];
}

export interface ScoredCustomer extends CustomerFacts {
  readonly rScore: number;
  readonly fScore: number;
  readonly mScore: number;
  readonly rfmSegment: string;
  readonly abcClass: AbcClass;
  readonly lifecycleState: LifecycleState;
}
