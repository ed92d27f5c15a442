import { UsageError } from '../errors.js';
import type { Day } from './types.js';

/** What a person did, whatever the export called it. */
export type EventType =
  | 'visit'
  | 'signup'
  | 'product_view'
  | 'add_to_cart'
  | 'email_sent'
  | 'email_open'
  | 'email_click'
  | 'unsubscribe'
  | 'subscribe';
export const EVENT_TYPES: readonly EventType[] = [
  'visit',
  'signup',
  'product_view',
  'add_to_cart',
  'email_sent',
  'email_open',
  'email_click',
  'unsubscribe',
  'subscribe',
];

/**
 * Windows in days, each counted back from as-of: a day is in a window of N days when 0 ≤ asOf − day < N, so N = 7 is
 * as-of and the six days before it. Events after as-of are never counted.
 */
export interface EventWindows {
  /** engagement, email_opens_90d, email_clicks_90d: opens, clicks, sends and orders in this window. */
  readonly engagementDays: number;
  /** cart_abandoner: an add_to_cart in this window with no counted order on or after its day. */
  readonly cartDays: number;
  /** returning_visitor and visits_7d: visit events in this window. */
  readonly visitDays: number;
  /** returning_visitor: visits on at least this many distinct days of the visit window. */
  readonly returningVisitDays: number;
}

export const DEFAULT_EVENT_WINDOWS: EventWindows = {
  engagementDays: 90,
  cartDays: 7,
  visitDays: 7,
  returningVisitDays: 2,
};

/**
 * A name as event names and `--event-map` entries are compared: lower-case, without spaces, underscores, hyphens and
 * dots, so `Page View`, `page_view`, `page-view`, `page.view` and `PAGEVIEW` are one name.
 * `looseKey(' Email.Opened ')` → `'emailopened'`.
 */
export function looseKey(text: string): string {
  return text.toLowerCase().replace(/[\s_.-]+/g, '');
}

/**
 * The spellings recognised for each type, compared by `looseKey`. Besides the usual snake-case names these are the names
 * of common tools: GA4 (`page_view`, `session_start`, `first_visit`, `sign_up`, `view_item`, `add_to_cart`), Segment's
 * e-commerce spec (`Product Viewed`, `Product Added`), Meta pixel (`CompleteRegistration`, `ViewContent`, `AddToCart`)
 * and Klaviyo (`Received Email`, `Opened Email`, `Clicked Email`, `Unsubscribed from List`, `Subscribed to List`).
 * A bare `click` or `open` is taken to be an email's, as email tools export them.
 */
export const EVENT_SPELLINGS: Readonly<Record<EventType, readonly string[]>> = {
  visit: [
    'visit',
    'visited',
    'site_visit',
    'page_visit',
    'page_view',
    'page_viewed',
    'viewed_page',
    'screen_view',
    'session',
    'session_start',
    'session_started',
    'first_visit',
  ],
  signup: [
    'signup',
    'sign_up',
    'signed_up',
    'register',
    'registered',
    'registration',
    'complete_registration',
    'account_created',
    'create_account',
    'created_account',
  ],
  product_view: [
    'product_view',
    'product_viewed',
    'viewed_product',
    'view_product',
    'view_item',
    'viewed_item',
    'item_view',
    'item_viewed',
    'view_content',
  ],
  add_to_cart: [
    'add_to_cart',
    'added_to_cart',
    'cart_add',
    'cart_added',
    'add_to_basket',
    'added_to_basket',
    'basket_add',
    'product_added',
  ],
  email_sent: ['email_sent', 'sent', 'send', 'delivered', 'email_delivered', 'received_email', 'email_received'],
  email_open: ['email_open', 'email_opened', 'open', 'opened', 'opened_email', 'open_email'],
  email_click: ['email_click', 'email_clicked', 'click', 'clicked', 'clicked_email', 'click_email'],
  unsubscribe: [
    'unsubscribe',
    'unsubscribed',
    'unsub',
    'opt_out',
    'opted_out',
    'email_unsubscribe',
    'email_unsubscribed',
    'unsubscribed_from_list',
  ],
  subscribe: ['subscribe', 'subscribed', 'opt_in', 'opted_in', 'email_subscribe', 'email_subscribed', 'subscribed_to_list'],
};

