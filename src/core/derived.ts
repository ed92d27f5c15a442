import type { FieldType } from './expr.js';
import type { CustomerFacts, Day } from './types.js';

/**
 * Extra per-customer fields for segment expressions, computed from the facts and the as-of day. A type, not an
 * interface, so that it is assignable to an expression `Row` as it is.
 */
export type DerivedFields = {
  /** asOf − first counted order day. */
  readonly days_since_first_order: number;
  /** (last − first counted order day) / (frequency − 1); null for a single order. */
  readonly avg_days_between_orders: number | null;
  /** max(0, recency_days − avg_days_between_orders): how late the next order is by the customer's own rhythm. */
  readonly overdue_days: number | null;
  /** Share (0 … 1) of the distinct counted order days that fall on a Saturday or Sunday. */
  readonly weekend_order_share: number | null;
};

export type DerivedFieldName = keyof DerivedFields;

/** The derived fields with their expression types and whether they can be null, in a fixed order for help texts. */
export const DERIVED_FIELDS: readonly {
  readonly name: DerivedFieldName;
  readonly type: FieldType;
  readonly nullable: boolean;
  readonly description: string;
}[] = [
  { name: 'days_since_first_order', type: 'number', nullable: false, description: 'days from the first counted order to as-of' },
  {
    name: 'avg_days_between_orders',
    type: 'number',
    nullable: true,
    description: '(last − first order day) / (orders − 1); null with one order',
  },
  {
    name: 'overdue_days',
    type: 'number',
    nullable: true,
    description: 'max(0, recency_days − avg_days_between_orders); null with one order',
  },
  {
    name: 'weekend_order_share',
    type: 'number',
    nullable: true,
    description: 'share of distinct order days on a Saturday or Sunday, 0 … 1',
  },
];

/**
 * Day of the week, 0 = Sunday … 6 = Saturday, as `Date#getUTCDay`. Day 0 (1970-01-01) was a Thursday, hence the + 4.
 * `weekday(0)` → 4; `weekday(-1)` → 3 (1969-12-31, a Wednesday).
 */
export function weekday(day: Day): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Whether a day is a Saturday or a Sunday: `isWeekend(2)` → true (1970-01-03, a Saturday). */
export function isWeekend(day: Day): boolean {
  const w = weekday(day);
  return w === 0 || w === 6;
}

/**
 * The derived fields of one customer as of `asOf`. The average gap divides by frequency − 1, the number of gaps between
 * counted orders, so two orders on one day make gaps of 0 days. The weekend share counts distinct order days, so three
 * orders on one Saturday count once. A customer with no order days (not produced by `customerFacts`) gets a null share.
 *
 * Customer with orders on day 0 (Thu) and day 2 (Sat), frequency 2, recency 10, as of day 12 →
 * `{ days_since_first_order: 12, avg_days_between_orders: 2, overdue_days: 8, weekend_order_share: 0.5 }`.
 */
export function derivedFields(c: CustomerFacts, asOf: Day): DerivedFields {
  const avg = c.frequency < 2 ? null : (c.lastOrderDay - c.firstOrderDay) / (c.frequency - 1);
  const weekendDays = c.orderDays.filter(isWeekend).length;
  return {
    days_since_first_order: asOf - c.firstOrderDay,
    avg_days_between_orders: avg,
    overdue_days: avg === null ? null : Math.max(0, c.recencyDays - avg),
    weekend_order_share: c.orderDays.length === 0 ? null : weekendDays / c.orderDays.length,
  };
}
