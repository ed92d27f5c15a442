import { quote } from '../errors.js';
import { multiplyMoney } from '../core/money.js';
import type { Day, OrderLine, SkipReason } from '../core/types.js';
import { parseNumber, type DecimalMark } from './number-format.js';
import { parseDay, type DateSpec } from './values.js';
import type { OrderColumns } from './columns.js';

/** Everything that decides what a data row of an orders file means. */
export interface RowRules {
  readonly columns: OrderColumns;
  /** Number of header fields; a row with another count cannot be read. */
  readonly width: number;
  readonly dates: DateSpec;
  /** Rows dated after this day are skipped; undefined when the as-of day is taken from the data. */
  readonly asOf?: Day;
  /** The decimal mark of each number column; `.` where absent. */
  readonly marks?: Readonly<Partial<Record<NumberRole, DecimalMark>>>;
}

export type NumberRole = 'amount' | 'quantity' | 'price';

export type RowProblemKind = 'field_count' | 'bad_date' | 'bad_number';

/** Why a row could not be read; `column` is 1-based, undefined for a problem with the whole row. */
export interface RowProblem {
  readonly kind: RowProblemKind;
  readonly column?: number;
  readonly value: string;
  /** What the row or cell should have been: `a number like -1234.56`. */
  readonly expected: string;
}

export type RowMeaning =
  | { readonly kind: 'line'; readonly line: OrderLine }
  | { readonly kind: 'skip'; readonly reason: SkipReason }
  | { readonly kind: 'problem'; readonly problem: RowProblem };

function badNumber(column: number, value: string, mark: DecimalMark): RowMeaning {
  const expected = mark === '.' ? 'a number like -1234.56 or 1,234.56' : 'a number like -1234,56 or 1.234,56';
  return { kind: 'problem', problem: { kind: 'bad_number', column: column + 1, value, expected } };
}

/** One line for a person: what is wrong, with the value, and what to do. */
export function describeProblem(problem: RowProblem, header: readonly string[]): string {
  const name = problem.column === undefined ? undefined : header[problem.column - 1];
  const where = name === undefined ? '' : ` in column ${JSON.stringify(name)}`;
  if (problem.kind === 'field_count') return `${problem.expected}; check the delimiter and quoting of this row`;
  const what = problem.kind === 'bad_date' ? 'date' : 'number';
  return `bad ${what} ${quote(problem.value)}${where}: expected ${problem.expected}`;
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
        expected: `row has ${fields.length} fields, the header has ${rules.width}`,
      },
    };
  }
  const { columns } = rules;
  const customer = fields[columns.customer]!.trim();
  if (customer === '') return { kind: 'skip', reason: 'empty_customer' };
  const dateText = fields[columns.date]!;
  const day = parseDay(dateText, rules.dates);
  if (day === undefined) {
    return {
      kind: 'problem',
      problem: {
        kind: 'bad_date',
        column: columns.date + 1,
        value: dateText,
        expected: rules.dates.format
          ? `the --date-format ${JSON.stringify(rules.dates.format)}`
          : 'YYYY-MM-DD, YYYY-MM-DD HH:MM:SS, an ISO timestamp or YYYYMMDD; for other forms pass --date-format (e.g. dd/MM/yyyy)',
      },
    };
  }
  if (rules.asOf !== undefined && day > rules.asOf) return { kind: 'skip', reason: 'after_as_of' };
  const marks = rules.marks ?? {};
  const number = (role: NumberRole, column: number): number | RowMeaning => {
    const mark = marks[role] ?? '.';
    return parseNumber(fields[column]!, { mark }) ?? badNumber(column, fields[column]!, mark);
  };
  let amount: number;
  if (columns.amount !== undefined) {
    const a = number('amount', columns.amount);
    if (typeof a !== 'number') return a;
    amount = a;
  } else {
    const quantity = number('quantity', columns.quantity!);
    if (typeof quantity !== 'number') return quantity;
    const price = number('price', columns.price!);
    if (typeof price !== 'number') return price;
    amount = multiplyMoney(quantity, price);
  }
  const order = columns.order === undefined ? '' : fields[columns.order]!.trim();
  return { kind: 'line', line: { customer, order, day, amount } };
}
