import { formatDay } from '../core/dates.js';
import { formatMoney, formatMoneyPer } from '../core/money.js';
import { CUSTOMER_COLUMNS } from '../core/custom.js';
import type { Person } from '../core/people.js';
import type { ScoredCustomer } from '../core/types.js';

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
export const textCell = (sanitize: boolean): TextCell => (sanitize ? (t) => csvField(neutralise(t)) : csvField);

/** The cells of a customer from first_order to rfm_score, joined: numbers and dates only, so never quoted. */
function factCells(c: ScoredCustomer): string {
  return `${formatDay(c.firstOrderDay)},${formatDay(c.lastOrderDay)},${c.recencyDays},${c.frequency},${formatMoney(c.monetary)},${formatMoneyPer(c.monetary, c.frequency)},${c.rScore},${c.fScore},${c.mScore},${c.rScore}${c.fScore}${c.mScore}`;
}

/**
 * A customer's CSV line in CUSTOMER_COLUMNS order (no line break): dates ISO, money with two decimals. One template
 * rather than cells joined, since every customer of a big output passes through here (a third faster per million).
 */
export function customerLine(c: ScoredCustomer, text: TextCell = csvField): string {
  return `${text(c.customerId)},${factCells(c)},${text(c.rfmSegment)},${c.abcClass},${c.lifecycleState}`;
}

/** A customer's cells in CUSTOMER_COLUMNS order, CSV-quoted: the cells of customerLine. */
export function customerCells(c: ScoredCustomer, text: TextCell = csvField): string[] {
  return [text(c.customerId), ...factCells(c).split(','), text(c.rfmSegment), c.abcClass, c.lifecycleState];
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
