import type { LifecycleWindows } from './params.js';
import type { CustomerFacts, Day, LifecycleState } from './types.js';

/** Whether some counted order lies at `lo ≤ asOf − day < hi` days before as-of. `orderDays` ascending. */
function hasOrderBetween(orderDays: readonly Day[], asOf: Day, lo: number, hi: number): boolean {
  return orderDays.some((d) => asOf - d >= lo && asOf - d < hi);
}

/**
 * Lifecycle state of a buyer, first match wins:
 * new (one counted order, first ≤ newDays ago) · reactivated (an order ≤ activeDays ago that came more than churnDays
 * after the order before it) · frequent (an order in each of the last frequentPeriods periods) · active (recency ≤
 * activeDays) · at_risk (recency ≤ churnDays) · churned.
 */
export function lifecycleState(c: CustomerFacts, asOf: Day, w: LifecycleWindows): LifecycleState {
  if (c.frequency === 1 && asOf - c.firstOrderDay <= w.newDays) return 'new';
  const days = c.orderDays;
  for (let i = 1; i < days.length; i++) {
    if (asOf - days[i]! <= w.activeDays && days[i]! - days[i - 1]! > w.churnDays) return 'reactivated';
  }
  let frequent = true;
  for (let k = 1; k <= w.frequentPeriods && frequent; k++) {
    frequent = hasOrderBetween(days, asOf, (k - 1) * w.frequentPeriodDays, k * w.frequentPeriodDays);
  }
  if (frequent) return 'frequent';
  if (c.recencyDays <= w.activeDays) return 'active';
  if (c.recencyDays <= w.churnDays) return 'at_risk';
  return 'churned';
}
