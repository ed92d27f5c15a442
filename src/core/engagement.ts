import type { EventFacts, EventWindows } from './events.js';
import type { Day } from './types.js';

/**
 * Lifecycle state of a person with no counted order, who is known only from the profiles or the events. Buyers keep the
 * order-based LifecycleState.
 */
export type NonBuyerState = 'registered' | 'returning_visitor' | 'visitor';
export const NON_BUYER_STATES: readonly NonBuyerState[] = ['registered', 'returning_visitor', 'visitor'];

/** How a person responds to email, over the engagement window. */
export type Engagement = 'active' | 'semi_active' | 'passive' | 'none';
export const ENGAGEMENT_LEVELS: readonly Engagement[] = ['active', 'semi_active', 'passive', 'none'];

/**
 * Lifecycle state of a non-buyer, first match wins: registered (a signup event, or a row in the profiles) ·
 * returning_visitor (visits on at least `returningVisitDays` distinct days of the visit window) · visitor.
 * `facts` is undefined for a person with no counted event. The visit days are counted by `EventBook.facts` with its windows.
 * `nonBuyerState({…, signedUp: false, visitDays: 2}, false, DEFAULT_EVENT_WINDOWS)` → `'returning_visitor'`.
 */
export function nonBuyerState(facts: EventFacts | undefined, hasProfile: boolean, w: EventWindows): NonBuyerState {
  if (hasProfile || facts?.signedUp === true) return 'registered';
  if ((facts?.visitDays ?? 0) >= w.returningVisitDays) return 'returning_visitor';
  return 'visitor';
}

/** Whether a counted order lies in the window of `days` days: 0 ≤ asOf − day < days. */
function hasOrderWithin(orderDays: readonly Day[], asOf: Day, days: number): boolean {
  return orderDays.some((d) => asOf - d >= 0 && asOf - d < days);
}

/**
 * Email engagement over the engagement window (0 ≤ asOf − day < engagementDays; 90 days is as-of and the 89 days before
 * it), first match wins: active (an open or a click, and a counted order) · semi_active (an open or a click, no counted
 * order) · passive (an email sent, no open or click) · none. A click without a recorded open is engagement too.
 * `orderDays` are the person's counted-order days, empty for a non-buyer; the email counts in `facts` must come from
 * `EventBook.facts` with the same as-of and windows.
 * `engagement([asOf − 89], {…, emailOpens: 1}, asOf, DEFAULT_EVENT_WINDOWS)` → `'active'`.
 */
export function engagement(orderDays: readonly Day[], facts: EventFacts | undefined, asOf: Day, w: EventWindows): Engagement {
  if (facts === undefined) return 'none';
  if (facts.emailOpens + facts.emailClicks > 0) {
    return hasOrderWithin(orderDays, asOf, w.engagementDays) ? 'active' : 'semi_active';
  }
  return facts.emailsSent > 0 ? 'passive' : 'none';
}

/**
 * Whether a person left a cart: an add_to_cart in the cart window (0 ≤ asOf − day < cartDays) with no counted order on or
 * after its day. An order on the cart's own day converts it, as the data has days and not times. Only the latest cart day
 * in the window matters: an order on or after it also follows every earlier one, and no order after it means none after
 * the latest either.
 * `isCartAbandoner([asOf − 3], {…, lastCartDay: asOf − 2})` → true (the order came before the cart).
 */
export function isCartAbandoner(orderDays: readonly Day[], facts: EventFacts | undefined): boolean {
  const cart = facts?.lastCartDay;
  return cart !== undefined && !orderDays.some((d) => d >= cart);
}

/**
 * Whether a person must not be mailed: the latest subscribe/unsubscribe event is an unsubscribe (a tie on one day is one,
 * see EventFacts.subscription), or the profile's consent says no. A "no" in the profile wins over a later subscribe event:
 * a profile row has no date to compare, and withholding mail is the safe side.
 * `isUnsubscribed(undefined, parseConsent('opted out'))` → true.
 */
export function isUnsubscribed(facts: EventFacts | undefined, consent: boolean | undefined): boolean {
  return consent === false || facts?.subscription === 'unsubscribed';
}

/** Consent words by meaning, compared after trimming, lower-casing, and reading runs of spaces, `_` and `-` as one `_`. */
export const CONSENT_WORDS: Readonly<Record<'yes' | 'no', readonly string[]>> = {
  yes: ['true', 't', 'yes', 'y', '1', 'on', 'subscribed', 'subscribe', 'opted_in', 'opt_in', 'optin', 'optedin', 'granted', 'consented'],
  no: [
    'false',
    'f',
    'no',
    'n',
    '0',
    'off',
    'unsubscribed',
    'unsubscribe',
    'opted_out',
    'opt_out',
    'optout',
    'optedout',
    'denied',
    'declined',
    'revoked',
    'withdrawn',
  ],
};

const CONSENT = new Map<string, boolean>([
  ...CONSENT_WORDS.yes.map((w): [string, boolean] => [w, true]),
  ...CONSENT_WORDS.no.map((w): [string, boolean] => [w, false]),
]);

/**
 * A profile's consent cell: true for yes-words, false for no-words (CONSENT_WORDS), undefined for an empty cell or any
 * other text, which says nothing either way. Separators are not removed but unified, so `-1` does not read as `1`.
 * `parseConsent(' Opted-Out ')` → false; `parseConsent('YES')` → true; `parseConsent('pending')` → undefined.
 */
export function parseConsent(text: string): boolean | undefined {
  return CONSENT.get(text.trim().toLowerCase().replace(/[\s_-]+/g, '_'));
}
