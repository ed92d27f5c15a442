import { derivedFields, DERIVED_FIELDS } from './derived.js';
import { compileExpression, evaluate, type Expression, type FieldType, type Row, type Value } from './expr.js';
import { formatDay } from './dates.js';
import type { Person } from './people.js';
import { MONEY_SCALE, type Day, type ScoredCustomer } from './types.js';

/** Columns of customers.csv and of every segment file, in this order. */
export const CUSTOMER_COLUMNS = [
  'customer_id',
  'first_order_date',
  'last_order_date',
  'recency_days',
  'frequency',
  'monetary',
  'aov',
  'r_score',
  'f_score',
  'm_score',
  'rfm_code',
  'rfm_segment',
  'abc_class',
  'lifecycle_state',
] as const;

/** Columns that events and profiles add after CUSTOMER_COLUMNS (then come the profile's own columns). */
export const PERSON_COLUMNS = ['engagement', 'cart_abandoner', 'unsubscribed', 'email_opens_90d', 'email_clicks_90d', 'visits_7d'] as const;

const NUMBER_FIELDS = new Set([
  'recency_days', 'frequency', 'monetary', 'aov', 'r_score', 'f_score', 'm_score',
  'email_opens_90d', 'email_clicks_90d', 'visits_7d',
]);
const BOOLEAN_FIELDS = new Set(['cart_abandoner', 'unsubscribed']);

/** The fields an expression may use, with their types: the output columns and the derived fields. */
export function expressionFields(columns: readonly string[]): { names: string[]; types: Record<string, FieldType> } {
  const types: Record<string, FieldType> = {};
  for (const c of columns) types[c] = NUMBER_FIELDS.has(c) ? 'number' : BOOLEAN_FIELDS.has(c) ? 'boolean' : 'string';
  for (const d of DERIVED_FIELDS) types[d.name] = d.type;
  return { names: Object.keys(types), types };
}

/** A buyer's fields for an expression: numbers as numbers (money in currency units), dates as ISO text. */
export function buyerRow(c: ScoredCustomer, asOf: Day): Record<string, Value> {
  return {
    customer_id: c.customerId,
    first_order_date: formatDay(c.firstOrderDay),
    last_order_date: formatDay(c.lastOrderDay),
    recency_days: c.recencyDays,
    frequency: c.frequency,
    monetary: c.monetary / MONEY_SCALE,
    aov: c.monetary / MONEY_SCALE / c.frequency,
    r_score: c.rScore,
    f_score: c.fScore,
    m_score: c.mScore,
    rfm_code: `${c.rScore}${c.fScore}${c.mScore}`,
    rfm_segment: c.rfmSegment,
    abc_class: c.abcClass,
    lifecycle_state: c.lifecycleState,
    ...derivedFields(c, asOf),
  };
}

const NO_ORDERS: Record<string, Value> = Object.fromEntries(
  [...CUSTOMER_COLUMNS.slice(1), ...DERIVED_FIELDS.map((d) => d.name)].map((k) => [k, null]),
);

/** A person's fields: their buyer fields (null for a non-buyer), the event fields, and their profile's columns as text. */
export function personRow(p: Person, asOf: Day, profile: Readonly<Record<string, string>> = {}): Record<string, Value> {
  return {
    ...profile,
    ...(p.buyer ? buyerRow(p.buyer, asOf) : { ...NO_ORDERS, customer_id: p.customerId }),
    lifecycle_state: p.lifecycleState,
    engagement: p.engagement,
    cart_abandoner: p.cartAbandoner,
    unsubscribed: p.unsubscribed,
    email_opens_90d: p.emailOpens,
    email_clicks_90d: p.emailClicks,
    visits_7d: p.visits,
  };
}

export interface CustomSegment {
  readonly name: string;
  readonly expression: Expression;
}

/** Compiles each `where` against the known fields; an ExpressionError names the expression and the position. */
export function compileCustomSegments(
  list: readonly { readonly name: string; readonly where: string }[],
  columns: readonly string[],
): CustomSegment[] {
  const { names, types } = expressionFields(columns);
  return list.map((c) => ({ name: c.name, expression: compileExpression(c.where, names, types) }));
}

/** The names of the custom segments a row is in, in their configured order. */
export function customSegmentsOf(segments: readonly CustomSegment[], row: Row): string[] {
  return segments.filter((s) => evaluate(s.expression, row)).map((s) => s.name);
}
