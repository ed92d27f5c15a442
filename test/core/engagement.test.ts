import { describe, expect, it } from 'vitest';
import {
  CONSENT_WORDS,
  ENGAGEMENT_LEVELS,
  NON_BUYER_STATES,
  engagement,
  isCartAbandoner,
  isUnsubscribed,
  nonBuyerState,
  parseConsent,
} from '../../src/core/engagement.js';
import { DEFAULT_EVENT_WINDOWS, EventBook, type EventFacts, type EventWindows } from '../../src/core/events.js';

const AS_OF = 20_000;
type Events = readonly (readonly [name: string, age: number])[];

/** One person's facts through the real EventBook, from [name, age in days before as-of] pairs; undefined with no events. */
function factsOf(events: Events, w: EventWindows = DEFAULT_EVENT_WINDOWS): EventFacts | undefined {
  const book = new EventBook();
  for (const [name, age] of events) book.add({ customer: 'p', name, day: AS_OF - age });
  return book.facts(AS_OF, w).people[0];
}

/** Counted-order days from ages, ascending, as CustomerFacts.orderDays are. */
const orderDays = (ages: readonly number[]) => Object.freeze(ages.map((a) => AS_OF - a).sort((a, b) => a - b));

describe('nonBuyerState: registered, returning_visitor, visitor — first match wins', () => {
  it('has three states in a fixed order', () => expect(NON_BUYER_STATES).toEqual(['registered', 'returning_visitor', 'visitor']));

  // Each row: events as [name, age], whether there is a profile row → state, and why.
  it.each([
    [[['signup', 400]], false, 'registered'], //                     a signup, however old
    [[], true, 'registered'], //                                     a profile row and no events at all
    [[['visit', 0], ['visit', 1]], true, 'registered'], //           would be returning, but registered comes first
    [[['visit', 0], ['visit', 6]], false, 'returning_visitor'], //   2 distinct days, both < 7
    [[['visit', 0], ['visit', 7]], false, 'visitor'], //             age 7 is outside: 1 day in the window
    [[['visit', 2], ['visit', 2], ['visit', 2]], false, 'visitor'], // 3 visits, 1 distinct day
    [[['visit', 5], ['page_view', 4]], false, 'returning_visitor'], // two spellings of visit
    [[['signup', -1], ['visit', 0]], false, 'visitor'], //           the signup is after as-of
    [[['visit', 0], ['visit', -1]], false, 'visitor'], //            so is the second visit
    [[['product_view', 0], ['add_to_cart', 1]], false, 'visitor'], // active, but not on visits
    [[], false, 'visitor'], //                                       nothing known: the last rule
  ] as const)('events %j, profile %s → %s', (events, hasProfile, expected) =>
    expect(nonBuyerState(factsOf(events), hasProfile, DEFAULT_EVENT_WINDOWS)).toBe(expected),
  );

  it('reads the window and the number of days from the parameters', () => {
    const w: EventWindows = Object.freeze({ ...DEFAULT_EVENT_WINDOWS, visitDays: 14, returningVisitDays: 3 });
    const visits: Events = [['visit', 0], ['visit', 6], ['visit', 13]]; // 3 days < 14
    expect(nonBuyerState(factsOf(visits, w), false, w)).toBe('returning_visitor');
    expect(nonBuyerState(factsOf(visits.slice(0, 2), w), false, w)).toBe('visitor'); // 2 days < 3 needed
  });
});

describe('engagement over the 90-day window (0 ≤ asOf − day < 90)', () => {
  it('has four levels in a fixed order', () => expect(ENGAGEMENT_LEVELS).toEqual(['active', 'semi_active', 'passive', 'none']));

  // Each row: events as [name, age], ages of counted orders → level, and why.
  it.each([
    [[['open', 0]], [0], 'active'], //                         open and order on as-of
    [[['open', 89]], [89], 'active'], //                       both on the window's last day
    [[['open', 89]], [90], 'semi_active'], //                  the order at 90 is outside
    [[['open', 10]], [200, 95], 'semi_active'], //             orders, none in the window
    [[['click', 10]], [10], 'active'], //                      a click without an open is engagement
    [[['click', 10]], [], 'semi_active'], //                   a non-buyer who clicks
    [[['sent', 1], ['open', 3]], [], 'semi_active'], //        sent and opened: the open decides
    [[['sent', 89]], [5], 'passive'], //                       sent, never opened; orders do not matter here
    [[['sent', 90]], [5], 'none'], //                          the send is outside
    [[['sent', 3], ['open', 90]], [5], 'passive'], //          the open is outside, the send is not
    [[['open', 90], ['click', 120]], [0], 'none'], //          all email events outside
    [[['click', 90]], [0], 'none'], //                         a click at 90 is outside too
    [[['open', 0]], [-1], 'semi_active'], //                   an order after as-of is not in the window
    [[['visit', 0], ['add_to_cart', 0]], [0], 'none'], //      no email events
    [[], [0, 1, 2], 'none'], //                                no events at all (facts undefined)
  ] as const)('events %j, orders %j → %s', (events, orders, expected) =>
    expect(engagement(orderDays(orders), factsOf(events), AS_OF, DEFAULT_EVENT_WINDOWS)).toBe(expected),
  );

  it('reads the window from the parameters, for events and orders alike', () => {
    const w: EventWindows = Object.freeze({ ...DEFAULT_EVENT_WINDOWS, engagementDays: 30 });
    expect(engagement(orderDays([29]), factsOf([['open', 29]], w), AS_OF, w)).toBe('active'); // 29 < 30
    expect(engagement(orderDays([30]), factsOf([['open', 29]], w), AS_OF, w)).toBe('semi_active'); // order 30 is out
    expect(engagement(orderDays([0]), factsOf([['open', 30], ['sent', 30]], w), AS_OF, w)).toBe('none'); // both out
  });
});

