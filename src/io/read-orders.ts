import { stat } from 'node:fs/promises';
import { OrderBook } from '../core/orders.js';
import { customerColumns } from '../core/customers.js';
import type { FrequencyCount } from '../core/presets.js';
import type { CustomerColumns, Day, OrderLine, RowCounts, SkipReason } from '../core/types.js';
import { findOrderColumns, type ColumnOverrides, type OrderColumns } from './columns.js';
import { openCsv, readWithSample, type Reject, type SourceFacts } from './csv-read.js';
import { detectFormats, SAMPLE_ROWS } from './detect.js';
import type { Delimiter } from './dialect.js';
import { readOrdersFast } from './fast/read-fast.js';
import { spoolInput } from './spool.js';
import type { DecimalMark } from './number-format.js';
import { describeProblem, interpretRow, type RowRules } from './row.js';
import type { Encoding } from './source.js';
import type { DateSpec } from './values.js';

export type { Reject, SourceFacts } from './csv-read.js';

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
  /** Called now and then with the bytes read so far and, where they are counted, the rows. */
  readonly onProgress?: (bytesRead: number, rowsRead?: number) => void;
  /** How many of the first usable lines to hand back as `preview` (for `rfmkit inspect`). */
  readonly preview?: number;
  /** Which orders the customers' facts count (see factColumns); `orders` when not given. */
  readonly frequency?: FrequencyCount;
  /**
   * Leave `source.sha256` out for a file read by several worker threads, rather than hash it on the calling thread while
   * they read, when hashing competes with them for the cores: the caller hashes the file afterwards (OutputDir.hashFile).
   */
  readonly deferHash?: boolean;
  /** The name errors and rejects give the input; `displayName(path)` when not given. */
  readonly file?: string;
  /**
   * Where standard input, a pipe or a gzip file may be copied as plain bytes (in a private folder, removed when read), so
   * that the fast reader reads it rather than csv-parse: 10 times faster or more, in memory that does not grow with the
   * orders. Undefined: such inputs are read by csv-parse as they stream in.
   */
  readonly spoolDir?: string;
}

export interface OrdersRead {
  readonly header: readonly string[];
  readonly columns: OrderColumns;
  /** The rules rows were read by, with the date format and decimal marks as told from the data. */
  readonly rules: RowRules;
  /** The first usable lines, with their line numbers, when `preview` asked for them. */
  readonly preview: readonly { readonly line: number; readonly order: OrderLine }[];
  /** The customers, in id order, with the facts of their orders. */
  readonly customers: CustomerColumns;
  readonly counts: RowCounts;
  /** The latest day of any row used, undefined when none was. */
  readonly latestDay: Day | undefined;
  /** Rows that could not be used, in file order (at most MAX_LISTED_REJECTS; counts.rejected has them all). */
  readonly rejects: readonly Reject[];
  /** What the manifest says of the input's bytes, when they were counted and hashed. */
  readonly source?: SourceFacts;
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
export function rowRules(header: readonly string[], options: ReadOrdersOptions): RowRules {
  const columns = findOrderColumns(header, options.overrides);
  return { columns, width: header.length, dates: options.dates, asOf: options.asOf };
}

/**
 * Reads an orders CSV with csv-parse into orders grouped by customer: any encoding, delimiter and gzip, standard input
 * included. Rows that cannot be used are listed as rejects and reading goes on; damaged input (binary, no header,
 * duplicate column names, a record over MAX_RECORD_CHARS) ends with an InputError.
 */
export async function readOrdersCsv(path: string, options: ReadOrdersOptions): Promise<OrdersRead> {
  const file = options.file ?? displayName(path);
  const csv = await openCsv(path, file, options);
  const { header, rejects } = csv;
  const base = rowRules(header, options);
  const book = new OrderBook();
  const preview: { line: number; order: OrderLine }[] = [];
  let rowsRead = 0;
  let rowsUsed = 0;
  const skipped: Record<SkipReason, number> = { empty_customer: 0, after_as_of: 0 };
  const rules = await readWithSample(
    csv.rows,
    SAMPLE_ROWS,
    (sample) => detectFormats(base, header, sample.map((r) => r.fields), { dateFormat: options.dates.format, decimal: options.decimal }),
    ({ fields, line, raw }, rules) => {
      rowsRead++;
      const meaning = interpretRow(fields, rules);
      if (meaning.kind === 'line') {
        rowsUsed++;
        book.add(meaning.line);
        if (preview.length < (options.preview ?? 0)) preview.push({ line, order: meaning.line });
      } else if (meaning.kind === 'skip') {
        skipped[meaning.reason]++;
      } else {
        const p = meaning.problem;
        rejects.add({ file, line, column: p.column, reason: p.kind, message: describeProblem(p, header), raw });
      }
    },
  );
  return {
    header,
    columns: rules.columns,
    rules,
    preview,
    customers: customerColumns(book.toTable(), options.frequency),
    counts: { rowsRead: rowsRead + csv.badRecords(), rowsUsed, skipped, rejected: rejects.count },
    latestDay: book.latestDay,
    rejects: rejects.sorted(),
    source: csv.source(),
  };
}

/**
 * Reads an orders file by the fastest path that reads it exactly as csv-parse would (see src/io/fast), falling back to
 * csv-parse itself for anything the fast path does not take. Standard input, pipes and gzip go through a plain copy in
 * `spoolDir` when one is given (see readCopy).
 */
export async function readOrders(path: string, options: ReadOrdersOptions): Promise<OrdersRead> {
  const fast = await readOrdersFast(path, options);
  if (fast.kind === 'read') return fast.read;
  if (fast.copyWouldDo && options.spoolDir !== undefined) return readCopy(path, options, options.spoolDir);
  return readOrdersCsv(path, options);
}

/**
 * How far the progress bar goes while the input is copied: copying a 10M-row gzip added 0.6–1.3 s to a run of about
 * 5 s (see the README's benchmark).
 */
const COPY_SHARE = 0.25;

/**
 * Reads standard input, a pipe or a gzip file from a plain copy of its bytes, by the same readers as a file: the same
 * rows, rejects and line numbers as csv-parse streaming it (the bytes are the same), and the manifest's facts those of
 * the input as given (its bytes and hash, gzip or not).
 */
async function readCopy(path: string, options: ReadOrdersOptions, dir: string): Promise<OrdersRead> {
  const file = options.file ?? displayName(path);
  const total = await inputSize(path);
  const report = options.onProgress;
  const copy = await spoolInput(path, file, dir, report && total !== undefined ? (raw) => report(Math.round(raw * COPY_SHARE)) : undefined);
  try {
    const size = (await stat(copy.path)).size;
    const inner: ReadOrdersOptions = {
      ...options,
      file,
      // The copy's bytes mapped onto the input's, after the share the copying took.
      onProgress:
        report && total !== undefined
          ? (bytes, rows) => report(Math.round(total * (COPY_SHARE + (1 - COPY_SHARE) * (bytes / Math.max(1, size)))), rows)
          : undefined,
    };
    const fast = await readOrdersFast(copy.path, inner);
    const read = fast.kind === 'read' ? fast.read : await readOrdersCsv(copy.path, inner);
    return { ...read, source: { ...read.source, bytes: copy.tap.bytes, sha256: copy.tap.digest(), gzip: copy.gzip } };
  } finally {
    copy.remove();
  }
}
