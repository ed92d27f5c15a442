import { multiplyMoney } from '../core/money.js';
import type { Day, OrderLine, SkipReason } from '../core/types.js';
import { parseDay, parseMoney, type DateSpec } from './values.js';
import type { OrderColumns } from './columns.js';

/** Everything that decides what a data row of an orders file means. */
export interface RowRules {
  readonly columns: OrderColumns;
  /** Number of header fields; a row with another count cannot be read. */
  readonly width: number;
  readonly dates: DateSpec;
  /** Rows dated after this day are skipped; undefined when the as-of day is taken from the data. */
  readonly asOf?: Day;
}

export type RowProblemKind = 'field_count' | 'bad_date' | 'bad_number';

/** Why a row could not be read; `column` is 1-based, undefined for a problem with the whole row. */
export interface RowProblem {
  readonly kind: RowProblemKind;
  readonly column?: number;
  readonly value: string;
  readonly message: string;
}

export type RowMeaning =
  | { readonly kind: 'line'; readonly line: OrderLine }
  | { readonly kind: 'skip'; readonly reason: SkipReason }
  | { readonly kind: 'problem'; readonly problem: RowProblem };

function badNumber(column: number, value: string, what: string): RowMeaning {
  return {
    kind: 'problem',
    problem: { kind: 'bad_number', column: column + 1, value, message: `${what} is not a number like 1234.56` },
  };
}

/**
 * The one place that decides what a data row of an orders file means: an order line, a row skipped for a counted reason,
 * or a problem that names the column and the value. The fast reader must agree with it row for row (see test/io).
 * Order of checks: field count, empty customer (skipped before anything else is read), date, after the as-of day, amount.
 */
export function interpretRow(fields: readonly string[], rules: RowRules): RowMeaning {
  if (fields.length !== rules.width) {
    return {
      kind: 'problem',
      problem: {
        kind: 'field_count',
        value: fields.join(','),
        message: `row has ${fields.length} fields, the header has ${rules.width}`,
      },
    };
  }
  const { columns } = rules;
  const customer = fields[columns.customer]!.trim();
  if (customer === '') return { kind: 'skip', reason: 'empty_customer' };
  const dateText = fields[columns.date]!;
  const day = parseDay(dateText, rules.dates);
  if (day === undefined) {
    const expected = rules.dates.format ?? 'YYYY-MM-DD, YYYY-MM-DD HH:MM:SS, an ISO timestamp or YYYYMMDD';
    return {
      kind: 'problem',
      problem: {
        kind: 'bad_date',
        column: columns.date + 1,
        value: dateText,
        message: `date is not ${expected}${rules.dates.format ? '' : '; pass --date-format (e.g. dd/MM/yyyy)'}`,
      },
    };
  }
  if (rules.asOf !== undefined && day > rules.asOf) return { kind: 'skip', reason: 'after_as_of' };
  let amount: number | undefined;
  if (columns.amount !== undefined) {
    amount = parseMoney(fields[columns.amount]!);
    if (amount === undefined) return badNumber(columns.amount, fields[columns.amount]!, 'amount');
  } else {
    const q = columns.quantity!;
    const p = columns.price!;
    const quantity = parseMoney(fields[q]!);
    if (quantity === undefined) return badNumber(q, fields[q]!, 'quantity');
    const price = parseMoney(fields[p]!);
    if (price === undefined) return badNumber(p, fields[p]!, 'unit price');
    amount = multiplyMoney(quantity, price);
  }
  const order = columns.order === undefined ? '' : fields[columns.order]!.trim();
  return { kind: 'line', line: { customer, order, day, amount } };
}
