import { describe, expect, it } from 'vitest';
import { customerColumns, customerFacts } from '../../src/core/customers.js';
import type { OrderTable } from '../../src/core/types.js';

const AS_OF = 1_000;

/** An OrderTable written out by hand (no OrderBook), from each customer's orders as [day, amount]. */
function tableOf(orders: Record<string, readonly (readonly [number, number])[]>): OrderTable {
  const customerIds = Object.keys(orders);
  const all = customerIds.flatMap((id) => orders[id]!);
  const orderStart = new Int32Array(customerIds.length + 1);
  customerIds.forEach((id, i) => (orderStart[i + 1] = orderStart[i]! + orders[id]!.length));
  return {
    customerIds,
    orderStart,
    orderDay: Int32Array.from(all.map(([day]) => day)),
    orderAmount: Float64Array.from(all.map(([, amount]) => amount)),
  };
}

describe('customerFacts', () => {
  // An order counts when its net amount is > 0. Monetary is the net of every order, counted or not.
  // Days and recency (as-of 1000 − last counted day) come from counted orders only.
  const table = tableOf({
    two: [[990, 10_000], [950, 20_000]], //         both count
    refunded: [[900, 50_000], [980, -50_000]], //   the refund order at 980 does not count
    onlyRefund: [[970, -10_000]], //                 no counted order → unscored
    zero: [[960, 0]], //                             net 0 is not > 0 → unscored
    sameDay: [[990, 1], [900, 1], [990, 1]], //     three orders on two distinct days, not in day order
    netNegative: [[990, 10_000], [995, -30_000]], // counts once; the refund still lowers monetary below zero
    noOrders: [], //                                 → unscored
  });
  const { facts, unscored } = customerFacts(table, AS_OF);

  it('leaves out and counts customers with no counted order (onlyRefund, zero, noOrders)', () => {
    expect(unscored).toBe(3);
    expect(facts.map((c) => c.customerId)).toEqual(['netNegative', 'refunded', 'sameDay', 'two']); // id order
  });

  it.each([
    // id,          first, last, recency,     frequency, monetary,               distinct counted days
    ['two', 950, 990, 10, 2, 30_000, [950, 990]], //  10 000 + 20 000
    ['refunded', 900, 900, 100, 1, 0, [900]], //      recency 1000 − 900, not 1000 − 980; 50 000 − 50 000
    ['sameDay', 900, 990, 10, 3, 3, [900, 990]], //   frequency counts orders, orderDays counts days
    ['netNegative', 990, 990, 10, 1, -20_000, [990]], // 10 000 − 30 000; the refund day 995 is not the last order day
  ] as const)('%s: first %i, last %i, recency %i, frequency %i, monetary %i, days %j', (id, first, last, recency, frequency, monetary, days) =>
    expect(facts.find((c) => c.customerId === id)).toEqual({
      customerId: id,
      firstOrderDay: first,
      lastOrderDay: last,
      recencyDays: recency,
      frequency,
      monetary,
      orderDays: days,
    }),
  );

  it('scores nobody in an empty table', () => {
    expect(customerFacts(tableOf({}), AS_OF)).toEqual({ facts: [], unscored: 0 });
  });

  it('measures recency from the as-of day it is given', () => {
    // the same orders one day later: 990 → 11 days ago
    expect(customerFacts(tableOf({ a: [[990, 1]] }), AS_OF + 1).facts[0]!.recencyDays).toBe(11);
  });
});

describe('customerColumns', () => {
  const table = tableOf({ a: [[5, 100], [3, -100], [5, 50]], b: [[7, -1]], c: [] });

  it('sums every customer in table order, unscored ones with frequency 0', () => {
    const cols = customerColumns(table);
    expect(cols.customerIds).toEqual(['a', 'b', 'c']);
    expect(cols.orders).toBe(4);
    expect([...cols.frequency]).toEqual([2, 0, 0]);
    expect([...cols.monetary]).toEqual([50, -1, 0]);
    expect([...cols.dayStart]).toEqual([0, 1, 1, 1]);
    expect([...cols.days]).toEqual([5]); // a's two counted orders share day 5; the refund at 3 does not count
  });

  it('puts the customers in id order, each with its own facts', () => {
    const cols = customerColumns(tableOf({ zed: [[9, 5]], Abe: [[1, 7], [2, 7]], abe: [[4, -2]] }));
    expect(cols.customerIds).toEqual(['Abe', 'abe', 'zed']); // code units: upper case first
    expect([...cols.frequency]).toEqual([2, 0, 1]);
    expect([...cols.monetary]).toEqual([14, -2, 5]);
    expect([...cols.days]).toEqual([1, 2, 9]);
    expect([...cols.dayStart]).toEqual([0, 2, 2, 3]);
  });

  it('counting rows (R rfm), refunds count too', () => {
    const cols = customerColumns(table, 'rows');
    expect([...cols.frequency]).toEqual([3, 1, 0]);
    expect([...cols.days]).toEqual([3, 5, 7]);
    expect([...cols.dayStart]).toEqual([0, 2, 3, 3]);
  });
});