/** Event names by `looseKey`: which type a name means. */
export type EventMap = ReadonlyMap<string, EventType>;

function spellingMap(): Map<string, EventType> {
  const map = new Map<string, EventType>();
  for (const type of EVENT_TYPES) {
    for (const spelling of EVENT_SPELLINGS[type]) {
      const key = looseKey(spelling);
      const known = map.get(key);
      // A spelling listed under two types would make the table's meaning depend on its order.
      if (known !== undefined && known !== type) throw new Error(`EVENT_SPELLINGS: "${spelling}" is listed under ${known} and ${type}`);
      map.set(key, type);
    }
  }
  return map;
}

/** Every spelling in EVENT_SPELLINGS, by `looseKey`. */
export const DEFAULT_EVENT_MAP: EventMap = spellingMap();

const TYPE_BY_KEY: EventMap = new Map(EVENT_TYPES.map((t) => [looseKey(t), t]));

export type EventMapProblem = 'syntax' | 'unknown_type' | 'conflict';

/** A `--event-map` value that cannot be read: which entry, and why. A UsageError, so the command exits with code 2. */
export class EventMapError extends UsageError {
  constructor(
    readonly problem: EventMapProblem,
    /** The entry as written, without the spaces around it. */
    readonly entry: string,
    message: string,
  ) {
    super(message);
    this.name = 'EventMapError';
  }
}

/**
 * Reads `--event-map raw=type,…` into an EventMap. Raw names are compared by `looseKey` like every event name; the type
 * is one of EVENT_TYPES, in any case and with `_`, `-`, `.` or spaces or none (`Email Open`, `emailopen`). Spaces around
 * entries, names and types are ignored. A raw name cannot hold `,` or `=`.
 * Throws an EventMapError for an entry that is not `raw=type` (empty entries too, so a stray comma is caught), for an
 * unknown type, and for one raw name mapped to two types.
 * `parseEventMap('Newsletter Open=email_open, pv=visit')` → Map { 'newsletteropen' → 'email_open', 'pv' → 'visit' }.
 */
export function parseEventMap(text: string): EventMap {
  const map = new Map<string, EventType>();
  for (const part of text.split(',')) {
    const entry = part.trim();
    const eq = entry.indexOf('=');
    const raw = eq < 0 ? '' : entry.slice(0, eq).trim();
    const typeText = eq < 0 ? '' : entry.slice(eq + 1).trim();
    if (looseKey(raw) === '' || typeText === '' || typeText.includes('=')) {
      throw new EventMapError(
        'syntax',
        entry,
        `--event-map ${JSON.stringify(entry)}: expected raw=type entries separated by commas, e.g. pv=visit,nl_open=email_open`,
      );
    }
    const type = TYPE_BY_KEY.get(looseKey(typeText));
    if (type === undefined) {
      throw new EventMapError(
        'unknown_type',
        entry,
        `--event-map ${JSON.stringify(entry)}: unknown event type ${JSON.stringify(typeText)}; the types are ${EVENT_TYPES.join(', ')}`,
      );
    }
    const key = looseKey(raw);
    const earlier = map.get(key);
    if (earlier !== undefined && earlier !== type) {
      throw new EventMapError(
        'conflict',
        entry,
        `--event-map ${JSON.stringify(entry)}: ${JSON.stringify(raw)} is already mapped to ${earlier}`,
      );
    }
    map.set(key, type);
  }
  return map;
}

/**
 * The type an event name means: the user's mapping first, then the built-in spellings; undefined when neither knows it.
 * `eventTypeOf('Opened Email')` → `'email_open'`; `eventTypeOf('open', parseEventMap('open=visit'))` → `'visit'`.
 */
export function eventTypeOf(name: string, userMap: EventMap = new Map()): EventType | undefined {
  const key = looseKey(name);
  return userMap.get(key) ?? DEFAULT_EVENT_MAP.get(key);
}

