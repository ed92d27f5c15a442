import { describe, expect, it } from 'vitest';
import { lifecycleState } from '../../src/core/lifecycle.js';
import { DEFAULT_WINDOWS, type LifecycleWindows } from '../../src/core/params.js';
import type { CustomerFacts } from '../../src/core/types.js';

const AS_OF = 10_000;

/** A buyer from the ages (days before as-of) of their counted orders; two ages alike are two orders on one day. */
function buyer(...agesInDays: number[]): CustomerFacts {
  const orderDays = [...new Set(agesInDays.map((age) => AS_OF - age))].sort((a, b) => a - b);
  return Object.freeze({
    customerId: 'x',
    firstOrderDay: orderDays[0]!,
    lastOrderDay: orderDays[orderDays.length - 1]!,
    recencyDays: Math.min(...agesInDays),
    frequency: agesInDays.length,
    monetary: 10_000 * agesInDays.length,
    orderDays: Object.freeze(orderDays),
  });
}
const state = (ages: readonly number[], w: LifecycleWindows = DEFAULT_WINDOWS) => lifecycleState(buyer(...ages), AS_OF, w);

describe('lifecycleState with the default windows', () => {
  it('defaults to new 30, active 90, churn 180, 3 periods of 30 days', () =>
    expect(DEFAULT_WINDOWS).toEqual({ newDays: 30, activeDays: 90, churnDays: 180, frequentPeriods: 3, frequentPeriodDays: 30 }));

  // Each row: ages of the counted orders in days before as-of → state, then why (the first rule that matches wins).
  it.each([
    // 1. new: exactly one counted order, at most 30 days ago
    [[0], 'new'], //                  one order today
    [[30], 'new'], //                 30 ≤ 30
    [[31], 'active'], //              31 > 30 → not new; recency 31 ≤ 90
    [[5, 5], 'active'], //            two orders on one day: not exactly one order → not new; period 2 empty → active
    [[10, 200], 'reactivated'], //    two orders: not new, even though the first is recent
    // 2. reactivated: an order ≤ 90 days ago whose gap to the previous order is > 180
    [[90, 271], 'reactivated'], //    gap 181 > 180, order age 90 ≤ 90
    [[90, 270], 'active'], //         gap exactly 180 → not; not frequent; recency 90 ≤ 90 → active
    [[91, 272], 'at_risk'], //        gap 181 but order age 91 > 90 → not; recency 91 → at_risk
    [[10, 100, 281], 'active'], //    the long gap (181) ends at age 100, outside 90; the order at 10 follows a gap of 90
    [[0, 30, 60, 241], 'reactivated'], // gap 181 before age 60; would be frequent too, but reactivated comes first
    [[40], 'active'], //              one order, no previous order → never reactivated
    // 3. frequent: an order in each period 0 ≤ age < 30, 30 ≤ age < 60, 60 ≤ age < 90
    [[0, 30, 60], 'frequent'], //     lower edges of the three periods
    [[29, 59, 89], 'frequent'], //    upper edges
    [[29, 59, 90], 'active'], //      age 90 is outside the third period (90 < 90 fails)
    [[0, 30, 59], 'active'], //       two in period 2, none in period 3
    [[0, 60], 'active'], //           period 2 empty
    [[5, 35, 65, 200], 'frequent'], // gap 135 before age 65 is no reactivation; all three periods hold an order
    // 4–6. active ≤ 90 < at_risk ≤ 180 < churned, on recency
    [[90], 'active'],
    [[91], 'at_risk'],
    [[180], 'at_risk'],
    [[181], 'churned'],
    [[181, 400], 'churned'], //       two orders, no recent one
    [[500], 'churned'],
  ])('orders %j days ago → %s', (ages, expected) => expect(state(ages)).toBe(expected));
});

describe('lifecycleState reads its windows from the parameters', () => {
  // new 7 · active 30 · churn 60 · 2 periods of 7 days
  const W: LifecycleWindows = Object.freeze({ newDays: 7, activeDays: 30, churnDays: 60, frequentPeriods: 2, frequentPeriodDays: 7 });
  it.each([
    [[7], 'new'], //             7 ≤ 7
    [[8], 'active'], //          8 > 7; 8 ≤ 30
    [[30, 91], 'reactivated'], // gap 61 > 60, age 30 ≤ 30
    [[30, 90], 'active'], //     gap 60 is not > 60
    [[0, 7], 'frequent'], //     periods [0, 7) and [7, 14)
    [[0, 14], 'active'], //      14 is outside [7, 14)
    [[31], 'at_risk'], //        30 < 31 ≤ 60
    [[60], 'at_risk'],
    [[61], 'churned'],
  ])('orders %j days ago → %s', (ages, expected) => expect(state(ages, W)).toBe(expected));
});
