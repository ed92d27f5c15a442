import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { CsvError, parse, type Options as CsvOptions } from 'csv-parse';
import { OrderBook } from '../core/orders.js';
import type { Day, OrderLine, OrderTable, RowCounts, SkipReason } from '../core/types.js';
import { InputError } from '../errors.js';
import { findOrderColumns, type ColumnOverrides, type OrderColumns } from './columns.js';
import { detectFormats, SAMPLE_ROWS } from './detect.js';
import { detectDelimiter, firstLine, type Delimiter } from './dialect.js';
import type { DecimalMark } from './number-format.js';
import { describeProblem, interpretRow, type RowProblemKind, type RowRules } from './row.js';
import { ioError, openText, pipeInto, type Encoding } from './source.js';
import type { DateSpec } from './values.js';

export interface ReadOrdersOptions {
  readonly overrides: ColumnOverrides;
  readonly dates: DateSpec;
  /** Rows after this day are skipped; undefined to keep every row (the as-of day then comes from the data). */
  readonly asOf?: Day;
  /** `auto` tells UTF-8 and UTF-16 by their bytes and falls back to Windows-1252. */
  readonly encoding?: Encoding;
  /** Undefined to detect it from the header line. */
  readonly delimiter?: Delimiter;
  /** `.` or `,`; undefined to tell it per column from the data. */
  readonly decimal?: DecimalMark;
  /** Called now and then with the bytes read so far. */
  readonly onProgress?: (bytesRead: number) => void;
  /** How many of the first usable lines to hand back as `preview` (for `rfmkit inspect`). */
  readonly preview?: number;
}

/** A row that could not be used, as rejects.csv lists it. */
export interface Reject {
  readonly line: number;
  readonly column?: number;
  readonly reason: RowProblemKind | 'bad_quoting';
  readonly message: string;
  /** The row's text as read, without its line break. */
  readonly raw: string;
}

/** Rejected rows kept in memory at most; more are counted but not listed (such a run fails anyway at any sane limit). */
export const MAX_LISTED_REJECTS = 1_000_000;

export interface OrdersRead {
  readonly header: readonly string[];
  readonly columns: OrderColumns;
  /** The rules rows were read by, with the date format and decimal marks as told from the data. */
  readonly rules: RowRules;
  /** The first usable lines, with their line numbers, when `preview` asked for them. */
  readonly preview: readonly { readonly line: number; readonly order: OrderLine }[];
  readonly table: OrderTable;
  readonly counts: RowCounts;
  /** The latest day of any row used, undefined when none was. */
  readonly latestDay: Day | undefined;
  /** Rows that could not be used, in file order (at most MAX_LISTED_REJECTS; counts.rejected has them all). */
  readonly rejects: readonly Reject[];
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

/** A record longer than this is damaged input, not a row to reject: the run stops. */
export const MAX_RECORD_CHARS = 1 << 20;

/** How the whole input layer reads CSV; the fast reader must split records and count lines exactly like this. */
export const CSV_OPTIONS: CsvOptions = {
  bom: true,
  relax_column_count: true,
  skip_empty_lines: true,
  record_delimiter: ['\r\n', '\n', '\r'],
  info: true,
  raw: true,
  skip_records_with_error: true,
  max_record_size: MAX_RECORD_CHARS,
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

/** The header's rules for reading rows; throws a UsageError when a column cannot be found. */
export function rowRules(header: readonly string[], options: ReadOrdersOptions, file: string): RowRules {
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    const first = seen.get(name.trim());
    if (first !== undefined) {
      throw new InputError(`columns ${first + 1} and ${i + 1} are both named ${JSON.stringify(name.trim())}; rename one`, {
        file,
        line: 1,
      });
    }
    seen.set(name.trim(), i);
  });
  const columns = findOrderColumns(header, options.overrides);
  return { columns, width: header.length, dates: options.dates, asOf: options.asOf };
}

/** The text's first chunks until a whole header line is in hand, handed back in front of the rest. */
async function peekHeader(chunks: AsyncIterable<string>): Promise<{ head: string; rest: AsyncIterable<string> }> {
  const it = chunks[Symbol.asyncIterator]();
  let head = '';
  let done = false;
  while (firstLine(head).length === head.length && head.length < MAX_RECORD_CHARS) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    head += r.value;
  }
  async function* rest(): AsyncIterable<string> {
    if (head) yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head, rest: rest() };
}

/** A record's raw text without the line breaks csv-parse leaves around it. */
function rawText(raw: string | undefined): string {
  return (raw ?? '').replace(/^[\r\n]+|[\r\n]+$/g, '');
}

type ParsedRecord = { record: string[]; info: { lines: number }; raw: string };

/**
 * Reads an orders CSV with csv-parse into orders grouped by customer: any encoding, delimiter and gzip, standard input
 * included. Rows that cannot be used are listed as rejects and reading goes on; damaged input (binary, no header,
 * duplicate column names, a record over MAX_RECORD_CHARS) ends with an InputError.
 */
