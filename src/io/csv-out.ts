import { formatDay } from '../core/dates.js';
import { roundDiv } from '../core/money.js';
import { CUSTOMER_COLUMNS } from '../core/custom.js';
import type { Person } from '../core/people.js';
import type { ScoredColumns } from '../core/segment.js';
import { ABC_CLASSES, LIFECYCLE_STATES, MONEY_SCALE, type Day, type Money, type ScoredCustomer } from '../core/types.js';

export { CUSTOMER_COLUMNS, PERSON_COLUMNS } from '../core/custom.js';

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell made safe for spreadsheets: one that Excel or LibreOffice would run as a formula (it starts with `=`, `+`,
 * `-`, `@`, a tab or a carriage return) gets a leading `'`, as OWASP's CSV-injection advice says. Numbers are never
 * passed through here. `neutralise('=HYPERLINK("x")')` → `'=HYPERLINK("x")`.
 */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One CSV field as RFC 4180 writes it: quoted only when it holds a comma, a quote or a line break.
 * Hand-written rather than csv-stringify because every customer row passes through here; see the README's benchmark notes.
 */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV line (no line break) from raw string fields. */
export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

/** How text cells are written: neutralised for spreadsheets (the default) or as they are. */
export type TextCell = (text: string) => string;
/** A text cell neutralised for spreadsheets, then CSV-quoted: `textCell(true)`. */
export const sanitizedCell: TextCell = (t) => csvField(neutralise(t));
export const textCell = (sanitize: boolean): TextCell => (sanitize ? sanitizedCell : csvField);

/**
 * `text` written at `buf[at]` as `cell` writes it, when `cell` is csvField or sanitizedCell and `text` is printable
 * ASCII that neither quotes nor neutralises: then the cell is the text itself. Returns where it ends, or −1 when the
 * text needs `cell` (the caller then writes `cell(text)`). One pass over the text, where two regular expressions and a
 * copy took three.
 */
function putPlainCell(buf: Buffer, at: number, text: string, sanitize: boolean): number {
  const n = text.length;
  if (n === 0) return at;
  const first = text.charCodeAt(0);
  // = + - @ (tab and CR are not printable, so they fail below)
  if (sanitize && (first === 61 || first === 43 || first === 45 || first === 64)) return -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c > 126 || c === 34 || c === 44) return -1;
    buf[at + i] = c;
  }
  return at + n;
}

const COMMA = 44;

/** `text` as UTF-8 at `buf[at]`, returning where it ends: ASCII a byte at a time, cheaper than Buffer#write for a cell. */
function putText(buf: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 128) return at + buf.write(text, at);
  for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
  return at;
}

/** `bytes` at `buf[at]` (short cells: a loop beats a call into native code). */
function putBytes(buf: Buffer, at: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) buf[at++] = bytes[i]!;
  return at;
}

/** Days from 1915 to 2094, the dates of any real export, have their bytes in an array; others in a Map. */
const DAY_BASE = 20_000;
const dayArray = new Array<Buffer | undefined>(2 * DAY_BASE + 25_000);
const dayMap = new Map<number, Buffer>();

/** A date's bytes (formatDay), made once per day. */
function dayCell(day: number): Buffer {
  const k = day + DAY_BASE;
  const known = k >= 0 && k < dayArray.length ? dayArray[k] : dayMap.get(day);
  if (known !== undefined) return known;
  const bytes = Buffer.from(formatDay(day), 'latin1');
  if (k >= 0 && k < dayArray.length) dayArray[k] = bytes;
  else if (dayMap.size < 100_000) dayMap.set(day, bytes);
  return bytes;
}

/** A name's bytes as `text` writes it, made once per name (segments, classes, states: a few dozen). */
function nameCells(text: TextCell): (name: string) => Buffer {
  const known = new Map<string, Buffer>();
  // The first few names also in arrays, looked up by identity: a row's names are the same few strings over and over,
  // and comparing one with itself is cheaper than hashing it.
  const names: string[] = [];
  const cells: Buffer[] = [];
  return (name) => {
    for (let i = 0; i < names.length; i++) if (names[i] === name) return cells[i]!;
    let bytes = known.get(name);
    if (bytes === undefined) {
      bytes = Buffer.from(text(name));
      if (known.size < 1_000) known.set(name, bytes);
    }
    if (names.length < 16) {
      names.push(name);
      cells.push(bytes);
    }
    return bytes;
  };
}

/** Cells written as they are: ABC classes and lifecycle states, fixed words that need no quoting. */
const asIs = nameCells((name) => name);

