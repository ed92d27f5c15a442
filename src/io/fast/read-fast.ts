import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SKIP_REASONS, type CustomerColumns, type Day, type IdList } from '../../core/types.js';
import { hashFile } from '../file-hash.js';
import { CSV_OPTIONS, MAX_LISTED_REJECTS, MAX_RECORD_CHARS, type Reject } from '../csv-read.js';
import { detectFormats, SAMPLE_ROWS } from '../detect.js';
import { detectDelimiter, firstLine } from '../dialect.js';
import { displayName, rowRules, type OrdersRead, type ReadOrdersOptions } from '../read-orders.js';
import type { RowRules } from '../row.js';
import { sniffEncoding } from '../source.js';
import { readPart, readRangesHere, type PartOutcome, type PartPlan, type PartResult } from './part.js';
import { ringMemory } from './ring.js';
import { BAIL, END, RECORD, Tokenizer, fieldText } from './tokenizer.js';
import type { IdKeys } from './tables.js';
import type { WorkerMessage } from './worker.js';

/** How the fast reader runs; the defaults suit the command, tests force the split on small files. */
export interface FastOptions {
  /** Parts read at once, each by a worker thread; default min(2, cores). 1 reads on the calling thread. */
  readonly workers?: number;
  /** Files smaller than this are read on the calling thread, where a worker's start-up would cost more than it saves. */
  readonly minBytesForWorkers?: number;
  /** Bytes read per system call; a record longer than this grows the buffer. */
  readonly blockSize?: number;
  /** false: read the parts one after another on the calling thread (tests of the split without worker_threads). */
  readonly threads?: boolean;
  /** false: two parts each read the whole file (by customers) rather than a byte range each (see readByRanges). */
  readonly ranges?: boolean;
  /** Bytes of each ring between two parts reading by ranges. */
  readonly ringBytes?: number;
}

export type FastOutcome =
  | {
      readonly kind: 'read';
      readonly read: OrdersRead;
      /** Parts the file was read in (each by a worker when more than one). */
      readonly parts: number;
      /** Order ids read back from the file (see OrderTable). */
      readonly rereads: number;
      /** Parts whose orders were summed up as read (see OrderStream). */
      readonly streamed: number;
      /** Whether each part read a byte range of the file (readByRanges), rather than all of it (readByCustomers). */
      readonly ranges: boolean;
      /** Milliseconds reading the parts and merging them, for benchmarks. */
      readonly partsMs: number;
      readonly mergeMs: number;
    }
  | {
      readonly kind: 'declined';
      readonly reason: string;
      /** Whether it is only where the bytes are (standard input, a pipe, gzip): a plain copy of them can be read fast. */
      readonly copyWouldDo: boolean;
    };

/** Reasons to decline that are about where the bytes are, not what they say. */
const NOT_HERE = { stdin: 'standard input', notFile: 'not a regular file', gzip: 'gzip' } as const;
const NOT_HERE_REASONS = new Set<string>(Object.values(NOT_HERE));

/**
 * Below this, one thread reads as fast as two workers or faster (whole command, 2 cores, 3 runs each: 1M rows, 38 MB:
 * 0.84–0.89 s alone, 0.91–0.96 s in two; 1.5M rows, 58 MB: 1.12–1.16 s against 1.10–1.14 s; 2M rows, 77 MB: 1.26–1.33 s
 * against 1.17–1.23 s, and shuffled 1.59–1.61 s against 1.36–1.43 s).
 */
