import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DERIVED_FIELDS, derivedFields, isWeekend, weekday, type DerivedFields } from '../../src/core/derived.js';
import { compileExpression, evaluate } from '../../src/core/expr.js';
import type { CustomerFacts } from '../../src/core/types.js';

/** A buyer from their distinct order days (ascending) and order count, as customerFacts would make them. */
function buyer(orderDays: readonly number[], frequency: number, asOf: number): CustomerFacts {
  const last = orderDays[orderDays.length - 1]!;
  return Object.freeze({
    customerId: 'c',
    firstOrderDay: orderDays[0]!,
    lastOrderDay: last,
    recencyDays: asOf - last,
    frequency,
    monetary: 10_000,
    orderDays: Object.freeze([...orderDays]),
  });
}

describe('weekday: 0 = Sunday … 6 = Saturday; day 0 = 1970-01-01, a Thursday', () => {
  it.each([
    [0, 4], //      1970-01-01 Thursday
    [2, 6], //      1970-01-03 Saturday
    [3, 0], //      1970-01-04 Sunday
    [-1, 3], //     1969-12-31 Wednesday
    [-4, 0], //     1969-12-28 Sunday
    [19787, 2], //  2024-03-05 (dates.ts docstring), a Tuesday
  ])('weekday(%i) → %i', (day, expected) => expect(weekday(day)).toBe(expected));

  it("agrees with Date's getUTCDay on any day from 1900 to 2100", () => {
    fc.assert(
      fc.property(fc.integer({ min: -25_567, max: 47_482 }), (day) => {
        expect(weekday(day)).toBe(new Date(day * 86_400_000).getUTCDay());
        expect(isWeekend(day)).toBe([0, 6].includes(new Date(day * 86_400_000).getUTCDay()));
      }),
    );
  });
});

describe('derivedFields', () => {
  // Day-of-week of each order day in the comments; weekend = Saturday or Sunday.
  const CASES: readonly (readonly [string, readonly number[], number, number, DerivedFields])[] = [
    // one order: no gap, so no average and no overdue; day 100 = 1970-04-11, a Saturday
    ['one order', [100], 1, 130, { days_since_first_order: 30, avg_days_between_orders: null, overdue_days: null, weekend_order_share: 1 }],
    // docstring: Thu 0, Sat 2; avg (2 − 0)/1 = 2; recency 12 − 2 = 10; overdue 10 − 2 = 8; 1 of 2 days on a weekend
    ['two orders', [0, 2], 2, 12, { days_since_first_order: 12, avg_days_between_orders: 2, overdue_days: 8, weekend_order_share: 0.5 }],
    // three Sundays a week apart; avg 14/2 = 7; recency 20 − 17 = 3 < 7 → overdue 0, not −4
    ['not yet due', [3, 10, 17], 3, 20, { days_since_first_order: 17, avg_days_between_orders: 7, overdue_days: 0, weekend_order_share: 1 }],
    // two orders on one Tuesday: one distinct day; avg divides by frequency − 1 = 1 gap of 0 days → overdue = recency 4
    ['same-day orders', [5], 2, 9, { days_since_first_order: 4, avg_days_between_orders: 0, overdue_days: 4, weekend_order_share: 0 }],
    // four orders on Fri 1, Sat 2, Fri 8: avg (8 − 1)/3 = 7/3; recency 12; overdue 12 − 7/3 = 29/3; share over 3 days, not 4 orders
    ['orders over days', [1, 2, 8], 4, 20, { days_since_first_order: 19, avg_days_between_orders: 7 / 3, overdue_days: 29 / 3, weekend_order_share: 1 / 3 }],
    // before 1970: Sun −4 (1969-12-28), Wed −1
    ['negative days', [-4, -1], 2, 0, { days_since_first_order: 4, avg_days_between_orders: 3, overdue_days: 0, weekend_order_share: 0.5 }],
  ];

  it.each(CASES)('%s: days %j, frequency %i, as of %i', (_, days, frequency, asOf, expected) => {
    const got = derivedFields(buyer(days, frequency, asOf), asOf);
    expect(Object.keys(got)).toEqual(Object.keys(expected));
    for (const key of Object.keys(expected) as (keyof DerivedFields)[]) {
      if (expected[key] === null) expect(got[key], key).toBeNull();
      else expect(got[key], key).toBeCloseTo(expected[key]!, 12);
    }
  });

  it('has a share of null for a buyer without order days (not made by customerFacts, but typed as possible)', () => {
    const noDays = { ...buyer([5], 1, 9), orderDays: [] };
    expect(derivedFields(noDays, 9).weekend_order_share).toBeNull();
  });
});

describe('DERIVED_FIELDS', () => {
  it('lists exactly the fields derivedFields returns, in its order', () => {
    expect(DERIVED_FIELDS.map((f) => f.name)).toEqual(Object.keys(derivedFields(buyer([0, 2], 2, 12), 12)));
  });

  it.each([
    ['days_since_first_order', false],
    ['avg_days_between_orders', true],
    ['overdue_days', true],
    ['weekend_order_share', true],
  ])('%s is a number, nullable: %s', (name, nullable) =>
    expect(DERIVED_FIELDS.find((f) => f.name === name)).toMatchObject({ type: 'number', nullable }),
  );

  it('types the fields for compileExpression, and their nulls evaluate to false', () => {
    const names = DERIVED_FIELDS.map((f) => f.name);
    const types = Object.fromEntries(DERIVED_FIELDS.map((f) => [f.name, f.type]));
    const overdue = compileExpression('overdue_days > 5 and weekend_order_share >= 0.5', names, types);
    expect(evaluate(overdue, derivedFields(buyer([0, 2], 2, 12), 12))).toBe(true); //  overdue 8, share 0.5
    expect(evaluate(overdue, derivedFields(buyer([100], 1, 130), 130))).toBe(false); // overdue null
    expect(() => compileExpression("overdue_days > 'soon'", names, types)).toThrow(/expected a number/);
  });
});
