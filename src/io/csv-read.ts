import { Readable } from 'node:stream';
import type { CsvError, Options as CsvOptions } from 'csv-parse';
import { InputError } from '../errors.js';
import { detectDelimiter, firstLine, type Delimiter } from './dialect.js';
import { ioError, openText, pipeInto, type Encoding } from './source.js';

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

/** Why a row could not be used. */
export type RejectReason = 'field_count' | 'bad_date' | 'bad_number' | 'bad_quoting' | 'duplicate_customer';

/** A row that could not be used, as rejects.csv lists it. */
export interface Reject {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly reason: RejectReason;
  readonly message: string;
  /** The row's text as read, without its line break. */
  readonly raw: string;
}

/** Rejected rows kept in memory at most; more are counted but not listed (such a run fails anyway at any sane limit). */
export const MAX_LISTED_REJECTS = 1_000_000;

/** Rejected rows of one input: all counted, the first MAX_LISTED_REJECTS listed. */
export class RejectList {
  count = 0;
  private readonly listed: Reject[] = [];

  add(r: Reject): void {
    this.count++;
    if (this.listed.length < MAX_LISTED_REJECTS) this.listed.push(r);
  }

  /** The listed rejects in line order. */
  sorted(): Reject[] {
    return [...this.listed].sort((a, b) => a.line - b.line);
  }
}

/** One data record: its fields, the line it starts on (1-based) and its raw text. */
export interface CsvRow {
  readonly fields: string[];
  readonly line: number;
  readonly raw: string;
}

/** What the manifest says of an input's bytes. */
export interface SourceFacts {
  readonly bytes: number;
  /** Absent when the reader was asked to leave it (ReadOrdersOptions.deferHash). */
  readonly sha256?: string;
  readonly encoding?: string;
  readonly gzip?: boolean;
  readonly delimiter?: string;
}

export interface CsvInput {
  readonly header: readonly string[];
  readonly delimiter: Delimiter;
  /** The data records; records that cannot be split go to `rejects` (reason bad_quoting) and count in `badRecords`. */
  readonly rows: AsyncIterable<CsvRow>;
  readonly rejects: RejectList;
  /** Records csv-parse could not split, so far. */
  badRecords(): number;
  /** Bytes, hash, encoding: complete once `rows` is exhausted. */
  source(): SourceFacts;
}

export interface CsvReadOptions {
  readonly encoding?: Encoding;
  readonly delimiter?: Delimiter;
  readonly onProgress?: (bytesRead: number) => void;
}

/** Line breaks inside a record's fields: the record began this many lines before the line it ended on. */
export function lineBreaksIn(fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) {
    for (let i = 0; i < f.length; i++) {
      const c = f.charCodeAt(i);
      if (c === 10 || (c === 13 && f.charCodeAt(i + 1) !== 10)) n++;
    }
  }
  return n;
}

/** A record's raw text without the line breaks csv-parse leaves around it. */
function rawText(raw: string | undefined): string {
  return (raw ?? '').replace(/^[\r\n]+|[\r\n]+$/g, '');
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

type ParsedRecord = { record: string[]; info: { lines: number }; raw: string };

/**
 * Opens a CSV (a path or `-`, any encoding, delimiter or gzip) with csv-parse and reads its header. Damaged input (binary,
 * empty, two columns with one name, a broken header, a record over MAX_RECORD_CHARS) ends with an InputError naming `file`.
 */
export async function openCsv(path: string, file: string, options: CsvReadOptions): Promise<CsvInput> {
  const text = await openText(path, options.encoding ?? 'auto', file);
  const { head, rest } = await peekHeader(text.chunks);
  if (head.replace(/^\uFEFF/, '').trim() === '') throw new InputError('the file is empty; a CSV with a header row is needed', { file });
  if (head.slice(0, 1 << 16).includes('\u0000')) {
    throw new InputError('the file holds binary data (NUL bytes), not CSV text; check the file, or pass --encoding', { file });
  }
  const delimiter = options.delimiter ?? detectDelimiter(firstLine(head.replace(/^\uFEFF/, '')));
  // Loaded here, not at start: files the fast reader takes (and the reader threads) never need it.
  const { CsvError, parse } = await import('csv-parse');
  const parser = pipeInto(Readable.from(rest), parse({ ...CSV_OPTIONS, delimiter }));
  if (options.onProgress) {
    const report = options.onProgress;
    const timer = setInterval(() => report(text.tap.bytes), 200);
    parser.on('close', () => clearInterval(timer));
  }
  const rejects = new RejectList();
  let bad = 0;
  // csv-parse reports a record it cannot split as a 'skip' event, ahead of the records before it: RejectList sorts.
  parser.on('skip', (err: CsvError & { lines?: number; raw?: string }) => {
    const raw = rawText(err.raw);
    const line = (err.lines ?? 0) - (raw.match(/\r\n|\r|\n/g)?.length ?? 0);
    bad++;
    rejects.add({ file, line, reason: 'bad_quoting', message: `${err.message.replace(/^[^:]*: /, '')}; check the quoting of this row`, raw });
  });
  const records = (parser as AsyncIterable<ParsedRecord>)[Symbol.asyncIterator]();
  const fail = (err: unknown): never => {
    if (err instanceof CsvError) {
      const what = err.code === 'CSV_MAX_RECORD_SIZE' ? `a record longer than ${MAX_RECORD_CHARS} characters` : err.message;
      throw new InputError(`damaged input: ${what}; check the quoting and line ends`, { file, line: (err as CsvError & { lines?: number }).lines });
    }
    throw ioError(err, file);
  };
  const first = await records.next().catch(fail);
  if (first.done) throw new InputError('the file is empty; a CSV with a header row is needed', { file });
  if (bad > 0 && rejects.sorted()[0]!.line <= 1) throw new InputError(`damaged header: ${rejects.sorted()[0]!.message}`, { file, line: 1 });
  const header = first.value.record.map((h) => h.trim());
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw new InputError(`columns ${earlier + 1} and ${i + 1} are both named ${JSON.stringify(name)}; rename one`, { file, line: 1 });
    }
    seen.set(name, i);
  });
  async function* rows(): AsyncIterable<CsvRow> {
    try {
      for (let r = await records.next(); !r.done; r = await records.next()) {
        const { record, info, raw } = r.value;
        yield { fields: record, line: info.lines - lineBreaksIn(record), raw: rawText(raw) };
      }
    } catch (err) {
      fail(err);
    }
  }
  return {
    header,
    delimiter,
    rows: rows(),
    rejects,
    badRecords: () => bad,
    source: () => ({ bytes: text.tap.bytes, sha256: text.tap.digest(), encoding: text.encoding, gzip: text.gzip, delimiter }),
  };
}

/**
 * Reads rows in two steps: the first `size` rows are held back until `decide` has told the reading rules from them, then
 * every row goes to `take` with those rules, in file order.
 */
export async function readWithSample<R>(
  rows: AsyncIterable<CsvRow>,
  size: number,
  decide: (sample: readonly CsvRow[]) => R,
  take: (row: CsvRow, rules: R) => void,
): Promise<R> {
  const sample: CsvRow[] = [];
  let rules: R | undefined;
  for await (const row of rows) {
    if (rules !== undefined) {
      take(row, rules);
      continue;
    }
    sample.push(row);
    if (sample.length < size) continue;
    rules = decide(sample);
    for (const s of sample) take(s, rules);
    sample.length = 0;
  }
  if (rules === undefined) {
    rules = decide(sample);
    for (const s of sample) take(s, rules);
  }
  return rules;
}