export const DEFAULT_MIN_BYTES_FOR_WORKERS = 64 << 20;
export const DEFAULT_BLOCK_SIZE = 4 << 20;
/** Each of the two rings between parts reading by ranges: room for about 3 blocks' lines of the other part. */
export const DEFAULT_RING_BYTES = 8 << 20;
/** What the tokenizer was written for; any change to CSV_OPTIONS turns the fast reader off until it is checked. */
const TOKENIZER_CSV_OPTIONS = JSON.stringify({
  bom: true,
  relax_column_count: true,
  skip_empty_lines: true,
  record_delimiter: ['\r\n', '\n', '\r'],
  info: true,
  raw: true,
  skip_records_with_error: true,
  max_record_size: 1 << 20,
});
/** The first chunk readOrdersCsv decodes and looks at: createReadStream's highWaterMark in source.ts. */
const FIRST_CHUNK = 1 << 20;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWithBom(b: Uint8Array, at: number): boolean {
  return b[at] === UTF8_BOM[0] && b[at + 1] === UTF8_BOM[1] && b[at + 2] === UTF8_BOM[2];
}

const decodeUtf8 = (b: Uint8Array, s: number, e: number): string => (b as Buffer).toString('utf8', s, e);

function recordFields(tok: Tokenizer): string[] {
  const fields: string[] = [];
  for (let i = 0; i < tok.fieldCount; i++) fields.push(fieldText(tok.buf, tok.fieldStart[i]!, tok.fieldEnd[i]!, tok.fieldFlags[i]!, decodeUtf8));
  return fields;
}

interface Sample {
  readonly records: string[][];
  /** Bytes the records took, line breaks included. */
  readonly bytes: number;
}

/** The fields of the first `count` data records, as csv-parse gives them; or why they cannot be read here. */
function sampleRecords(fd: number, size: number, start: number, lines: number, delimiter: number, count: number): Sample | string {
  const sample: string[][] = [];
  let bytes = 0;
  const tok = new Tokenizer(delimiter, MAX_RECORD_CHARS);
  tok.lines = lines;
  let buf = Buffer.allocUnsafe(Math.min(1 << 20, size - start) + 1);
  let at = start; // file offset of buf[0]
  let filled = 0;
  for (;;) {
    while (filled < buf.length - 1 && at + filled < size) {
      const n = readSync(fd, buf, filled, buf.length - 1 - filled, at + filled);
      if (n === 0) return 'the file got shorter while it was read';
      filled += n;
    }
    tok.load(buf, 0, filled, at + filled >= size);
    let step;
    while (sample.length < count && (step = tok.next()) === RECORD) sample.push(recordFields(tok));
    if (sample.length >= count || step === END) return { records: sample, bytes: bytes + tok.pos };
    if (step === BAIL) return 'quoting that csv-parse reports, or a record over the size limit';
    if (tok.pos === 0) {
      if (buf.length - 1 > MAX_RECORD_CHARS + 2) return 'a record over the size limit';
      const bigger = Buffer.allocUnsafe((buf.length - 1) * 2 + 1);
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    } else {
      buf.copy(buf, 0, tok.pos, filled);
      bytes += tok.pos;
      filled -= tok.pos;
      at += tok.pos;
    }
  }
}

/**
 * Orders the whole file holds, told from the sample: its rows per byte and distinct (customer, order id) pairs per row.
 * Only a size to start the tables at; a wrong guess costs time (the tables grow) or memory, never correctness.
 */
function expectedOrders(sample: Sample, rules: RowRules, dataBytes: number): number {
  const rows = sample.records.length;
  if (rows === 0 || sample.bytes === 0) return 0;
  const { customer, order } = rules.columns;
  const keys = new Set<string>();
  let unkeyed = 0;
  for (const r of sample.records) {
    const id = order === undefined ? '' : (r[order] ?? '').trim();
    if (id === '') unkeyed++;
    else keys.add(`${(r[customer] ?? '').trim()}\u0000${id}`);
  }
  return Math.ceil(((keys.size + unkeyed) / rows) * (rows / sample.bytes) * dataBytes);
}

/**
 * Whether the sample's order ids (as OrderStream compares them: by length, then unit by unit) only grow or only
 * shrink, lines of one order together. Only a guess at whether the whole file's do, to choose how to read it.
 */
