import type { LifecycleWindows } from './params.js';
import { LIFECYCLE_STATES, type CustomerFacts, type Day, type LifecycleState } from './types.js';

/** Whether some counted order day in `days[from..to)` lies at `lo ≤ asOf − day < hi` days before as-of. */
function hasOrderBetween(days: ArrayLike<Day>, from: number, to: number, asOf: Day, lo: number, hi: number): boolean {
  for (let i = from; i < to; i++) if (asOf - days[i]! >= lo && asOf - days[i]! < hi) return true;
  return false;
}

/**
 * Lifecycle state of a buyer, first match wins:
 * new (one counted order, first ≤ newDays ago) · reactivated (an order ≤ activeDays ago that came more than churnDays
 * after the order before it) · frequent (an order in each of the last frequentPeriods periods) · active (recency ≤
 * activeDays) · at_risk (recency ≤ churnDays) · churned.
 */
export function lifecycleState(c: CustomerFacts, asOf: Day, w: LifecycleWindows): LifecycleState {
  return lifecycleOfDays(c.frequency, c.orderDays, 0, c.orderDays.length, asOf, w);
}

/**
 * lifecycleState of a buyer with `frequency` counted orders whose distinct order days, ascending, are
 * `days[from..to)` (from < to): for facts kept in columns.
 */
export function lifecycleOfDays(frequency: number, days: ArrayLike<Day>, from: number, to: number, asOf: Day, w: LifecycleWindows): LifecycleState {
  return LIFECYCLE_STATES[lifecycleIndexOfDays(frequency, days, from, to, asOf, w)]!;
}

const stateIndex = (state: LifecycleState): number => LIFECYCLE_STATES.indexOf(state);
const NEW = stateIndex('new');
const REACTIVATED = stateIndex('reactivated');
const FREQUENT = stateIndex('frequent');
const ACTIVE = stateIndex('active');
const AT_RISK = stateIndex('at_risk');
const CHURNED = stateIndex('churned');

/** lifecycleOfDays as an index into LIFECYCLE_STATES: a byte per customer, no name looked up. */
export function lifecycleIndexOfDays(frequency: number, days: ArrayLike<Day>, from: number, to: number, asOf: Day, w: LifecycleWindows): number {
  const recency = asOf - days[to - 1]!;
  if (frequency === 1 && asOf - days[from]! <= w.newDays) return NEW;
  for (let i = from + 1; i < to; i++) {
    if (asOf - days[i]! <= w.activeDays && days[i]! - days[i - 1]! > w.churnDays) return REACTIVATED;
  }
  let frequent = true;
  for (let k = 1; k <= w.frequentPeriods && frequent; k++) {
    frequent = hasOrderBetween(days, from, to, asOf, (k - 1) * w.frequentPeriodDays, k * w.frequentPeriodDays);
  }
  if (frequent) return FREQUENT;
  if (recency <= w.activeDays) return ACTIVE;
  if (recency <= w.churnDays) return AT_RISK;
  return CHURNED;
}
