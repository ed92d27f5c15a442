import type { FrequencyCount } from './presets.js';
import type { CustomerFacts, Day, OrderTable } from './types.js';

export interface CustomerFactsResult {
  /** Customers with at least one counted order, in table order. */
  readonly facts: CustomerFacts[];
  /** Where each fact's customer is in the table: facts[i] is customer tableIndex[i]. */
  readonly tableIndex: Int32Array;
  /** Customers whose every order nets to ≤ 0: left out of scoring. */
  readonly unscored: number;
}

/**
 * Per-customer facts as of `asOf`. An order counts when its net amount is > 0; monetary is the net of every order,
 * counted or not (refunds reduce it). Dates and recency come from counted orders only. With `count` = `rows` (R rfm's
 * way) every order counts, refunds included; without an order id column every row is an order, so that is its rows.
 */
export function customerFacts(table: OrderTable, asOf: Day, count: FrequencyCount = 'orders'): CustomerFactsResult {
  const counts = count === 'rows' ? () => true : (amount: number) => amount > 0;
  const facts: CustomerFacts[] = [];
  let unscored = 0;
  const { customerIds, orderStart, orderDay, orderAmount } = table;
  const tableIndex = new Int32Array(customerIds.length);
  // One scratch buffer, sorted natively per customer: a million small arrays sorted with a comparator took seconds.
  let scratch = new Int32Array(64);
  for (let c = 0; c < customerIds.length; c++) {
    let monetary = 0;
    let frequency = 0;
    const start = orderStart[c]!;
    const end = orderStart[c + 1]!;
    if (end - start > scratch.length) scratch = new Int32Array(2 * (end - start));
    for (let o = start; o < end; o++) {
      const amount = orderAmount[o]!;
      monetary += amount;
      if (counts(amount)) scratch[frequency++] = orderDay[o]!;
    }
    if (frequency === 0) {
      unscored++;
      continue;
    }
    const sorted = frequency > 1 ? scratch.subarray(0, frequency).sort() : scratch;
    const orderDays: Day[] = [sorted[0]!];
    for (let i = 1; i < frequency; i++) if (sorted[i] !== sorted[i - 1]) orderDays.push(sorted[i]!);
    const lastOrderDay = orderDays[orderDays.length - 1]!;
    tableIndex[facts.length] = c;
    facts.push({
      customerId: customerIds[c]!,
      firstOrderDay: orderDays[0]!,
      lastOrderDay,
      recencyDays: asOf - lastOrderDay,
      frequency,
      monetary,
      orderDays,
    });
  }
  return { facts, tableIndex: tableIndex.subarray(0, facts.length), unscored };
}
