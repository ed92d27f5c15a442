import { describe, expect, it } from 'vitest';
import { groupOrders, OrderBook } from '../../src/core/orders.js';
import type { OrderLine, OrderTable } from '../../src/core/types.js';

const line = (customer: string, order: string, day: number, amount: number): OrderLine =>
  Object.freeze({ customer, order, day, amount });

/** Each customer's orders as [day, amount], in table order: easy to read and compare. */
function ordersOf(table: OrderTable): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  table.customerIds.forEach((id, c) => {
    out[id] = [];
    for (let o = table.orderStart[c]!; o < table.orderStart[c + 1]!; o++) out[id].push([table.orderDay[o]!, table.orderAmount[o]!]);
  });
  return out;
}

function book(...lines: OrderLine[]): OrderBook {
  const b = new OrderBook();
  for (const l of lines) b.add(l);
  return b;
}

type Row = readonly [customer: string, order: string, day: number, amount: number];
const orders = (...rows: Row[]) => ordersOf(book(...rows.map((r) => line(...r))).toTable());

describe('OrderBook: lines sharing (customer, order id) are one order', () => {
  // Each case: lines as [customer, order id, day, amount] → each customer's orders as [day, amount].
  it('merges lines of one order: day = earliest line, amount = sum of lines', () =>
    // min(10, 8, 12) = 8 · 100 + 50 − 30 = 120
    expect(orders(['ann', 'o1', 10, 100], ['ann', 'o1', 8, 50], ['ann', 'o1', 12, -30])).toEqual({ ann: [[8, 120]] }));

  it('keeps one order id of two customers as two orders', () =>
    expect(orders(['ann', 'o1', 1, 5], ['bob', 'o1', 2, 7])).toEqual({ ann: [[1, 5]], bob: [[2, 7]] }));

  it('merges each customer’s own lines when three customers share an order id, lines interleaved', () =>
    // ann: days 1, 3 → 1; 1 + 4 · bob: days 2, 1 → 1; 2 + 16 · cat: days 4, 5 → 4; 8 + 32
    expect(
      orders(['ann', 'o1', 1, 1], ['bob', 'o1', 2, 2], ['ann', 'o1', 3, 4], ['cat', 'o1', 4, 8], ['bob', 'o1', 1, 16], ['cat', 'o1', 5, 32]),
    ).toEqual({ ann: [[1, 5]], bob: [[1, 18]], cat: [[4, 40]] }));

  it('makes every line with an empty order id an order of its own', () =>
    expect(orders(['cat', '', 3, 1], ['cat', '', 3, 1])).toEqual({ cat: [[3, 1], [3, 1]] }));

  it('nets a refund line inside its order', () =>
    expect(orders(['dan', 'o9', 4, 500], ['dan', 'o9', 6, -500])).toEqual({ dan: [[4, 0]] }));

  it('compares order ids exactly (case and spaces count)', () =>
    expect(orders(['eve', 'A1', 1, 1], ['eve', 'a1', 1, 2], ['eve', 'A1 ', 1, 4])).toEqual({ eve: [[1, 1], [1, 2], [1, 4]] }));

  it('keeps customers in first-seen order and each customer’s orders in first-line order', () => {
    const b = book(line('zed', 'z1', 5, 1), line('amy', 'a1', 3, 2), line('zed', 'z2', 1, 4), line('amy', '', 9, 8), line('zed', 'z1', 2, 16));
    expect(b.toTable().customerIds).toEqual(['zed', 'amy']);
    // zed: z1 (days 5, 2 → 2; 1 + 16) then z2; amy: a1 then the order-less line
    expect(ordersOf(b.toTable())).toEqual({ zed: [[2, 17], [1, 4]], amy: [[3, 2], [9, 8]] });
  });

  it('tracks the latest day of any line, merged into an order or not', () => {
    expect(new OrderBook().latestDay).toBeUndefined();
    expect(book(line('a', 'o', 5, 1)).latestDay).toBe(5);
    expect(book(line('a', 'o', 5, 1), line('a', 'o', 9, 1), line('b', '', 7, 1)).latestDay).toBe(9); // 9 joined order o
  });
});

describe('groupOrders: a stable grouping of order columns by customer', () => {
  it('groups, keeps input order within a customer, and gives a customer without orders an empty range', () => {
    const table = groupOrders(['a', 'b', 'c'], [2, 0, 2, 0], [1, 2, 3, 4], [10, 20, 30, 40]);
    expect([...table.orderStart]).toEqual([0, 2, 2, 4]); // a owns 0–1, b none, c owns 2–3
    expect([...table.orderDay]).toEqual([2, 4, 1, 3]); //  a: input orders 1, 3 · c: input orders 0, 2
    expect([...table.orderAmount]).toEqual([20, 40, 10, 30]);
    expect(table.customerIds).toEqual(['a', 'b', 'c']);
  });

  it('handles no orders at all', () => {
    const table = groupOrders([], [], [], []);
    expect([...table.orderStart]).toEqual([0]);
    expect(table.orderDay).toHaveLength(0);
  });
});
