import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EVENT_MAP,
  DEFAULT_EVENT_WINDOWS,
  EVENT_SPELLINGS,
  EVENT_TYPES,
  EventBook,
  EventMapError,
  eventTypeOf,
  looseKey,
  parseEventMap,
  type EventFacts,
  type EventLine,
  type EventMap,
  type EventWindows,
} from '../../src/core/events.js';
import { UsageError } from '../../src/errors.js';

const AS_OF = 20_000;

/** An event `age` days before as-of (a negative age is after as-of). */
const ev = (customer: string, name: string, age: number): EventLine => Object.freeze({ customer, name, day: AS_OF - age });

function book(lines: readonly EventLine[], map?: EventMap): EventBook {
  const b = new EventBook(map);
  for (const l of lines) b.add(l);
  return b;
}

/** The facts of one person with these [name, age] events, as of AS_OF. */
function factsOf(events: readonly (readonly [string, number])[], windows?: EventWindows): EventFacts | undefined {
  return book(events.map(([name, age]) => ev('p', name, age))).facts(AS_OF, windows).people[0];
}

describe('looseKey: names compared without case, spaces, underscores, hyphens or dots', () => {
  it.each([
    ['page_view', 'pageview'],
    ['Page View', 'pageview'],
    ['PAGE-VIEW', 'pageview'],
    ['page.view', 'pageview'],
    ['  Email . Opened\t', 'emailopened'], // runs of separators and surrounding space go
    ['add__to--cart', 'addtocart'],
    ['Ünsub', 'ünsub'], //                   non-ASCII letters are lower-cased and kept
    ['', ''],
    ['_-. ', ''], //                          only separators: nothing left
  ])('%j → %j', (text, key) => expect(looseKey(text)).toBe(key));
});

describe('built-in spellings', () => {
  it('has the nine types in a fixed order', () =>
    expect(EVENT_TYPES).toEqual(['visit', 'signup', 'product_view', 'add_to_cart', 'email_sent', 'email_open', 'email_click', 'unsubscribe', 'subscribe']));

  // Every spelling the issue names, then variants of case and separators.
  it.each([
    ['page_view', 'visit'],
    ['pageview', 'visit'],
    ['session_start', 'visit'],
    ['visit', 'visit'],
    ['register', 'signup'],
    ['sign_up', 'signup'],
    ['signup', 'signup'],
    ['account_created', 'signup'],
    ['view_item', 'product_view'],
    ['product_view', 'product_view'],
    ['viewed_product', 'product_view'],
    ['add_to_cart', 'add_to_cart'],
    ['addtocart', 'add_to_cart'],
    ['cart_add', 'add_to_cart'],
    ['added_to_cart', 'add_to_cart'],
    ['email_sent', 'email_sent'],
    ['sent', 'email_sent'],
    ['delivered', 'email_sent'],
    ['email_delivered', 'email_sent'],
    ['open', 'email_open'],
    ['opened', 'email_open'],
    ['email_open', 'email_open'],
    ['email_opened', 'email_open'],
    ['click', 'email_click'],
    ['clicked', 'email_click'],
    ['email_click', 'email_click'],
    ['email_clicked', 'email_click'],
    ['unsubscribe', 'unsubscribe'],
    ['unsubscribed', 'unsubscribe'],
    ['opt_out', 'unsubscribe'],
    ['subscribe', 'subscribe'],
    ['subscribed', 'subscribe'],
    ['opt_in', 'subscribe'],
    // case, spaces, hyphens, dots
    ['Page View', 'visit'],
    ['SIGN-UP', 'signup'],
    ['email.opened', 'email_open'],
    [' Add To Cart ', 'add_to_cart'],
    ['Opt-Out', 'unsubscribe'],
    // a few of the tool names added beyond the list
    ['Opened Email', 'email_open'], //       Klaviyo
    ['Received Email', 'email_sent'], //     Klaviyo
    ['Product Added', 'add_to_cart'], //     Segment e-commerce spec
    ['CompleteRegistration', 'signup'], //   Meta pixel
    ['first_visit', 'visit'], //             GA4
  ] as const)('%j → %s', (name, type) => expect(eventTypeOf(name)).toBe(type));

  it.each([['purchase'], ['order_completed'], ['bounce'], [''], ['   '], ['page']])('%j is unknown', (name) =>
    expect(eventTypeOf(name)).toBeUndefined(),
  );

  it('maps every listed spelling to the type it is listed under (a spelling under two types would fail at load)', () => {
    for (const type of EVENT_TYPES) for (const s of EVENT_SPELLINGS[type]) expect([s, DEFAULT_EVENT_MAP.get(looseKey(s))]).toEqual([s, type]);
  });
});