function sampledIdsInOrder(sample: Sample, rules: RowRules): boolean {
  const { order, customer } = rules.columns;
  if (order === undefined) return true;
  let direction = 0;
  let last: string | undefined;
  for (const r of sample.records) {
    const id = (r[order] ?? '').trim();
    if (id === '' || (r[customer] ?? '').trim() === '') continue; // no order, or a row skipped
    if (last !== undefined && id !== last) {
      const d = id.length !== last.length ? Math.sign(id.length - last.length) : id < last ? -1 : 1;
      if (direction === 0) direction = d;
      else if (d !== direction) return false;
    }
    last = id;
  }
  return true;
}

interface Header {
  readonly size: number;
  readonly header: string[];
  readonly rules: RowRules;
  readonly delimiter: string;
  readonly dataStart: number;
  readonly linesAtDataStart: number;
  /** Orders expected in the whole file. */
  readonly orders: number;
  /** Whether the sampled rows' order ids only grow or only shrink (or there are none): see readByRanges. */
  readonly idsInOrder: boolean;
}

/**
 * Reads the header as readOrdersCsv would, or says why the fast reader leaves this file to it. Every check here mirrors
 * one in readOrdersCsv or source.ts, so that a file the fast reader takes has no error that only csv-parse would report.
 */
function readHeader(path: string, options: ReadOrdersOptions): Header | string {
  if (path === '-') return NOT_HERE.stdin;
  if (JSON.stringify(CSV_OPTIONS) !== TOKENIZER_CSV_OPTIONS) return 'CSV_OPTIONS changed; the fast tokenizer follows the old ones';
  const encoding = options.encoding ?? 'auto';
  if (encoding !== 'auto' && encoding !== 'utf-8') return `--encoding ${encoding}`;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return 'the file cannot be opened (readOrdersCsv says why)';
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return NOT_HERE.notFile;
    const size = stat.size;
    const head = Buffer.alloc(Math.min(size, FIRST_CHUNK) + 1); // + 1 for the tokenizer's stop byte
    const length = head.length - 1;
    let got = 0;
    while (got < length) {
      const n = readSync(fd, head, got, length - got, got);
      if (n === 0) return 'the file got shorter while it was read';
      got += n;
    }
    if (head[0] === 0x1f && head[1] === 0x8b) return NOT_HERE.gzip;
    if (encoding === 'auto' && sniffEncoding(head.subarray(0, length)) !== 'utf-8') return 'not UTF-8';
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, length), { stream: size > length });
    } catch {
      return 'not UTF-8';
    }
    if (size > length && firstLine(text).length === text.length) return 'a header line longer than the first chunk';
    if (text.trim() === '') return 'empty';
    if (text.slice(0, 1 << 16).includes('\u0000')) return 'NUL bytes';
    const delimiter = options.delimiter ?? detectDelimiter(firstLine(text.replace(/^\uFEFF/, '')));
    // The text decoder drops one byte-order mark and csv-parse (bom: true) another.
    let bom = startsWithBom(head, 0) ? 3 : 0;
    if (startsWithBom(head, bom)) bom += 3;
    const tok = new Tokenizer(delimiter.charCodeAt(0), MAX_RECORD_CHARS);
    tok.load(head, bom, length, size === length);
    if (tok.next() !== RECORD) return 'no header record in the first chunk';
    // As openCsv: names trimmed, each once.
    const header = recordFields(tok).map((name) => name.trim());
    if (new Set(header).size !== header.length) return 'two columns with one name (readOrdersCsv reports it)';
    let rules: RowRules;
    let orders: number;
    let idsInOrder: boolean;
    try {
      // As readOrdersCsv: the header's columns, then formats told from the first SAMPLE_ROWS records.
      const base = rowRules(header, options);
      const sample = sampleRecords(fd, size, tok.pos, tok.lines, delimiter.charCodeAt(0), SAMPLE_ROWS);
      if (typeof sample === 'string') return sample;
      rules = detectFormats(base, header, sample.records, { dateFormat: options.dates.format, decimal: options.decimal });
      orders = expectedOrders(sample, rules, size - tok.pos);
      idsInOrder = sampledIdsInOrder(sample, rules);
    } catch {
      return 'the header or the sampled rows have a problem (readOrdersCsv reports it)';
    }
    return { size, header, rules, delimiter, dataStart: tok.pos, linesAtDataStart: tok.lines, orders, idsInOrder };
  } finally {
    closeSync(fd);
  }
}

