import { OrderBook } from '../../src/core/orders.js';
import { DEFAULT_ABC, DEFAULT_RULES, DEFAULT_WINDOWS, type SegmentParams } from '../../src/core/params.js';
import type { OrderTable } from '../../src/core/types.js';

/** Shared by segment.test.ts and summary.test.ts: the parameters and the seven hand-checked customers. */
export const AS_OF = 10_000;
export const PARAMS: SegmentParams = Object.freeze({
  asOf: AS_OF,
  bins: 5,
  rules: DEFAULT_RULES,
  abc: DEFAULT_ABC,
  windows: DEFAULT_WINDOWS,
});

/** A table from each customer's orders as [days before as-of, amount]; one line per order (empty order id). */
export function tableOf(orders: Record<string, readonly (readonly [number, number])[]>): OrderTable {
  const book = new OrderBook();
  for (const [customer, list] of Object.entries(orders)) {
    for (const [age, amount] of list) book.add({ customer, order: '', day: AS_OF - age, amount });
  }
  return book.toTable();
}

// Seven customers, inserted out of id order. Six are scored (n = 6, bins 5 → h = 5·k/5 = k: the cut points are the
// sorted values at positions 1 … 4, no interpolation):
//   recency   5 10 20 30 100 200                → cuts 10, 20, 30, 100
//   frequency 1 1 1 2 2 3                       → cuts 1, 1, 2, 2
//   monetary  0 10k 10k 20k 100k 301k           → cuts 10 000, 10 000, 20 000, 100 000
// ABC: total positive 441 000; 80% = 352 800, 95% = 418 950. Every derivation, customer by customer: segment.test.ts.
export const ORDERS = Object.freeze({
  '😀': [[20, 300_000], [300, 1_000]],
  b: [[200, 5_000], [400, 5_000]],
  r: [[30, 40_000], [15, -40_000]], // the refund order does not count: one order, 30 days ago, net 0
  a9: [[5, 20_000]],
  B: [[10, 50_000], [40, 30_000], [70, 20_000]],
  u: [[50, -5_000]], //                 no counted order → unscored
  a10: [[100, 10_000]],
} as const);