describe('parseEventMap', () => {
  it.each([
    ['pv=visit', [['pv', 'visit']]],
    ['Newsletter Open=email_open, pv = visit', [['newsletteropen', 'email_open'], ['pv', 'visit']]], // keys by looseKey, spaces trimmed
    ['x=Email Open', [['x', 'email_open']]], //         the type is read loosely too
    ['x=EMAILCLICK', [['x', 'email_click']]],
    ['a=visit,a=visit', [['a', 'visit']]], //           the same mapping twice is no conflict
    ['A=visit,a=visit', [['a', 'visit']]], //           A and a are one raw name
  ] as const)('%j', (text, entries) => expect([...parseEventMap(text)]).toEqual(entries));

  it.each([
    // text → problem, the entry it names
    ['pv', 'syntax', 'pv'], //                       no =
    ['pv=', 'syntax', 'pv='], //                     no type
    ['=visit', 'syntax', '=visit'], //               no raw name
    ['_ =visit', 'syntax', '_ =visit'], //           a raw name of separators only is empty as a key
    ['a=b=visit', 'syntax', 'a=b=visit'], //         two =
    ['', 'syntax', ''], //                           an empty value
    ['pv=visit,', 'syntax', ''], //                  a stray comma leaves an empty entry
    ['pv=visit,,x=signup', 'syntax', ''],
    ['pv=pageview', 'unknown_type', 'pv=pageview'], // a spelling is not a type
    ['pv=purchase', 'unknown_type', 'pv=purchase'],
    ['pv=visit, PV=signup', 'conflict', 'PV=signup'], // one raw name (by looseKey), two types
  ] as const)('%j → %s', (text, problem, entry) => {
    let error: unknown;
    try {
      parseEventMap(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EventMapError);
    expect(error).toBeInstanceOf(UsageError); // the command line turns it into one line and exit code 2
    expect(error).toMatchObject({ problem, entry, exitCode: 2 });
    expect((error as Error).message).toMatch(/^--event-map /);
  });

  it('lists the types when one is unknown', () =>
    expect(() => parseEventMap('a=buy')).toThrow(
      '--event-map "a=buy": unknown event type "buy"; the types are visit, signup, product_view, add_to_cart, email_sent, email_open, email_click, unsubscribe, subscribe',
    ));

  it('user mappings win over the built-in spellings, and add new ones', () => {
    const map = parseEventMap('click=visit,newsletter_open=email_open');
    expect(eventTypeOf('click', map)).toBe('visit'); //            built in: email_click
    expect(eventTypeOf('Clicked', map)).toBe('email_click'); //    a different key: the built-in still holds
    expect(eventTypeOf('Newsletter-Open', map)).toBe('email_open');
    expect(eventTypeOf('newsletter_open')).toBeUndefined(); //     not without the mapping
  });
});

describe('EventBook.facts: one person per rule and boundary, as of day 20 000', () => {
  const W = DEFAULT_EVENT_WINDOWS;
  it('defaults to engagement 90, cart 7, visits 7 days, returning on 2 distinct days', () =>
    expect(W).toEqual({ engagementDays: 90, cartDays: 7, visitDays: 7, returningVisitDays: 2 }));

  // Each row: the person's events as [name, age in days before as-of] → how many count, the other facts that differ from
  // a person with none, and why.
  it.each([
    ['visits at ages 0 and 6 are in the 7-day window, 7 is not', [['visit', 0], ['page_view', 6], ['visit', 7]], { events: 3, visits: 2, visitDays: 2 }],
    ['two visits on one day: 2 visits, 1 day', [['visit', 3], ['session_start', 3]], { events: 2, visits: 2, visitDays: 1 }],
    ['a visit after as-of is not counted at all', [['visit', -1], ['visit', 0]], { events: 1, visits: 1, visitDays: 1 }],
    ['opens at ages 89 and 90: only 89 is in the 90-day window', [['open', 89], ['open', 90]], { events: 2, emailOpens: 1 }],
    ['clicks at ages 0, 89 and 90: 90 is outside', [['click', 0], ['email_clicked', 89], ['click', 90]], { events: 3, emailClicks: 2 }],
    ['sends at ages 89 and 90', [['sent', 89], ['delivered', 90]], { events: 2, emailsSent: 1 }],
    ['carts at ages 6 and 2: the latest in the window, day 19 998', [['add_to_cart', 6], ['cart_add', 2]], { events: 2, lastCartDay: 19_998 }],
    ['a cart at age 7 is outside the 7-day window', [['add_to_cart', 7]], { events: 1, lastCartDay: undefined }],
    ['a signup long ago still counts', [['signup', 5000]], { events: 1, signedUp: true }],
    ['an unsubscribe long ago still stands', [['unsubscribe', 400]], { events: 1, subscription: 'unsubscribed' }],
    ['subscribe after unsubscribe', [['unsubscribe', 10], ['subscribe', 5]], { events: 2, subscription: 'subscribed' }],
    ['unsubscribe after subscribe', [['subscribe', 10], ['opt_out', 5]], { events: 2, subscription: 'unsubscribed' }],
    ['both on one day: the unsubscribe wins', [['subscribe', 5], ['unsubscribe', 5]], { events: 2, subscription: 'unsubscribed' }],
    ['same day, written in the other order', [['unsubscribe', 5], ['subscribe', 5]], { events: 2, subscription: 'unsubscribed' }],
    ['an unsubscribe after as-of is ignored', [['subscribe', 5], ['unsubscribe', -1]], { events: 1, subscription: 'subscribed' }],
    ['a product view makes a person known and nothing else', [['view_item', 0]], { events: 1 }],
  ] as const)('%s', (_why, events, changed) =>
    expect(factsOf(events)).toEqual({
      customerId: 'p',
      signedUp: false,
      visits: 0,
      visitDays: 0,
      emailsSent: 0,
      emailOpens: 0,
      emailClicks: 0,
      lastCartDay: undefined,
      subscription: undefined,
      ...changed,
    }),
  );

  it('reads its windows from the parameters', () => {
    const w: EventWindows = Object.freeze({ engagementDays: 30, cartDays: 2, visitDays: 3, returningVisitDays: 2 });
    const f = factsOf([['open', 29], ['open', 30], ['add_to_cart', 1], ['add_to_cart', 2], ['visit', 2], ['visit', 3]], w);
    // open 29 < 30 in, 30 out · cart 1 < 2 in (day 19 999), 2 out · visit 2 < 3 in, 3 out
    expect(f).toMatchObject({ emailOpens: 1, lastCartDay: 19_999, visits: 1, visitDays: 1 });
  });
});

describe('EventBook: people, counts and the as-of day', () => {
  const lines = [
    ev('zoe', 'visit', 1),
    ev('amy', 'purchase', 1), //      unknown: amy has no known event → not a person here
    ev('bob', 'open', -3), //         after as-of: bob's only event → not a person here
    ev('cat', 'signup', 0),
    ev('zoe', 'Purchase', 2), //      unknown, counted by the name as written
    ev('zoe', ' purchase ', 2), //    trimmed: one name with amy's
    ev('cat', 'product_view', -1), // after as-of
    ev('cat', 'open', 4),
  ];
  const { people, counts } = book(lines).facts(AS_OF);

  it('has the people with at least one used event, sorted by id', () => expect(people.map((p) => p.customerId)).toEqual(['cat', 'zoe']));

  it('counts every event once: added = used + unknown + after as-of', () => {
    expect(counts).toMatchObject({ added: 8, used: 3, unknownType: 3, afterAsOf: 2 }); // 8 = 3 + 3 + 2
    expect(counts.unknownNames).toEqual([
      { name: 'purchase', count: 2 }, // most frequent first, though 'Purchase' comes first by name
      { name: 'Purchase', count: 1 },
    ]);
    expect(counts.byType).toEqual({ ...Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])), visit: 1, signup: 1, email_open: 1 });
  });

  it('orders unknown names of equal count by name', () => {
    const c = book([ev('a', 'zz', 0), ev('a', 'ab', 0), ev('a', 'B', 0)]).facts(AS_OF).counts;
    expect(c.unknownNames.map((u) => u.name)).toEqual(['B', 'ab', 'zz']); // code unit order: upper case first
  });

  it('can be asked again as of another day: the later day counts bob’s open and cat’s view', () => {
    const later = book(lines).facts(AS_OF + 3);
    expect(later.people.map((p) => p.customerId)).toEqual(['bob', 'cat', 'zoe']);
    expect(later.counts).toMatchObject({ used: 5, afterAsOf: 0 });
  });

  it('uses the user’s mapping when it is given one', () => {
    const b = book([ev('a', 'Purchase', 0), ev('a', 'click', 0)], parseEventMap('purchase=signup,click=visit'));
    expect(b.facts(AS_OF).people[0]).toMatchObject({ signedUp: true, visits: 1, emailClicks: 0 });
  });

  it('tracks the latest day of any known event', () => {
    expect(new EventBook().latestDay).toBeUndefined();
    expect(book(lines).latestDay).toBe(AS_OF + 3); // bob's open at age −3; unknown names do not count
    expect(book([ev('a', 'purchase', -9)]).latestDay).toBeUndefined();
  });

  it('grows past its first column size without losing events', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ev(`c${i % 7}`, 'visit', i % 10));
    const { people: ps, counts: c } = book(many).facts(AS_OF);
    expect(c.used).toBe(5000);
    expect(ps.reduce((n, p) => n + p.events, 0)).toBe(5000);
    expect(ps.reduce((n, p) => n + p.visits, 0)).toBe(3500); // ages 0–6 of every 10
  });

  it('has nobody and zero counts when empty', () =>
    expect(new EventBook().facts(AS_OF)).toEqual({
      people: [],
      counts: { added: 0, used: 0, unknownType: 0, afterAsOf: 0, unknownNames: [], byType: Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])) },
    }));
});