/** A reader thread, started before it has a plan (see worker.ts). */
function startWorker(): Worker {
  return new Worker(new URL('./worker.js', import.meta.url));
}

function runInWorker(worker: Worker, plan: PartPlan, onProgress: (bytes: number, rows: number) => void): { done: Promise<PartOutcome>; stop: () => void } {
  worker.postMessage(plan);
  let outcome: PartOutcome | undefined;
  const done = new Promise<PartOutcome>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'progress') onProgress(m.bytes, m.rows);
      else outcome = m.outcome;
    });
    worker.on('error', reject);
    // Resolved on exit, not on the message: by then the worker's tables are freed, before the merge allocates.
    worker.on('exit', (code) => (outcome ? resolve(outcome) : reject(new Error(`fast reader worker stopped (exit code ${code})`))));
  });
  return { done, stop: () => void worker.terminate() };
}

/**
 * Reads the plans' parts, in workers (`started` ones first) or one after another here; stops the others at the first
 * part that gives up.
 */
async function runParts(
  plans: readonly PartPlan[],
  fast: FastOptions,
  started: readonly Worker[],
  onProgress: (part: number, bytes: number, rows: number) => void,
): Promise<PartOutcome[]> {
  if (plans.length > 1 && fast.threads !== false) {
    const running = plans.map((plan, k) => runInWorker(started[k] ?? startWorker(), plan, (bytes, rows) => onProgress(k, bytes, rows)));
    try {
      return await Promise.all(
        running.map(({ done }) =>
          done.then((o) => {
            if (o.kind === 'bail') for (const r of running) r.stop(); // the others' work is wasted now
            return o;
          }),
        ),
      );
    } catch (err) {
      for (const r of running) r.stop();
      throw err;
    }
  }
  const outcomes: PartOutcome[] = [];
  for (let k = 0; k < plans.length; k++) {
    const o = readPart(plans[k]!, (bytes, rows) => onProgress(k, bytes, rows));
    outcomes.push(o);
    if (o.kind === 'bail') break;
  }
  return outcomes;
}

/**
 * Reads an orders file with the byte-level reader when it can do so exactly as readOrdersCsv would: a UTF-8 file on
 * disk, csv-parse's own options, no quoting that csv-parse rejects. Large files are read by worker threads, each
 * owning a share of the customers (see readByCustomers). Otherwise says why not, and readOrders falls back to
 * readOrdersCsv.
 */
