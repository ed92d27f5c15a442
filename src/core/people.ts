import { engagement, isCartAbandoner, isUnsubscribed, nonBuyerState, NON_BUYER_STATES, ENGAGEMENT_LEVELS, type Engagement, type NonBuyerState } from './engagement.js';
import type { EventFacts, EventWindows } from './events.js';
import type { SegmentResult } from './segment.js';
import { LIFECYCLE_STATES, type Day, type IdList, type LifecycleState, type ScoredCustomer } from './types.js';

/** Someone the business knows: a buyer (scored from their orders) or a non-buyer from the profiles or the events. */
export interface Person {
  readonly customerId: string;
  /** Undefined for a non-buyer: no counted order. */
  readonly buyer: ScoredCustomer | undefined;
  readonly lifecycleState: LifecycleState | NonBuyerState;
  readonly engagement: Engagement;
  readonly cartAbandoner: boolean;
  readonly unsubscribed: boolean;
  readonly emailOpens: number;
  readonly emailClicks: number;
  readonly visits: number;
}

/** Every lifecycle state a person can be in: the buyers' states, then the non-buyers'. */
export const ALL_LIFECYCLE_STATES: readonly string[] = [...LIFECYCLE_STATES, ...NON_BUYER_STATES];
export const FLAGS = ['cart_abandoner', 'unsubscribed'] as const;
export { ENGAGEMENT_LEVELS };

export interface PeopleInputs {
  readonly result: SegmentResult;
  /** Every customer id in the orders, scored or not. */
  readonly orderCustomers: IdList;
  readonly events: readonly EventFacts[];
  /** People with a profile row, with the consent it states (undefined when it does not say). */
  readonly profiles: ReadonlyMap<string, { readonly consent?: boolean }>;
  readonly asOf: Day;
  readonly windows: EventWindows;
}

/**
 * Buyers and non-buyers in one list sorted by customer id: everyone in the orders, the events or the profiles. A customer
 * whose orders all net to ≤ 0 has no counted order and is a non-buyer here.
 */
export function combinePeople(p: PeopleInputs): Person[] {
  const buyers = new Map(p.result.customers.map((c) => [c.customerId, c]));
  const events = new Map(p.events.map((e) => [e.customerId, e]));
  const ids = new Set<string>();
  for (let i = 0; i < p.orderCustomers.length; i++) ids.add(p.orderCustomers.at(i)!);
  for (const id of [...events.keys(), ...p.profiles.keys()]) ids.add(id);
  return [...ids].sort().map((id): Person => {
    const buyer = buyers.get(id);
    const facts = events.get(id);
    const profile = p.profiles.get(id);
    const orderDays = buyer?.orderDays ?? [];
    return {
      customerId: id,
      buyer,
      lifecycleState: buyer?.lifecycleState ?? nonBuyerState(facts, profile !== undefined, p.windows),
      engagement: engagement(orderDays, facts, p.asOf, p.windows),
      cartAbandoner: isCartAbandoner(orderDays, facts),
      unsubscribed: isUnsubscribed(facts, profile?.consent),
      emailOpens: facts?.emailOpens ?? 0,
      emailClicks: facts?.emailClicks ?? 0,
      visits: facts?.visits ?? 0,
    };
  });
}