/** A whole number's digits (as `${n}` writes it) at `buf[at]`. */
function putInt(buf: Buffer, at: number, n: number): number {
  if (n >= 0 && n < 10) {
    // scores, and many counts
    buf[at] = 48 + n;
    return at + 1;
  }
  if (!Number.isSafeInteger(n)) return putText(buf, at, String(n));
  if (n < 0) {
    buf[at++] = 45;
    n = -n;
  }
  if (n < 2 ** 31) {
    // Digits counted first, then written from the last: integer division by `| 0`, nothing to reverse.
    let digits = 1;
    for (let rest = n; rest >= 10; rest = (rest / 10) | 0) digits++;
    let to = at + digits;
    for (; n >= 10; n = (n / 10) | 0) buf[--to] = 48 + (n % 10);
    buf[--to] = 48 + n;
    return at + digits;
  }
  const from = at;
  do {
    buf[at++] = 48 + (n % 10);
    n = Math.floor(n / 10);
  } while (n > 0);
  for (let i = from, j = at - 1; i < j; i++, j--) {
    const d = buf[i]!;
    buf[i] = buf[j]!;
    buf[j] = d;
  }
  return at;
}

/** Cents with two decimals, as formatCents writes them (`-1234` → `-12.34`), at `buf[at]`. */
function putCents(buf: Buffer, at: number, cents: number): number {
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100);
  const rest = abs - units * 100;
  if (cents < 0) buf[at++] = 45;
  at = putInt(buf, at, units);
  buf[at++] = 46;
  buf[at++] = 48 + Math.floor(rest / 10);
  buf[at++] = 48 + (rest % 10);
  return at;
}

/**
 * The cells of a customer from first_order to rfm_score with commas between, at `buf[at]`: dates ISO, money with two
 * decimals (formatMoney and formatMoneyPer), numbers and dates only, so never quoted.
 */
function putFacts(buf: Buffer, at: number, first: Day, last: Day, recency: number, frequency: number, monetary: Money, r: number, f: number, m: number): number {
  at = putBytes(buf, at, dayCell(first));
  buf[at++] = COMMA;
  at = putBytes(buf, at, dayCell(last));
  buf[at++] = COMMA;
  at = putInt(buf, at, recency);
  buf[at++] = COMMA;
  at = putInt(buf, at, frequency);
  buf[at++] = COMMA;
  at = putCents(buf, at, roundDiv(monetary, MONEY_SCALE / 100));
  buf[at++] = COMMA;
  at = putCents(buf, at, roundDiv(monetary, (MONEY_SCALE / 100) * frequency));
  buf[at++] = COMMA;
  at = putInt(buf, at, r);
  buf[at++] = COMMA;
  at = putInt(buf, at, f);
  buf[at++] = COMMA;
  at = putInt(buf, at, m);
  buf[at++] = COMMA;
  at = putInt(buf, at, r);
  at = putInt(buf, at, f);
  return putInt(buf, at, m);
}

/** putFacts of a ScoredCustomer. */
function putFactsOf(buf: Buffer, at: number, c: ScoredCustomer): number {
  // Each read once: a row's fields may be computed when read (see ScoredRow).
  return putFacts(buf, at, c.firstOrderDay, c.lastOrderDay, c.recencyDays, c.frequency, c.monetary, c.rScore, c.fScore, c.mScore);
}

/**
 * A customer's CSV line in CUSTOMER_COLUMNS order, without a line break, written at `buf[at]`; returns where it ends, or
 * −1 when `buf` has too little room left (about 200 bytes and three per character of the id and segment). Written as
 * bytes, not built as a string and encoded: half the time, for every customer of a big output.
 */
export function writeCustomerLine(buf: Buffer, at: number, c: ScoredCustomer, text: TextCell = csvField): number {
  return customerLineWriter(text)(buf, at, c);
}

/** How a line's id cell is written: as `text` writes it, the id's own characters when that is the same (putPlainCell). */
function idCellWriter(text: TextCell): (buf: Buffer, at: number, id: string) => number {
  const plain = text === csvField || text === sanitizedCell;
  const sanitize = text === sanitizedCell;
  return (buf, at, id) => {
    const end = plain ? putPlainCell(buf, at, id, sanitize) : -1;
    return end >= 0 ? end : putText(buf, at, text(id));
  };
}

/**
 * A line's id cell and the comma after it, when `buf` has room for the whole line (else −1): room for the id as `text`
 * may write it (quoted, every character doubled, three bytes each, plus the quote sign), `names` bytes of names and 200
 * of facts.
 */
