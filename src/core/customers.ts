import type { FrequencyCount } from './presets.js';
import type { CustomerFacts, Day, OrderTable } from './types.js';

export interface CustomerFactsResult {
  /** Customers with at least one counted order, in table order. */
  readonly facts: CustomerFacts[];
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
  for (let c = 0; c < customerIds.length; c++) {
    let monetary = 0;
    let frequency = 0;
    const days: number[] = [];
    for (let o = orderStart[c]!; o < orderStart[c + 1]!; o++) {
      const amount = orderAmount[o]!;
      monetary += amount;
      if (counts(amount)) {
        frequency++;
        days.push(orderDay[o]!);
      }
    }
    if (frequency === 0) {
      unscored++;
      continue;
    }
    days.sort((a, b) => a - b);
    const orderDays = days.filter((d, i) => i === 0 || d !== days[i - 1]);
    const lastOrderDay = orderDays[orderDays.length - 1]!;
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
  return { facts, unscored };
}