export async function readOrdersCsv(path: string, options: ReadOrdersOptions): Promise<OrdersRead> {
  const file = displayName(path);
  const source = await openText(path, options.encoding ?? 'auto', file);
  const { head, rest } = await peekHeader(source.chunks);
  if (head.trim() === '') throw new InputError('the file is empty; an orders CSV needs a header row', { file });
  if (head.slice(0, 1 << 16).includes('\u0000')) {
    throw new InputError('the file holds binary data (NUL bytes), not CSV text; check the file, or pass --encoding', { file });
  }
  const delimiter = options.delimiter ?? detectDelimiter(firstLine(head.replace(/^\uFEFF/, '')));
  const parser = pipeInto(Readable.from(rest), parse({ ...CSV_OPTIONS, delimiter }));
  if (options.onProgress) {
    const report = options.onProgress;
    const timer = setInterval(() => report(source.tap.bytes), 200);
    parser.on('close', () => clearInterval(timer));
  }
  const rejects: Reject[] = [];
  let rejected = 0;
  const reject = (r: Reject) => {
    rejected++;
    if (rejects.length < MAX_LISTED_REJECTS) rejects.push(r);
  };
  let badRecords = 0;
  // csv-parse reports a record it cannot split as a 'skip' event, ahead of the records before it: sorted by line below.
  parser.on('skip', (err: CsvError & { lines?: number; raw?: string }) => {
    const text = rawText(err.raw);
    const line = (err.lines ?? 0) - (text.match(/\r\n|\r|\n/g)?.length ?? 0);
    badRecords++;
    reject({ line, reason: 'bad_quoting', message: `${err.message.replace(/^[^:]*: /, '')}; check the quoting of this row`, raw: text });
  });

  let header: string[] | undefined;
  let base: RowRules | undefined;
  let rules: RowRules | undefined;
  const sample: ParsedRecord[] = [];
  const preview: { line: number; order: OrderLine }[] = [];
  const formatsFrom = (rows: readonly ParsedRecord[]) =>
    detectFormats(base!, header!, rows.map((r) => r.record), { dateFormat: options.dates.format, decimal: options.decimal });
  const take = ({ record, info, raw }: ParsedRecord) => {
    rowsRead++;
    const meaning = interpretRow(record, rules!);
    if (meaning.kind === 'line') {
      rowsUsed++;
      book.add(meaning.line);
      if (preview.length < (options.preview ?? 0)) preview.push({ line: info.lines - lineBreaksIn(record), order: meaning.line });
    } else if (meaning.kind === 'skip') {
      skipped[meaning.reason]++;
    } else {
      const p = meaning.problem;
      const line = info.lines - lineBreaksIn(record);
      reject({ line, column: p.column, reason: p.kind, message: describeProblem(p, header!), raw: rawText(raw) });
    }
  };
  const book = new OrderBook();
  let rowsRead = 0;
  let rowsUsed = 0;
  const skipped: Record<SkipReason, number> = { empty_customer: 0, after_as_of: 0 };
  try {
    for await (const { record, info, raw } of parser as AsyncIterable<ParsedRecord>) {
      if (header === undefined) {
        header = record;
        base = rowRules(record, options, file);
        continue;
      }
      if (rules === undefined) {
        // The first rows wait until the date format and decimal marks have been told from them.
        sample.push({ record, info, raw });
        if (sample.length < SAMPLE_ROWS) continue;
        rules = formatsFrom(sample);
        for (const s of sample) take(s);
        sample.length = 0;
        continue;
      }
      take({ record, info, raw });
    }
    if (header !== undefined && rules === undefined) {
      rules = formatsFrom(sample);
      for (const s of sample) take(s);
    }
  } catch (err) {

    if (err instanceof CsvError) {
      const what = err.code === 'CSV_MAX_RECORD_SIZE' ? `a record longer than ${MAX_RECORD_CHARS} characters` : err.message;
      throw new InputError(`damaged input: ${what}; check the quoting and line ends`, { file, line: (err as CsvError & { lines?: number }).lines });
    }
    throw ioError(err, file);
  }
  if (header === undefined) throw new InputError('the file is empty; an orders CSV needs a header row', { file });
  const brokenHeader = rejects.find((r) => r.line <= 1);
  if (brokenHeader) throw new InputError(`damaged header: ${brokenHeader.message}`, { file, line: 1 });
  rowsRead += badRecords;
  rejects.sort((a, b) => a.line - b.line);
  return {
    header,
    columns: rules!.columns,
    rules: rules!,
    preview,
    table: book.toTable(),
    counts: { rowsRead, rowsUsed, skipped, rejected },
    latestDay: book.latestDay,
    rejects,
    source: {
      bytes: source.tap.bytes,
      sha256: source.tap.digest(),
      encoding: source.encoding,
      gzip: source.gzip,
      delimiter,
    },
  };
}

/**
 * Reads an orders file by the fastest path that reads it exactly as csv-parse would (see src/io/fast), falling back to
 * csv-parse itself for standard input and anything the fast path does not take.
 */
export async function readOrders(path: string, options: ReadOrdersOptions): Promise<OrdersRead> {
  return readOrdersCsv(path, options);
}