/** One usable row of an events file after it has been read. `customer` is trimmed and not empty (the reader skips those). */
export interface EventLine {
  readonly customer: string;
  /** The event name as written in the file. */
  readonly name: string;
  readonly day: Day;
}

/**
 * What a person's events say as of a day, windows as in EventWindows. Only events of a known type on or before as-of
 * count. The windowed numbers are those of the windows passed to `EventBook.facts`.
 */
export interface EventFacts {
  readonly customerId: string;
  /** Events counted for this person, of every type. */
  readonly events: number;
  /** A signup event on or before as-of, however long ago. */
  readonly signedUp: boolean;
  /** Visit events in the visit window (visits_7d): events, not days. */
  readonly visits: number;
  /** Distinct days with a visit in the visit window. */
  readonly visitDays: number;
  /** email_sent events in the engagement window. */
  readonly emailsSent: number;
  /** email_open events in the engagement window (email_opens_90d). */
  readonly emailOpens: number;
  /** email_click events in the engagement window (email_clicks_90d). */
  readonly emailClicks: number;
  /** The latest day with an add_to_cart in the cart window; undefined when there is none. */
  readonly lastCartDay: Day | undefined;
  /**
   * The latest of the subscribe and unsubscribe events, however long ago; undefined when there is neither. On a day with
   * both the person is unsubscribed: without times the order is unknown, and mailing someone who opted out is the worse
   * mistake.
   */
  readonly subscription: 'subscribed' | 'unsubscribed' | undefined;
}

/** How often an unknown event name occurred. */
export interface UnknownEventName {
  readonly name: string;
  readonly count: number;
}

/** What happened to every event added: `added = used + unknownType + afterAsOf`. */
export interface EventCounts {
  readonly added: number;
  readonly used: number;
  /** Events whose name neither the user's mapping nor the built-in spellings know, after or before as-of. */
  readonly unknownType: number;
  /** Events of a known type dated after as-of. */
  readonly afterAsOf: number;
  /** Unknown names as written (trimmed), most frequent first, then in UTF-16 code unit order. */
  readonly unknownNames: readonly UnknownEventName[];
  /** Used events per type. */
  readonly byType: Readonly<Record<EventType, number>>;
}

export interface EventFactsResult {
  /** People with at least one used event, sorted by customer id (UTF-16 code unit order). */
  readonly people: readonly EventFacts[];
  readonly counts: EventCounts;
}

/** A growing column of small integers: a typed array that doubles when full, so an event costs 9 bytes, not 3 objects. */
class Column<A extends Int32Array | Uint8Array> {
  private data: A;
  length = 0;
  constructor(private readonly make: (size: number) => A) {
    this.data = make(1024);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  at(i: number): number {
    return this.data[i]!;
  }
}

/**
 * Gathers events so that their facts can be taken as of a day that is only known later (the default as-of day comes from
 * the orders). It keeps every event of a known type as three numbers in columns — person, type, day (9 bytes) — and no
 * more; unknown names are only counted, by name. `facts` then makes one pass over the columns.
 * Person ids are compared exactly, as order customer ids are.
 */
export class EventBook {
  private readonly personIndex = new Map<string, number>();
  private readonly personIds: string[] = [];
  private readonly person = new Column((n) => new Int32Array(n));
  private readonly type = new Column((n) => new Uint8Array(n));
  private readonly day = new Column((n) => new Int32Array(n));
  /** Type index by name as written, null for unknown; an export has few distinct names, so each is looked up once. */
  private readonly typeCache = new Map<string, number | null>();
  private readonly unknown = new Map<string, number>();
  private latest: Day | undefined;

  constructor(private readonly userMap: EventMap = new Map()) {}

  /** The latest day of any event of a known type added so far. */
  get latestDay(): Day | undefined {
    return this.latest;
  }