describe('isCartAbandoner: a cart in the last 7 days with no counted order on or after its day', () => {
  // Each row: events as [name, age], ages of counted orders → abandoner?, and why.
  it.each([
    [[['add_to_cart', 6]], [], true], //                       in the window, never bought
    [[['add_to_cart', 7]], [], false], //                      age 7 is outside
    [[['add_to_cart', 0]], [], true], //                       on as-of
    [[['add_to_cart', 3]], [3], false], //                     an order the same day converts it
    [[['add_to_cart', 3]], [2], false], //                     an order after it
    [[['add_to_cart', 3]], [5, 40], true], //                  orders only before it
    [[['add_to_cart', 6], ['add_to_cart', 2]], [4], true], //  the order follows the first cart, not the second
    [[['add_to_cart', 6], ['add_to_cart', 2]], [1], false], // the order follows both
    [[['add_to_cart', 8], ['add_to_cart', 9]], [], false], //  every cart outside
    [[['visit', 0]], [], false], //                            no cart
    [[], [], false], //                                        no events at all
  ] as const)('events %j, orders %j → %s', (events, orders, expected) =>
    expect(isCartAbandoner(orderDays(orders), factsOf(events))).toBe(expected),
  );
});

describe('isUnsubscribed: the latest subscribe/unsubscribe, or a profile that says no', () => {
  // Each row: events as [name, age], the profile's consent → unsubscribed?, and why.
  it.each([
    [[['unsubscribe', 10]], undefined, true],
    [[['unsubscribe', 400]], undefined, true], //                   no window: an opt-out stands
    [[['unsubscribe', 10], ['subscribe', 5]], undefined, false], // subscribed again later
    [[['subscribe', 10], ['unsubscribe', 5]], undefined, true],
    [[['subscribe', 5], ['unsubscribe', 5]], undefined, true], //   a tie on one day: unsubscribe wins
    [[['unsubscribe', -1]], undefined, false], //                   after as-of: ignored
    [[], false, true], //                                            the profile says no
    [[['subscribe', 1]], false, true], //                            the profile's no wins over a subscribe event
    [[['unsubscribe', 3]], true, true], //                           and the event's unsubscribe over a profile's yes
    [[['subscribe', 3]], true, false],
    [[], true, false],
    [[['open', 0]], undefined, false], //                            no subscription events, no consent: mailable
    [[], undefined, false],
  ] as const)('events %j, consent %s → %s', (events, consent, expected) =>
    expect(isUnsubscribed(factsOf(events), consent)).toBe(expected),
  );
});

describe('parseConsent', () => {
  it.each([
    ...CONSENT_WORDS.yes.map((w) => [w, true] as const),
    ...CONSENT_WORDS.no.map((w) => [w, false] as const),
    // the words in other cases and spellings
    ['TRUE', true],
    [' Yes ', true],
    ['Y', true],
    ['Subscribed', true],
    ['opted-in', true],
    ['FALSE', false],
    ['No', false],
    ['N', false],
    ['Unsubscribed', false],
    ['Opted Out', false],
    ['opted-out', false],
    ['OPT_OUT', false],
    // says nothing either way
    ['', undefined],
    ['   ', undefined],
    ['pending', undefined],
    ['maybe', undefined],
    ['2', undefined],
    ['-1', undefined], //   separators are unified, not removed, so this is not '1'
    ['1.0', undefined],
    ['yes please', undefined],
  ] as const)('%j → %s', (text, expected) => expect(parseConsent(text)).toBe(expected));

  it('has no word that is both yes and no', () =>
    expect(CONSENT_WORDS.yes.filter((w) => CONSENT_WORDS.no.includes(w))).toEqual([]));
});
