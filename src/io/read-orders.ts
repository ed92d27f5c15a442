import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CsvError, parse, type Options as CsvOptions } from 'csv-parse';
import { OrderBook } from '../core/orders.js';
import type { Day, OrderTable, RowCounts, SkipReason } from '../core/types.js';
import { InputError } from '../errors.js';
import { findOrderColumns, type ColumnOverrides, type OrderColumns } from './columns.js';
import { describeProblem, interpretRow, type RowRules } from './row.js';
import type { DateSpec } from './values.js';

export interface ReadOrdersOptions {
  readonly overrides: ColumnOverrides;
  readonly dates: DateSpec;
  /** Rows after this day are skipped; undefined to keep every row (the as-of day then comes from the data). */
  readonly asOf?: Day;
  /** Called now and then with the bytes read so far. */
  readonly onProgress?: (bytesRead: number) => void;
}

export interface OrdersRead {
  readonly header: readonly string[];
  readonly columns: OrderColumns;
  readonly table: OrderTable;
  readonly counts: RowCounts;
  /** The latest day of any row used, undefined when none was. */
  readonly latestDay: Day | undefined;
  /** What the manifest says of the input's bytes, when they were counted and hashed. */
  readonly source?: SourceFacts;
}

export interface SourceFacts {
  readonly bytes: number;
  readonly sha256: string;
  readonly encoding?: string;
  readonly gzip?: boolean;
  readonly delimiter?: string;
}

/** How the whole input layer reads CSV; the fast reader must split records and count lines exactly like this. */
export const CSV_OPTIONS: CsvOptions = {
  bom: true,
  relax_column_count: true,
  skip_empty_lines: true,
  record_delimiter: ['\r\n', '\n', '\r'],
  info: true,
};

/** Line breaks inside a record's fields: the record began this many lines before the line it ended on. */
function lineBreaksIn(fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) {
    for (let i = 0; i < f.length; i++) {
      const c = f.charCodeAt(i);
      if (c === 10 || (c === 13 && f.charCodeAt(i + 1) !== 10)) n++;
    }
  }
  return n;
}

/** Display name of an input: `-` is standard input. */
export function displayName(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

/** Size in bytes of a regular file, undefined for standard input or anything that is not a file. */
export async function inputSize(path: string): Promise<number | undefined> {
  if (path === '-') return undefined;
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

function openInput(path: string): Readable {
  return path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
}

/** The header's rules for reading rows; throws a UsageError when a column cannot be found. */
export function rowRules(header: readonly string[], options: ReadOrdersOptions): RowRules {
  const columns = findOrderColumns(header, options.overrides);
  return { columns, width: header.length, dates: options.dates, asOf: options.asOf };
}

/**
 * Reads an orders CSV with csv-parse into orders grouped by customer. Stops at the first row that cannot be read with an
 * InputError naming file, line, column and value. This is the general path (standard input, any file).
 */
export async function readOrdersCsv(path: string, options: ReadOrdersOptions): Promise<OrdersRead> {
  const file = displayName(path);
  const input = openInput(path);
  let bytesRead = 0;
  if (options.onProgress) {
    const report = options.onProgress;
    input.on('data', (chunk: Buffer) => {
      bytesRead += chunk.length;
      report(bytesRead);
    });
  }
  input.on('error', () => undefined); // reported through the parser below
  const parser = input.pipe(parse(CSV_OPTIONS));
  input.on('error', (err) => parser.destroy(err));

  let header: string[] | undefined;
  let rules: RowRules | undefined;
  const book = new OrderBook();
  let rowsRead = 0;
  let rowsUsed = 0;
  const skipped: Record<SkipReason, number> = { empty_customer: 0, after_as_of: 0 };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (rules === undefined) {
        header = record;
        rules = rowRules(record, options);
        continue;
      }
      rowsRead++;
      const meaning = interpretRow(record, rules);
      if (meaning.kind === 'line') {
        rowsUsed++;
        book.add(meaning.line);
      } else if (meaning.kind === 'skip') {
        skipped[meaning.reason]++;
      } else {
        const line = info.lines - lineBreaksIn(record);
        throw new InputError(describeProblem(meaning.problem, header!), { file, line, column: meaning.problem.column });
      }
    }
  } catch (err) {
    if (err instanceof CsvError) {
      throw new InputError(`${err.message.replace(/^[^:]*: /, '')}; check the quoting of this row`, {
        file,
        line: (err as CsvError & { lines?: number }).lines,
      });
    }
    if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('E')) {
      throw new InputError(`cannot read the file (${err.code})`, { file });
    }
    throw err;
  }
  if (header === undefined) throw new InputError('the file is empty; an orders CSV needs a header row', { file });
  return {
    header,
    columns: rules!.columns,
    table: book.toTable(),
    counts: { rowsRead, rowsUsed, skipped },
    latestDay: book.latestDay,
  };
}

/**
 * Reads an orders file by the fastest path that reads it exactly as csv-parse would (see src/io/fast), falling back to
 * csv-parse itself for standard input and anything the fast path does not take.
 */
export async function readOrders(path: string, options: ReadOrdersOptions): Promise<OrdersRead> {
  return readOrdersCsv(path, options);
}