  add(event: EventLine): void {
    let t = this.typeCache.get(event.name);
    if (t === undefined) {
      const type = eventTypeOf(event.name, this.userMap);
      t = type === undefined ? null : EVENT_TYPES.indexOf(type);
      this.typeCache.set(event.name, t);
    }
    if (t === null) {
      const name = event.name.trim();
      this.unknown.set(name, (this.unknown.get(name) ?? 0) + 1);
      return;
    }
    let p = this.personIndex.get(event.customer);
    if (p === undefined) {
      p = this.personIds.length;
      this.personIndex.set(event.customer, p);
      this.personIds.push(event.customer);
    }
    this.person.push(p);
    this.type.push(t);
    this.day.push(event.day);
    if (this.latest === undefined || event.day > this.latest) this.latest = event.day;
  }

  /** Every person's facts as of `asOf`, and what happened to every event. Pure: the book is unchanged and can be asked again. */
  facts(asOf: Day, windows: EventWindows = DEFAULT_EVENT_WINDOWS): EventFactsResult {
    const n = this.personIds.length;
    const used = new Int32Array(n);
    const signedUp = new Uint8Array(n);
    const visits = new Int32Array(n);
    const sent = new Int32Array(n);
    const opens = new Int32Array(n);
    const clicks = new Int32Array(n);
    const lastCart = new Float64Array(n).fill(-Infinity);
    const lastSubscribe = new Float64Array(n).fill(-Infinity);
    const lastUnsubscribe = new Float64Array(n).fill(-Infinity);
    const visitDaySets = new Map<number, Set<Day>>(); // only visits in the window, so it stays small
    const byType = Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])) as Record<EventType, number>;
    let afterAsOf = 0;

    for (let i = 0; i < this.person.length; i++) {
      const p = this.person.at(i);
      const day = this.day.at(i);
      const age = asOf - day;
      if (age < 0) {
        afterAsOf++;
        continue;
      }
      const type = EVENT_TYPES[this.type.at(i)]!;
      used[p]!++;
      byType[type]++;
      switch (type) {
        case 'visit':
          if (age < windows.visitDays) {
            visits[p]!++;
            let days = visitDaySets.get(p);
            if (days === undefined) visitDaySets.set(p, (days = new Set()));
            days.add(day);
          }
          break;
        case 'signup':
          signedUp[p] = 1;
          break;
        case 'add_to_cart':
          if (age < windows.cartDays && day > lastCart[p]!) lastCart[p] = day;
          break;
        case 'email_sent':
          if (age < windows.engagementDays) sent[p]!++;
          break;
        case 'email_open':
          if (age < windows.engagementDays) opens[p]!++;
          break;
        case 'email_click':
          if (age < windows.engagementDays) clicks[p]!++;
          break;
        case 'subscribe':
          if (day > lastSubscribe[p]!) lastSubscribe[p] = day;
          break;
        case 'unsubscribe':
          if (day > lastUnsubscribe[p]!) lastUnsubscribe[p] = day;
          break;
        case 'product_view':
          break; // no rule reads product views yet; they still make a person known
      }
    }

    const people: EventFacts[] = [];
    for (let p = 0; p < n; p++) {
      if (used[p] === 0) continue;
      const sub = lastSubscribe[p]!;
      const unsub = lastUnsubscribe[p]!;
      const cart = lastCart[p]!;
      people.push({
        customerId: this.personIds[p]!,
        events: used[p]!,
        signedUp: signedUp[p] === 1,
        visits: visits[p]!,
        visitDays: visitDaySets.get(p)?.size ?? 0,
        emailsSent: sent[p]!,
        emailOpens: opens[p]!,
        emailClicks: clicks[p]!,
        lastCartDay: cart === -Infinity ? undefined : cart,
        // ≥: a tie on one day is an unsubscribe (see EventFacts.subscription)
        subscription: unsub === -Infinity && sub === -Infinity ? undefined : unsub >= sub ? 'unsubscribed' : 'subscribed',
      });
    }
    people.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));

    let unknownType = 0;
    for (const count of this.unknown.values()) unknownType += count;
    const unknownNames = [...this.unknown]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const usedTotal = this.person.length - afterAsOf;
    return {
      people,
      counts: { added: this.person.length + unknownType, used: usedTotal, unknownType, afterAsOf, unknownNames, byType },
    };
  }
}