export async function readOrdersFast(path: string, options: ReadOrdersOptions, fast: FastOptions = {}): Promise<FastOutcome> {
  const workers = Math.min(255, Math.max(1, fast.workers ?? Math.min(2, availableParallelism()))); // parts are told apart by a byte (PartIds)
  const minBytes = fast.minBytesForWorkers ?? DEFAULT_MIN_BYTES_FOR_WORKERS;
  // A worker takes about 0.1 s to start and load its modules: for a file big enough for them, that happens while the
  // header and the sample are read here (0.06–0.08 s for the benchmark's file).
  const size = path === '-' ? undefined : sizeOf(path);
  const started = workers > 1 && fast.threads !== false && size !== undefined && size >= minBytes ? Array.from({ length: workers }, startWorker) : [];
  // A started worker waits for its plan, and keeps the process alive until it has one or is stopped.
  const stop = () => {
    for (const w of started.splice(0)) void w.terminate();
  };
  let head: Header | string;
  try {
    head = readHeader(path, options);
  } catch (err) {
    stop();
    throw err;
  }
  const parts = typeof head !== 'string' && head.size >= minBytes ? workers : 1;
  if (parts === 1 || fast.threads === false) stop();
  if (typeof head === 'string') return { kind: 'declined', reason: head, copyWouldDo: NOT_HERE_REASONS.has(head) };
  // The manifest's hash needs every byte in order. With workers, the main thread reads the file once more for it
  // meanwhile, and the parts share the customers evenly; alone, the one part hashes as it reads.
  const sha = parts > 1 && !options.deferHash ? hashFile(path) : undefined;
  sha?.catch(() => undefined); // awaited below; a read error shows in the parts as well
  try {
    // Order ids out of order need OrderTables, whose ids are read back from the file by offset: parts reading by
    // customers (and trying ranges first would leave memory behind that the tables then cannot use; see readByRanges).
    let idle = started;
    if (parts === 2 && fast.ranges !== false && head.idsInOrder) {
      const read = await readByRanges(path, options, fast, head, sha, started);
      if (read !== undefined) return read;
      idle = []; // those have ended
    }
    return await readByCustomers(path, options, fast, head, parts, sha, idle);
  } finally {
    stop(); // any not handed a plan (runParts stops those it ran)
  }
}