function putHead(buf: Buffer, at: number, putId: (buf: Buffer, at: number, id: string) => number, id: string, names: number): number {
  if (at + 6 * id.length + 3 + names + 200 > buf.length) return -1;
  at = putId(buf, at, id);
  buf[at++] = COMMA;
  return at;
}

/** A line's last three cells, after the facts. */
function putNames(buf: Buffer, at: number, segment: Uint8Array, abc: Uint8Array, state: Uint8Array): number {
  buf[at++] = COMMA;
  at = putBytes(buf, at, segment);
  buf[at++] = COMMA;
  at = putBytes(buf, at, abc);
  buf[at++] = COMMA;
  return putBytes(buf, at, state);
}

/** writeCustomerLine with `text` fixed, for many customers: the names' bytes are then made once. */
export function customerLineWriter(text: TextCell): (buf: Buffer, at: number, c: ScoredCustomer) => number {
  const named = nameCells(text);
  const putId = idCellWriter(text);
  return (buf, at, c) => {
    const segment = named(c.rfmSegment);
    const abc = asIs(c.abcClass);
    const state = asIs(c.lifecycleState);
    at = putHead(buf, at, putId, c.customerId, segment.length + abc.length + state.length);
    return at < 0 ? -1 : putNames(buf, putFactsOf(buf, at, c), segment, abc, state);
  };
}

/**
 * writeCustomerLine of scored customer i (`result.customerAt(i)`), read straight from the scoring's columns: no row
 * object and no name looked up per customer.
 */
export function scoredLineWriter(text: TextCell, s: ScoredColumns): (buf: Buffer, at: number, i: number) => number {
  const named = nameCells(text);
  const putId = idCellWriter(text);
  const segments = s.names.map(named);
  const classes = ABC_CLASSES.map(asIs);
  const states = LIFECYCLE_STATES.map(asIs);
  const { index, asOf, r, f, m, segment, abc, lifecycle } = s;
  const { customerIds, frequency, monetary, dayStart, days } = s.columns;
  return (buf, at, i) => {
    const c = index[i]!;
    const name = segments[segment[i]!]!;
    const abcCell = classes[abc[i]!]!;
    const state = states[lifecycle[i]!]!;
    at = putHead(buf, at, putId, customerIds.at(c)!, name.length + abcCell.length + state.length);
    if (at < 0) return -1;
    const first = days[dayStart[c]!]!;
    const last = days[dayStart[c + 1]! - 1]!;
    at = putFacts(buf, at, first, last, asOf - last, frequency[c]!, monetary[c]!, r[i]!, f[i]!, m[i]!);
    return putNames(buf, at, name, abcCell, state);
  };
}

let scratch = Buffer.allocUnsafe(1 << 12);

/** writeCustomerLine as a string. */
export function customerLine(c: ScoredCustomer, text: TextCell = csvField): string {
  let end: number;
  while ((end = writeCustomerLine(scratch, 0, c, text)) < 0) scratch = Buffer.allocUnsafe(scratch.length * 2);
  return scratch.toString('utf8', 0, end);
}

/** A customer's cells in CUSTOMER_COLUMNS order, CSV-quoted: the cells of customerLine. */
export function customerCells(c: ScoredCustomer, text: TextCell = csvField): string[] {
  const end = putFactsOf(scratch, 0, c); // at most 200 bytes: dates, whole numbers and money
  return [text(c.customerId), ...scratch.toString('latin1', 0, end).split(','), text(c.rfmSegment), c.abcClass, c.lifecycleState];
}

const NO_ORDERS = new Array<string>(CUSTOMER_COLUMNS.length - 1).fill('');

/** A person's cells: their customer cells (empty but for the id and lifecycle state for a non-buyer), then PERSON_COLUMNS. */
export function personCells(p: Person, text: TextCell = csvField): string[] {
  const head = p.buyer ? customerCells(p.buyer, text) : [text(p.customerId), ...NO_ORDERS.slice(0, -1), p.lifecycleState];
  return [
    ...head,
    p.engagement,
    String(p.cartAbandoner),
    String(p.unsubscribed),
    String(p.emailOpens),
    String(p.emailClicks),
    String(p.visits),
  ];
}

/** A segment name as a file name that any shell takes unquoted: `fileSafeName("Can't Lose Them")` → `cant_lose_them`. */
export function fileSafeName(name: string): string {
  const safe = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f']/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return safe === '' ? 'unnamed' : safe;
}
