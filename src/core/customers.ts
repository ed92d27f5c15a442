import { idOrder } from './id-order.js';
import type { FrequencyCount } from './presets.js';
import type { CustomerColumns, CustomerFacts, Day, FactColumns, OrderTable } from './types.js';

export interface CustomerFactsResult {
  /** Customers with at least one counted order, in id order. */
  readonly facts: CustomerFacts[];
  /** Customers whose every order nets to ≤ 0: left out of scoring. */
  readonly unscored: number;
}

/**
 * The facts of `customers` customers whose orders are grouped as in an OrderTable (customer c's are
 * `orderDay[orderStart[c] .. orderStart[c + 1])`). An order counts when its net amount is > 0; monetary is the net of
 * every order, counted or not (refunds reduce it). Days come from counted orders only. With `count` = `rows` (R rfm's
 * way) every order counts, refunds included; without an order id column every row is an order, so that is its rows.
 * With `overwrite` the days are written over `orderDay`, which then holds nothing else of use.
 */
export function factColumns(
  customers: number,
  orderStart: Int32Array,
  orderDay: Int32Array,
  orderAmount: Float64Array | Int32Array,
  count: FrequencyCount = 'orders',
  overwrite = false,
): FactColumns {
  const every = count === 'rows';
  const frequency = new Int32Array(customers);
  const monetary = new Float64Array(customers);
  const countedStart = new Int32Array(customers + 1);
  // A customer's counted days are written only once its orders are read, and never outnumber them: so they may go
  // over orderDay itself (`overwrite`: for a caller short of memory and done with the orders), or a new column.
  const days = overwrite ? orderDay : new Int32Array(orderStart[customers]!);
  let at = 0;
  for (let c = 0; c < customers; c++) {
    let sum = 0;
    for (let o = orderStart[c]!, end = orderStart[c + 1]!; o < end; o++) {
      const amount = orderAmount[o]!;
      sum += amount;
      if (every || amount > 0) days[at++] = orderDay[o]!;
    }
    frequency[c] = at - countedStart[c]!;
    monetary[c] = sum;
    countedStart[c + 1] = at;
  }
  return { frequency, monetary, ...distinctDays(customers, countedStart, days) };
}

/**
 * Each customer's days, `days[start[c] .. start[c + 1])`, sorted and each day once, moved to the front of `days` (which
 * is written over): customer c's are then `days[dayStart[c] .. dayStart[c + 1])`.
 */
export function distinctDays(customers: number, start: Int32Array, days: Int32Array): { dayStart: Int32Array; days: Int32Array } {
  const dayStart = new Int32Array(customers + 1);
  let at = 0;
  for (let c = 0; c < customers; c++) {
    const from = start[c]!;
    const to = start[c + 1]!;
    // Days mostly come in file order, which is mostly date order: sort only a slice that is not ascending already,
    // natively (a million small arrays sorted with a comparator took seconds).
    let sorted = true;
    for (let i = from + 1; i < to && sorted; i++) sorted = days[i - 1]! <= days[i]!;
    if (!sorted) days.subarray(from, to).sort();
    for (let i = from; i < to; i++) if (i === from || days[i] !== days[i - 1]) days[at++] = days[i]!;
    dayStart[c + 1] = at;
  }
  // A view, not a copy: a table's worth of days is what a copy would cost, at the moment memory is fullest.
  return { dayStart, days: at < days.length ? days.subarray(0, at) : days };
}

/** `items` in `order`: item order[i] at i. A loop, not Array.from, which goes through an iterator (slow for a million). */
export function permuted<T>(items: readonly T[], order: Int32Array): T[] {
  const out = new Array<T>(order.length);
  for (let i = 0; i < order.length; i++) out[i] = items[order[i]!]!;
  return out;
}

/** The facts with their customers in `order`: row i of the result is row order[i] of `facts`. */
function reorderFacts(facts: FactColumns, order: Int32Array): FactColumns {
  const n = order.length;
  const frequency = new Int32Array(n);
  const monetary = new Float64Array(n);
  const dayStart = new Int32Array(n + 1);
  const days = new Int32Array(facts.days.length);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const c = order[i]!;
    frequency[i] = facts.frequency[c]!;
    monetary[i] = facts.monetary[c]!;
    for (let d = facts.dayStart[c]!, end = facts.dayStart[c + 1]!; d < end; d++) days[at++] = facts.days[d]!;
    dayStart[i + 1] = at;
  }
  return { frequency, monetary, dayStart, days };
}

/** An order table summed up into the facts of its customers (see factColumns), customers put in id order. */
export function customerColumns(table: OrderTable, count: FrequencyCount = 'orders'): CustomerColumns {
  const { customerIds, orderStart, orderDay, orderAmount } = table;
  const order = idOrder(customerIds);
  return {
    customerIds: permuted(customerIds, order),
    orders: orderDay.length,
    ...reorderFacts(factColumns(customerIds.length, orderStart, orderDay, orderAmount, count), order),
  };
}

/** Customer c's facts as of `asOf`; c must have a counted order (frequency > 0). Recency is days since the last one. */
function factsAt(columns: CustomerColumns, c: number, asOf: Day): CustomerFacts {
  const from = columns.dayStart[c]!;
  const to = columns.dayStart[c + 1]!;
  const orderDays: Day[] = new Array<Day>(to - from);
  for (let i = from; i < to; i++) orderDays[i - from] = columns.days[i]!;
  const lastOrderDay = orderDays[orderDays.length - 1]!;
  return {
    customerId: columns.customerIds.at(c)!,
    firstOrderDay: orderDays[0]!,
    lastOrderDay,
    recencyDays: asOf - lastOrderDay,
    frequency: columns.frequency[c]!,
    monetary: columns.monetary[c]!,
    orderDays,
  };
}

/** Per-customer facts as of `asOf` of the customers with a counted order, in id order (see factColumns). */
export function customerFacts(table: OrderTable, asOf: Day, count: FrequencyCount = 'orders'): CustomerFactsResult {
  const columns = customerColumns(table, count);
  const facts: CustomerFacts[] = [];
  for (let c = 0; c < columns.customerIds.length; c++) if (columns.frequency[c]! > 0) facts.push(factsAt(columns, c, asOf));
  return { facts, unscored: columns.customerIds.length - facts.length };
}