/** The size of a regular file, undefined for anything else (readHeader says why it is not read here). */
function sizeOf(path: string): number | undefined {
  try {
    const s = statSync(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/** What every part is told: how to read the file's records, and which customers are whose. */
function planFor(path: string, options: ReadOrdersOptions, fast: FastOptions, head: Header, part: number, parts: number): PartPlan {
  const ownerBelow = Array.from({ length: parts }, (_, k) => (k === parts - 1 ? 2 ** 32 : Math.floor(((k + 1) / parts) * 2 ** 32)));
  return {
    path,
    file: options.file ?? displayName(path),
    size: head.size,
    dataStart: head.dataStart,
    linesAtDataStart: head.linesAtDataStart,
    delimiter: head.delimiter.charCodeAt(0),
    rules: head.rules,
    header: head.header,
    blockSize: fast.blockSize ?? DEFAULT_BLOCK_SIZE,
    maxRecordBytes: MAX_RECORD_CHARS,
    maxListedRejects: MAX_LISTED_REJECTS,
    preview: options.preview ?? 0,
    part,
    ownerBelow,
    hashInput: part === 0 && parts === 1,
    checkUtf8: part === parts - 1,
    // Each part's share of the orders is about its share of the customers, plus a margin for the guess.
    expectedOrders: Math.ceil((head.orders * 1.05) / parts),
    frequency: options.frequency ?? 'orders',
  };
}

/**
 * Reads the parts of `plans`, reporting progress: the bytes and rows the parts have read, combined by `done` (their
 * sum when each reads its own range, their mean when each reads the whole file).
 */
function runWithProgress(
  plans: readonly PartPlan[],
  fast: FastOptions,
  started: readonly Worker[],
  options: ReadOrdersOptions,
  head: Header,
  done: (parts: readonly number[]) => number,
): Promise<PartOutcome[]> {
  const bytes = plans.map(() => 0);
  const rows = plans.map(() => 0);
  return runParts(plans, fast, started, (part, bytesRead, rowsRead) => {
    // A part that reads the file again (order ids out of order) starts over: the bar waits rather than going back.
    bytes[part] = Math.max(bytes[part]!, bytesRead);
    rows[part] = Math.max(rows[part]!, rowsRead);
    options.onProgress?.(head.dataStart + done(bytes), done(rows));
  });
}

const sumOf = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/**
 * Where a file read in two byte ranges is split: after the first line break from its middle. Undefined when there is
 * none near it (a file of one huge record, or of `\r` line breaks only).
 */
function splitPoint(path: string, head: Header): number | undefined {
  const middle = head.dataStart + Math.floor((head.size - head.dataStart) / 2);
  const look = Buffer.allocUnsafe(Math.min(1 << 16, head.size - middle));
  const fd = openSync(path, 'r');
  try {
    let got = 0;
    while (got < look.length) {
      const n = readSync(fd, look, got, look.length - got, middle + got);
      if (n === 0) break;
      got += n;
    }
    const at = look.subarray(0, got).indexOf(10);
    return at < 0 || middle + at + 1 >= head.size ? undefined : middle + at + 1;
  } finally {
    closeSync(fd);
  }
}

/**
 * Two parts, each reading one half of the file by bytes: part 0 up to the first line break after the middle, part 1
 * from there. Each keeps the lines of its own customers and hands the others' to the other part through a ring as it
 * reads, so every byte is tokenized once (reading by customers tokenizes the whole file in each part). Each part sums
 * up the orders of its range and those the other part sends in lanes of their own (see OrderStream), and the ids'
 * order is checked across them as a whole.
 *
 * When it does not work out — order ids out of order (they need an OrderTable, which reads ids back from the file), or
 * the middle line break inside quotes (part 0's last record then runs past it) — both workers read the file again by
 * customers (see readPart). Undefined, for readByCustomers to read the file, when they could not agree on that (one
 * part found ids out of order only at the end, when the other was done), or when no worker threads are used.
 */
async function readByRanges(
  path: string,
  options: ReadOrdersOptions,
  fast: FastOptions,
  head: Header,
  sha: Promise<string> | undefined,
  started: readonly Worker[],
): Promise<FastOutcome | undefined> {
  const split = splitPoint(path, head);
  if (split === undefined) return undefined;
  const rings = [ringMemory(fast.ringBytes ?? DEFAULT_RING_BYTES), ringMemory(fast.ringBytes ?? DEFAULT_RING_BYTES)] as const;
  const plans = [0, 1].map((part): PartPlan => {
    const plan = planFor(path, options, fast, head, part, 2);
    const range =
      part === 0
        ? { start: head.dataStart, end: split, lines: head.linesAtDataStart, send: rings[0], receive: rings[1] }
        : { start: split, end: head.size, lines: 1, send: rings[1], receive: rings[0] };
    return { ...plan, range };
  }) as [PartPlan, PartPlan];
  const t0 = performance.now();
  const outcomes =
    fast.threads === false ? readRangesHere(plans) : await runWithProgress(plans, fast, started, options, head, sumOf);
  const results: PartResult[] = [];
  for (const o of outcomes) {
    if (o.kind === 'fallback') return undefined;
    if (o.kind === 'bail') return { kind: 'declined', reason: o.reason, copyWouldDo: false };
    results.push(o.result);
  }
  // Workers that gave up on ranges went on to read by customers (see readPart); both, or else the file is read again.
  if (!results.every((r) => r.ranged)) return results.some((r) => r.ranged) ? undefined : finishRead(results, head, options, sha, performance.now() - t0, false);
  // Part 1 counted its lines from its start.
  const [first, second] = results as [PartResult, PartResult];
  const offset = first.linesAtEnd - 1;
  results[1] = {
    ...second,
    rejects: second.rejects.map((r) => ({ ...r, line: r.line + offset })),
    preview: second.preview.map((p) => ({ ...p, line: p.line + offset })),
  };
  return finishRead(results, head, options, sha, performance.now() - t0, true);
}

/**
 * Every part reads the whole file and keeps the rows of its share of the customers (by id hash): always exact, as a
 * customer's rows all meet in one part, so no order is ever in two parts and nothing is merged but lists.
 * `sha`: the file's hash, when the main thread computes it.
 */
async function readByCustomers(
  path: string,
  options: ReadOrdersOptions,
  fast: FastOptions,
  head: Header,
  parts: number,
  sha: Promise<string> | undefined,
  started: readonly Worker[],
): Promise<FastOutcome> {
  const plans = Array.from({ length: parts }, (_, part) => planFor(path, options, fast, head, part, parts));
  const t0 = performance.now();
  // Every part scans the whole file (each keeps its own customers), so the parts' mean is how far the file is read.
  const outcomes = await runWithProgress(plans, fast, started, options, head, (xs) => Math.round(sumOf(xs) / parts));
  const results: PartResult[] = [];
  for (const o of outcomes) {
    if (o.kind !== 'done') return { kind: 'declined', reason: o.reason, copyWouldDo: false };
    results.push(o.result);
  }
  return finishRead(results, head, options, sha, performance.now() - t0, false);
}

/** The parts' results merged into what readOrdersCsv gives. */
async function finishRead(
  results: readonly PartResult[],
  head: Header,
  options: ReadOrdersOptions,
  sha: Promise<string> | undefined,
  partsMs: number,
  ranges: boolean,
): Promise<FastOutcome> {
  const sha256 = sha ? await sha : results[0]!.sha256;
  options.onProgress?.(head.size);
  const t1 = performance.now();
  const read = assemble(results, head, mergeCustomers(results), mergeRejects(results), mergePreview(results, options.preview ?? 0), sha256);
  return {
    kind: 'read',
    read,
    parts: results.length,
    rereads: results.reduce((n, r) => n + r.rereads, 0),
    streamed: results.filter((r) => r.streamed).length,
    ranges,
    partsMs,
    mergeMs: performance.now() - t1,
  };
}

type Preview = OrdersRead['preview'];

/** Rejects of every part in file order (line numbers only grow along a file), the first MAX_LISTED_REJECTS of them. */
function mergeRejects(results: readonly PartResult[]): Reject[] {
  const all = results.flatMap((r) => r.rejects);
  all.sort((a, b) => a.line - b.line);
  return all.length > MAX_LISTED_REJECTS ? all.slice(0, MAX_LISTED_REJECTS) : all;
}

/**
 * The ids of merged parts, each made a string when asked for: row g's is id `index[g]` of part `part[g]`. Strings asked
 * for once (as writing does) die young; a million kept from the start were copied by every scavenge while the run scored
 * (about a third of the main thread's 0.2–0.3 s of garbage collection).
 */
class PartIds implements IdList {
  // Only the parts' ids are kept, not the parts (their facts are copied into the merged columns and can go).
  private readonly texts: string[];
  private readonly ends: Int32Array[];

  constructor(
    parts: readonly PartResult[],
    /** A byte per row: at most 255 parts. */
    private readonly part: Uint8Array,
    private readonly index: Int32Array,
  ) {
    this.texts = parts.map((r) => r.idText);
    this.ends = parts.map((r) => r.idEnds);
  }

  get length(): number {
    return this.index.length;
  }

  at(g: number): string | undefined {
    if (!(g >= 0 && g < this.index.length)) return undefined;
    const p = this.part[g]!;
    return idIn(this.texts[p]!, this.ends[p]!, this.index[g]!);
  }
}

/**
 * The parts' customers merged into id order, each with its facts: the customers readOrdersCsv gives, customer for
 * customer. Each part's facts come in id order and no customer is in two parts, so this merges sorted lists.
 */
function mergeCustomers(results: readonly PartResult[]): CustomerColumns {
  const total = results.reduce((n, r) => n + r.idEnds.length, 0);
  const part = new Uint8Array(total);
  const index = new Int32Array(total);
  const customerIds = new PartIds(results, part, index);
  if (results.length === 1) {
    const [r] = results as [PartResult];
    for (let i = 0; i < total; i++) index[i] = i;
    // The days were written over the part's orders: keep a copy their size, not the whole buffer.
    return { customerIds, orders: r.orderCount, ...r.facts, days: r.facts.days.slice() };
  }
  // Each part's next id, made a string when it comes up ('' once the part is used up); with every part's sort keys,
  // only when two keys are equal (ids of more than 8 bytes): a million ids cut out and compared cost about 50 ms.
  const keys = results.every((r) => r.idKeys !== undefined) ? results.map((r) => r.idKeys!) : undefined;
  const heads = results.map((r) => (keys === undefined && r.idEnds.length > 0 ? idIn(r.idText, r.idEnds, 0) : ''));
  const frequency = new Int32Array(total);
  const monetary = new Float64Array(total);
  const dayStart = new Int32Array(total + 1);
  const days = new Int32Array(results.reduce((n, r) => n + r.facts.days.length, 0));
  const next = results.map(() => 0);
  let at = 0;
  for (let g = 0; g < total; g++) {
    let best = -1;
    let bestId = '';
    for (let p = 0; p < results.length; p++) {
      const i = next[p]!;
      if (i >= results[p]!.idEnds.length) continue;
      if (keys !== undefined) {
        if (best < 0 || keyBefore(results, keys, p, i, best, next[best]!)) best = p;
        continue;
      }
      const id = heads[p]!;
      if (best < 0 || id < bestId) {
        best = p;
        bestId = id;
      }
    }
    const r = results[best]!;
    const i = next[best]!++;
    if (keys === undefined && i + 1 < r.idEnds.length) heads[best] = idIn(r.idText, r.idEnds, i + 1);
    part[g] = best;
    index[g] = i;
    frequency[g] = r.facts.frequency[i]!;
    monetary[g] = r.facts.monetary[i]!;
    const partDays = r.facts.days;
    for (let d = r.facts.dayStart[i]!, end = r.facts.dayStart[i + 1]!; d < end; d++) days[at++] = partDays[d]!;
    dayStart[g + 1] = at;
  }
  return { customerIds, orders: results.reduce((n, r) => n + r.orderCount, 0), frequency, monetary, dayStart, days };
}

/** Whether id i of part p comes before id j of part q, by their sort keys (by the ids when those are equal). */
function keyBefore(results: readonly PartResult[], keys: readonly IdKeys[], p: number, i: number, q: number, j: number): boolean {
  const a = keys[p]!;
  const b = keys[q]!;
  if (a.hi[i] !== b.hi[j]) return a.hi[i]! < b.hi[j]!;
  if (a.lo[i] !== b.lo[j]) return a.lo[i]! < b.lo[j]!;
  return idIn(results[p]!.idText, results[p]!.idEnds, i) < idIn(results[q]!.idText, results[q]!.idEnds, j);
}

/** The i-th of ids joined in `text`, the k-th ending at `ends[k]`. */
function idIn(text: string, ends: Int32Array, i: number): string {
  return text.slice(i === 0 ? 0 : ends[i - 1]!, ends[i]!);
}

function mergePreview(results: readonly PartResult[], size: number): Preview {
  return results
    .flatMap((r) => r.preview)
    .sort((a, b) => a.line - b.line)
    .slice(0, size);
}

function assemble(results: readonly PartResult[], head: Header, customers: CustomerColumns, rejects: Reject[], preview: Preview, sha256: string | undefined): OrdersRead {
  const skipped = Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as Record<string, number>;
  let latest = NaN;
  for (const r of results) {
    for (const [reason, n] of Object.entries(r.skipped)) skipped[reason] = (skipped[reason] ?? 0) + n;
    if (r.latestDay === r.latestDay && !(r.latestDay <= latest)) latest = r.latestDay;
  }
  const sum = (pick: (r: PartResult) => number) => results.reduce((n, r) => n + pick(r), 0);
  const latestDay: Day | undefined = latest === latest ? latest : undefined;
  return {
    header: head.header,
    columns: head.rules.columns,
    rules: head.rules,
    preview,
    customers,
    counts: {
      rowsRead: sum((r) => r.rowsRead),
      rowsUsed: sum((r) => r.rowsUsed),
      skipped: skipped as OrdersRead['counts']['skipped'],
      rejected: sum((r) => r.rejected),
    },
    latestDay,
    rejects,
    source: { bytes: head.size, ...(sha256 === undefined ? {} : { sha256 }), encoding: 'utf-8', gzip: false, delimiter: head.delimiter },
  };
}
