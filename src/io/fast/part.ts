import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { multiplyMoney } from '../../core/money.js';
import type { FrequencyCount } from '../../core/presets.js';
import type { FactColumns, OrderLine } from '../../core/types.js';
import type { Reject } from '../csv-read.js';
import { describeProblem, interpretRow, type RowRules } from '../row.js';
import { parseDay } from '../values.js';
import { isoDayFromBytes, numberFromBytes } from './bytes.js';
import { LINE_WORDS, Ring, RingAborted } from './ring.js';
import { CustomerTable, FNV_OFFSET, FNV_PRIME, hashBytes, MAX_ORDER_ID_BYTES, mix32, OrderStream, OrderTable, OutOfOrder, orderHash, type FileWindow, type IdKeys, type OrderSink } from './tables.js';
import { BAIL, END, ESCAPED, Tokenizer, fieldText, lineBreaksIn } from './tokenizer.js';

/**
 * One reader's share of an orders file. Every reader tokenizes the whole file, and reads in full only the rows of the
 * customers it owns (by a hash of the customer id): a customer's rows all meet in one reader, so readers never have to
 * merge orders, and the orders of a customer stay in file order. Rows that belong to no customer (wrong field count,
 * empty customer) go to reader 0. Plain structured data, so it can cross to a worker thread.
 */
export interface PartPlan {
  readonly path: string;
  /** The name rejects give the file. */
  readonly file: string;
  /** Bytes of the file to read, from offset 0. */
  readonly size: number;
  /** Offset of the first byte after the header record, and csv-parse's line counter there. */
  readonly dataStart: number;
  readonly linesAtDataStart: number;
  /** The delimiter as a byte. */
  readonly delimiter: number;
  readonly rules: RowRules;
  readonly header: readonly string[];
  readonly part: number;
  /** Customers whose mixed id hash (as unsigned) is below ownerBelow[k] and not below ownerBelow[k − 1] belong to part k. */
  readonly ownerBelow: readonly number[];
  /** Whether this reader also hashes every byte (SHA-256, for the manifest) and checks that it is all UTF-8. */
  readonly hashInput: boolean;
  readonly checkUtf8: boolean;
  readonly blockSize: number;
  readonly maxRecordBytes: number;
  readonly maxListedRejects: number;
  /** How many of the part's first usable lines to keep, with their line numbers. */
  readonly preview: number;
  /** Orders this part expects (from the sample): its tables start that large, so they need not grow by copying. */
  readonly expectedOrders: number;
  /** Which orders the customers' facts count (see factColumns). */
  readonly frequency: FrequencyCount;
  /** Set when the file is read by byte ranges, one part each (see RangePlan); else every part reads the whole file. */
  readonly range?: RangePlan;
}

/**
 * A part that reads one byte range of the file (the ranges meet at line breaks), and every line in it: it keeps the
 * lines of its own customers, and sends the others' to their owner through a ring, while it takes in the lines of its
 * customers that the other part finds. Two parts: part 0 reads from the data's start, part 1 to the file's end.
 */
export interface RangePlan {
  readonly start: number;
  readonly end: number;
  /** csv-parse's line counter at `start`; for part 1, 1 (its line numbers are counted from there: see linesAtEnd). */
  readonly lines: number;
  /** The rings (ringMemory) this part sends lines into and takes lines from. */
  readonly send: SharedArrayBuffer;
  readonly receive: SharedArrayBuffer;
}

export interface PartResult {
  readonly rowsRead: number;
  readonly rowsUsed: number;
  /** Rows skipped, by SkipReason. */
  readonly skipped: Readonly<Record<string, number>>;
  /** The latest day of a used row, NaN when none. */
  readonly latestDay: number;
  readonly rejected: number;
  /** The first maxListedRejects rejects of this part's rows, in file order. */
  readonly rejects: Reject[];
  /**
   * The part's customers' ids in id order, one after another in one string: id i ends at `idEnds[i]` (UTF-16 code
   * units). One string crosses from a worker in one copy; the main thread cuts it up as it merges.
   */
  readonly idText: string;
  readonly idEnds: Int32Array;
  /** The ids' sort keys, when they are all ASCII: the main thread merges the parts by them. */
  readonly idKeys?: IdKeys;
  /** Orders of the part's customers, and the facts of each of its customers (row i: id i). */
  readonly orderCount: number;
  readonly facts: FactColumns;
  /** Hex SHA-256 of all the bytes, when hashInput. */
  readonly sha256?: string;
  /** Whether every byte was valid UTF-8 (always true unless checkUtf8). */
  readonly utf8: boolean;
  /** Order ids read back from the file (see OrderTable). */
  readonly rereads: number;
  /** Whether the orders were summed up as read (OrderStream), rather than kept in an OrderTable. */
  readonly streamed: boolean;
  readonly preview: { line: number; order: OrderLine }[];
  /** Whether the part read a byte range (else the whole file, for its customers), and csv-parse's line counter at its end. */
  readonly ranged: boolean;
  readonly linesAtEnd: number;
}

/**
 * `bail`: the file has something only csv-parse reads (or reports) as it should. `fallback`: reading by byte ranges
 * did not work out for this file (see readByRanges); reading it whole in every part will.
 */
export type PartOutcome =
  | { readonly kind: 'done'; readonly result: PartResult }
  | { readonly kind: 'bail'; readonly reason: string }
  | { readonly kind: 'fallback'; readonly reason: string };

const decodeUtf8 = (b: Uint8Array, s: number, e: number): string => (b as Buffer).toString('utf8', s, e);

function ownerOf(h: number, ownerBelow: readonly number[]): number {
  const u = h >>> 0;
  let k = 0;
  while (k < ownerBelow.length - 1 && u >= ownerBelow[k]!) k++;
  return k;
}

/** Whether a byte at the edge of an id may be trimmed away or be part of a non-ASCII character: then interpretRow reads it. */
function plainEdge(b: number): boolean {
  return b > 32 && b < 128;
}

/** Days of date cells parseDay has read before, by the cell's bytes; for date forms isoDayFromBytes does not take. */
class DayCache {
  private readonly days = new Map<string, number>();
  constructor(private readonly rules: RowRules) {}

  day(buf: Buffer, start: number, end: number): number {
    const key = buf.toString('latin1', start, end);
    let day = this.days.get(key);
    if (day === undefined) {
      // Exactly what interpretRow does with the cell: parseDay(text, rules.dates).
      day = parseDay(buf.toString('utf8', start, end), this.rules.dates) ?? NaN;
      if (this.days.size >= 1 << 16) this.days.clear();
      this.days.set(key, day);
    }
    return day;
  }
}

class TooBig extends Error {}
/** Reading by ranges: the first range does not end where a line does (the second range's start is inside quotes). */
class Misaligned extends Error {}
/** Reading by ranges: a line too long for the ring between the parts. */
class LineTooLong extends Error {}
/** Reading by ranges: a part met what would send the file to csv-parse (the message says what). */
class GaveUp extends Error {}

/** Why reading by ranges gives up, for an error one of the parts throws; undefined for any other error. */
function rangeFallback(err: unknown): string | undefined {
  if (err instanceof OutOfOrder) return 'order ids not in order';
  if (err instanceof Misaligned) return 'the ranges do not meet at a line break';
  if (err instanceof RingAborted) return 'the other part gave up';
  if (err instanceof LineTooLong) return 'a line longer than the ring';
  if (err instanceof TooBig) return 'more customers than a table holds, or an order id over 64 KiB';
  if (err instanceof GaveUp) return err.message;
  return undefined;
}

type Progress = (bytesDone: number, rowsDone: number) => void;

/** Reads one part of an orders file; see PartPlan. Synchronous: run it in a worker, or inline for small files. */
export function readPart(plan: PartPlan, onProgress?: Progress): PartOutcome {
  const fd = openSync(plan.path, 'r');
  try {
    if (plan.range) {
      const rings = { send: new Ring(plan.range.send), receive: new Ring(plan.range.receive) };
      const outcome = rangeOutcome(rings, () => {
        const reader = new PartReader(plan, fd, 'stream', rings);
        reader.readRange(onProgress);
        reader.drainRest();
        return reader.result();
      });
      if (outcome.kind !== 'fallback') return outcome;
      // The other part gives up as well (the rings say so): both read the whole file, each for its customers, here on
      // the threads that have their modules loaded already.
      // Progress is summed over parts reading ranges: half of each part's share of the whole file sums to their mean.
      return readPart({ ...plan, range: undefined }, onProgress && ((bytes, rows) => onProgress(bytes / 2, rows / 2)));
    }
    try {
      return new PartReader(plan, fd, 'stream').run(onProgress);
    } catch (err) {
      // Order ids not in order: read the part again, keeping every order (see OrderStream and OrderTable).
      if (!(err instanceof OutOfOrder)) throw err;
      return new PartReader(plan, fd, 'table').run(onProgress);
    }
  } catch (err) {
    if (err instanceof TooBig) return { kind: 'bail', reason: 'more customers than a table holds, or an order id over 64 KiB' };
    throw err;
  } finally {
    closeSync(fd);
  }
}

/** What a part reading a range comes to: its result, or `fallback` when reading by ranges gives up (both parts are told). */
function rangeOutcome(rings: { send: Ring; receive: Ring }, read: () => PartResult): PartOutcome {
  try {
    return { kind: 'done', result: read() };
  } catch (err) {
    const reason = rangeFallback(err);
    if (reason === undefined) throw err;
    rings.send.abort();
    rings.receive.abort();
    return { kind: 'fallback', reason };
  }
}

/**
 * Reads the two ranges of `plans` one after the other on this thread, through rings that grow (the threads'
 * rings are bounded, and each part waits for the other to take its lines): for tests of reading by ranges.
 */
export function readRangesHere(plans: readonly [PartPlan, PartPlan]): PartOutcome[] {
  const ab = new Ring(undefined);
  const ba = new Ring(undefined);
  const fds = plans.map((plan) => openSync(plan.path, 'r'));
  try {
    const readers: PartReader[] = [];
    const outcome = rangeOutcome({ send: ab, receive: ba }, () => {
      readers.push(new PartReader(plans[0], fds[0]!, 'stream', { send: ab, receive: ba }));
      readers.push(new PartReader(plans[1], fds[1]!, 'stream', { send: ba, receive: ab }));
      for (const r of readers) r.readRange();
      for (const r of readers) r.drainRest();
      return readers[0]!.result();
    });
    if (outcome.kind !== 'done') return [outcome];
    return [outcome, rangeOutcome({ send: ba, receive: ab }, () => readers[1]!.result())];
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

/**
 * Slots to start the customer table with: about one per 8 expected orders, at most 2^20 (16 MiB), so that a big file
 * does not rehash its way up from a small table (about 0.2 s for half a million customers) and a small one stays small.
 */
function customerSlots(expectedOrders: number): number {
  let slots = 1 << 12;
  while (slots < 1 << 20 && slots * 8 < expectedOrders) slots *= 2;
  return slots;
}

/** Rows whose table work is done together, so that their cache misses overlap (see CustomerTable.touch). */
const BATCH = 64;

class PartReader {
  private readonly tok: Tokenizer;
  // The batch: rows read and checked, waiting for their customer and order to be looked up.
  private batched = 0;
  private readonly bCustomerStart = new Int32Array(BATCH);
  private readonly bCustomerEnd = new Int32Array(BATCH);
  private readonly bCustomerHash = new Int32Array(BATCH);
  private readonly bOrderStart = new Int32Array(BATCH);
  private readonly bOrderEnd = new Int32Array(BATCH);
  private readonly bOrderHash = new Int32Array(BATCH);
  private readonly bOrderLength = new Int32Array(BATCH);
  private readonly bDay = new Int32Array(BATCH);
  private readonly bAmount = new Float64Array(BATCH);
  private readonly bCustomer = new Int32Array(BATCH);
  /** Where the touch values go, so that the loads that made them are kept. */
  sink = 0;
  private readonly window: FileWindow;
  private readonly customers: CustomerTable;
  /** Where the orders are kept, and where this part's own lines go (with ranges, the lane of its range). */
  private readonly store: OrderTable | OrderStream;
  private readonly orders: OrderSink;
  /** Reading by ranges: where the lines the other part sends go (the lane of its range), and the rings. */
  private readonly foreign: OrderSink | undefined;
  private readonly send: Ring | undefined;
  private readonly receive: Ring | undefined;
  private linesAtEnd = 0;
  /** Whether order ids are hashed: an OrderTable looks them up, an OrderStream only compares each with the last. */
  private readonly hashOrders: boolean;
  private readonly dayCache: DayCache;
  /** The last date cell read (its first lastDateLength bytes) and its day; see dayOf. */
  private readonly lastDate = new Uint8Array(64);
  private lastDateLength = -1;
  private lastDay = NaN;
  private readonly width: number;
  private readonly customerCol: number;
  private readonly dateCol: number;
  private readonly amountCol: number;
  private readonly quantityCol: number;
  private readonly priceCol: number;
  private readonly orderCol: number;
  private readonly asOf: number;
  private readonly isoDates: boolean;
  private readonly utc: boolean;
  /** Whether this part owns every row it reads (the only part). */
  private readonly single: boolean;
  /** Whether this part takes the rows of no customer (a wrong field count, an empty customer). */
  private readonly ownsOrphans: boolean;
  private rowsRead = 0;
  private rowsUsed = 0;
  private readonly skipped: Record<string, number> = { empty_customer: 0, after_as_of: 0 };
  private latestDay = NaN;
  private rejected = 0;
  private readonly rejects: Reject[] = [];
  private readonly preview: { line: number; order: OrderLine }[] = [];
  private readonly amountMark: number;
  private readonly quantityMark: number;
  private readonly priceMark: number;

  /** `orders`: how orders are kept: summed up as read while their ids are in order (`stream`), or every one (`table`). */
  constructor(
    private readonly plan: PartPlan,
    private readonly fd: number,
    orders: 'stream' | 'table',
    rings?: { send: Ring; receive: Ring },
  ) {
    this.tok = new Tokenizer(plan.delimiter, plan.maxRecordBytes);
    this.window = { fd, block: new Uint8Array(0), blockStart: 0, blockEnd: 0 };
    if (orders === 'stream') {
      const lanes = rings ? 2 : 1;
      const stream = new OrderStream(plan.expectedOrders, customerSlots(plan.expectedOrders), plan.frequency, lanes);
      this.store = stream;
      this.orders = stream.lane(rings ? plan.part : 0);
      this.foreign = rings ? stream.lane(1 - plan.part) : undefined;
    } else {
      this.store = this.orders = new OrderTable(this.window, plan.expectedOrders, plan.size > 2 ** 31 - 1, plan.frequency);
    }
    this.send = rings?.send;
    this.receive = rings?.receive;
    this.hashOrders = orders === 'table';
    this.customers = new CustomerTable(customerSlots(plan.expectedOrders));
    this.dayCache = new DayCache(plan.rules);
    const { columns, dates } = plan.rules;
    this.width = plan.rules.width;
    this.customerCol = columns.customer;
    this.dateCol = columns.date;
    this.amountCol = columns.amount ?? -1;
    this.quantityCol = columns.quantity ?? -1;
    this.priceCol = columns.price ?? -1;
    this.orderCol = columns.order ?? -1;
    this.asOf = plan.rules.asOf ?? Infinity;
    // The byte-level date reader knows parseDay's built-in forms only: any other DateSpec goes through parseDay.
    this.isoDates = dates.format === undefined && Object.keys(dates).every((k) => k === 'format' || k === 'timeZone');
    this.utc = dates.timeZone === 'UTC';
    this.single = plan.ownerBelow.length === 1;
    // With ranges, each part reads every line of its range.
    this.ownsOrphans = this.single || plan.part === 0 || rings !== undefined;
    const mark = (role: 'amount' | 'quantity' | 'price') => ((plan.rules.marks?.[role] ?? '.') === ',' ? 44 : 46);
    this.amountMark = mark('amount');
    this.quantityMark = mark('quantity');
    this.priceMark = mark('price');
  }

  run(onProgress?: Progress): PartOutcome {
    const bail = this.readAll(onProgress);
    return bail === undefined ? { kind: 'done', result: this.result() } : { kind: 'bail', reason: bail };
  }

  private sha: ReturnType<typeof createHash> | undefined;
  private utf8 = true;

  /**
   * Reads the part's bytes: the whole file's data, or its range. Returns why the file is left to csv-parse, if it is.
   * Reading by ranges, that throws instead (see rangeFallback): the range, not the file, may be what is wrong.
   */
  readAll(onProgress?: Progress): string | undefined {
    const plan = this.plan;
    const range = plan.range;
    const from = range?.start ?? plan.dataStart;
    const to = range?.end ?? plan.size;
    const sha = plan.hashInput ? createHash('sha256') : undefined;
    this.sha = sha;
    // A part reading a range is the only one to see its bytes.
    const checkUtf8 = plan.checkUtf8 || range !== undefined;
    if ((sha || checkUtf8) && from === plan.dataStart) {
      const head = Buffer.allocUnsafe(plan.dataStart);
      this.readFully(head, 0, plan.dataStart, 0);
      sha?.update(head);
      if (checkUtf8) this.utf8 = isUtf8(head);
    }
    let buf = Buffer.allocUnsafe(Math.min(plan.blockSize, to - from) + 1);
    let fileAt = from; // file offset of buf[0]
    let filled = 0;
    const tok = this.tok;
    tok.lines = range?.lines ?? plan.linesAtDataStart;
    let lastReport = 0;
    for (;;) {
      const want = Math.min(buf.length - 1 - filled, to - fileAt - filled);
      if (want > 0) {
        const got = this.readFully(buf, filled, want, fileAt + filled);
        if (got < want) return 'the file got shorter while it was read';
        filled += got;
      }
      const eof = fileAt + filled >= plan.size;
      tok.load(buf, 0, filled, eof);
      this.window.block = buf;
      this.window.blockStart = fileAt;
      this.window.blockEnd = filled;
      let step;
      while ((step = tok.next()) === 0) this.onRecord();
      this.flush(); // the batch points into buf, which is about to change
      this.orders.keepLast();
      if (this.send) this.exchange();
      if (step === BAIL) return 'quoting that csv-parse reports, or a record over the size limit';
      const used = tok.pos;
      if (used > 0) {
        const done = buf.subarray(0, used);
        sha?.update(done);
        if (checkUtf8 && this.utf8) this.utf8 = isUtf8(done);
      }
      if (step === END) break;
      if (fileAt + filled >= to) {
        // The end of a range that is not the file's: it must end where a line does.
        if (used !== filled) throw new Misaligned();
        this.linesAtEnd = tok.lines;
        break;
      }
      // NEED_MORE: keep the unfinished record, grow the buffer when it alone fills it.
      if (used === 0) {
        if (buf.length - 1 >= plan.maxRecordBytes + 2) return 'a record over the size limit';
        const bigger = Buffer.allocUnsafe((buf.length - 1) * 2 + 1);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      } else {
        buf.copy(buf, 0, used, filled);
        filled -= used;
        fileAt += used;
      }
      if (onProgress && fileAt - lastReport >= 1 << 25) {
        lastReport = fileAt;
        onProgress(fileAt - from, this.rowsRead);
      }
    }
    if (!this.utf8) return 'bytes that are not UTF-8';
    this.send?.finish();
    return undefined;
  }

  /**
   * readAll for a part reading a range: what would send the file to csv-parse gives up on ranges instead (a part 1 that
   * starts inside quotes may see bad quoting that is not there; reading the file whole tells).
   */
  readRange(onProgress?: Progress): void {
    const bail = this.readAll(onProgress);
    if (bail !== undefined) throw new GaveUp(bail);
  }

  /** The part's customers and their facts, once every line is in. */
  result(): PartResult {
    const { customers, store } = this;
    // Put in id order and summed up here, on the part's own thread: the orders themselves never cross to the main
    // thread, and it only has to merge the parts' sorted lists.
    const { order, text, ends, keys } = customers.sortedIds();
    const position = new Int32Array(order.length);
    for (let i = 0; i < order.length; i++) position[order[i]!] = i;
    const facts = store.facts(customers.count, position);
    return {
      rowsRead: this.rowsRead,
      rowsUsed: this.rowsUsed,
      skipped: this.skipped,
      latestDay: this.latestDay,
      rejected: this.rejected,
      rejects: this.rejects,
      idText: text,
      idEnds: ends,
      ...(keys ? { idKeys: keys } : {}),
      orderCount: store.count,
      facts,
      sha256: this.sha?.digest('hex'),
      utf8: this.utf8,
      rereads: store.rereads,
      streamed: store instanceof OrderStream,
      preview: this.preview,
      ranged: this.send !== undefined,
      linesAtEnd: this.linesAtEnd,
    };
  }

  /** Reading by ranges: lets the other part see the lines sent so far, and takes in those it sent. */
  private exchange(): void {
    this.send!.publish();
    this.drain();
    this.checkAborted();
  }

  /** Stops reading by ranges once either part has given up on them. */
  private checkAborted(): void {
    if (this.send!.aborted || this.receive!.aborted) throw new RingAborted();
  }

  /** While the ring to the other part is full: this part's batch in, the other's lines in, then a short wait. */
  private readonly waitForRoom = (): void => {
    this.flush();
    this.drain();
    this.checkAborted();
    this.send!.waitForTail(1);
  };

  /** Takes in the lines the other part has sent so far (its customers' lines of its range), through the batch. */
  private drain(): void {
    const ring = this.receive!;
    let pos = ring.readAt;
    const head = ring.available();
    if (pos === head) return;
    const words = ring.words;
    const amounts = ring.amounts;
    while (pos !== head) {
      const at = ring.lineAt(pos);
      const next = ring.after(pos, at);
      const b = (at + LINE_WORDS) * 4;
      const customerEnd = b + words[at]!;
      const k = this.batched++;
      this.bCustomerStart[k] = b;
      this.bCustomerEnd[k] = customerEnd;
      this.bCustomerHash[k] = words[at + 2]!;
      this.bOrderStart[k] = customerEnd;
      this.bOrderEnd[k] = customerEnd + words[at + 1]!;
      this.bDay[k] = words[at + 3]!;
      this.bAmount[k] = amounts[(at + 4) >> 1]!;
      if (k + 1 === BATCH) this.flush(ring.bytes, this.foreign!, 0);
      pos = next;
    }
    this.flush(ring.bytes, this.foreign!, 0);
    this.foreign!.keepLast(); // before the lines' room is reused
    ring.release(pos);
  }

  /**
   * Reading by ranges, once this part's range is read: takes in the other part's lines until it has sent its last.
   * On one thread (readRangesHere), the other part has read its range by now.
   */
  drainRest(): void {
    const ring = this.receive!;
    for (;;) {
      const done = ring.producerDone;
      this.drain();
      this.checkAborted();
      if (done && ring.readAt === ring.available()) return;
      ring.waitForHead(ring.readAt, 5);
    }
  }

  /** A line of a customer the other part owns, sent to it. */
  private sendLine(customer: Uint8Array, cs: number, ce: number, hash: number, order: Uint8Array, os: number, oe: number, day: number, amount: number): void {
    if (!this.send!.put(customer, cs, ce, hash, order, os, oe, day, amount, this.waitForRoom)) throw new LineTooLong();
  }

  private readFully(buf: Buffer, at: number, length: number, position: number): number {
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, buf, at + got, length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return got;
  }

  /** One data record: the common case in bytes, anything else through slowRow (interpretRow). */
  private onRecord(): void {
    const tok = this.tok;
    if (tok.fieldCount !== this.width) {
      if (this.ownsOrphans) {
        this.rowsRead++;
        this.slowRow();
      }
      return;
    }
    const buf = tok.buf as Buffer;
    const starts = tok.fieldStart;
    const ends = tok.fieldEnd;
    const flags = tok.fieldFlags;
    const c = this.customerCol;
    const cs = starts[c]!;
    const ce = ends[c]!;
    if (flags[c]! & ESCAPED) return this.claimSlow();
    if (cs === ce) {
      if (this.ownsOrphans) {
        this.rowsRead++;
        this.skipped.empty_customer!++;
      }
      return;
    }
    let h = FNV_OFFSET;
    let high = 0;
    for (let i = cs; i < ce; i++) {
      const b = buf[i]!;
      high |= b;
      h = Math.imul(h ^ b, FNV_PRIME);
    }
    if (high >= 128 || !plainEdge(buf[cs]!) || !plainEdge(buf[ce - 1]!)) return this.claimSlow();
    h = mix32(h);
    let foreign = false;
    if (!this.single && ownerOf(h, this.plan.ownerBelow) !== this.plan.part) {
      if (this.send === undefined) return;
      foreign = true;
    }
    this.rowsRead++;

    const d = this.dateCol;
    if (flags[d]! & ESCAPED) return this.slowRow();
    const day = this.dayOf(buf, starts[d]!, ends[d]!);
    if (day !== day) return this.slowRow();
    if (day > this.asOf) {
      this.skipped.after_as_of!++;
      return;
    }
    let amount: number;
    const a = this.amountCol;
    if (a >= 0) {
      amount = flags[a]! & ESCAPED ? NaN : numberFromBytes(buf, starts[a]!, ends[a]!, this.amountMark);
      if (amount !== amount) return this.slowRow();
    } else {
      const q = this.quantityCol;
      const p = this.priceCol;
      const quantity = flags[q]! & ESCAPED ? NaN : numberFromBytes(buf, starts[q]!, ends[q]!, this.quantityMark);
      const price = flags[p]! & ESCAPED ? NaN : numberFromBytes(buf, starts[p]!, ends[p]!, this.priceMark);
      if (quantity !== quantity || price !== price) return this.slowRow();
      amount = multiplyMoney(quantity, price);
    }
    const o = this.orderCol;
    let os = 0;
    let oe = 0;
    let oh = FNV_OFFSET;
    if (o >= 0) {
      if (flags[o]! & ESCAPED) return this.slowRow();
      os = starts[o]!;
      oe = ends[o]!;
      if (oe > os) {
        let high = 0;
        if (this.hashOrders) {
          for (let i = os; i < oe; i++) {
            const b = buf[i]!;
            high |= b;
            oh = Math.imul(oh ^ b, FNV_PRIME);
          }
        } else {
          for (let i = os; i < oe; i++) high |= buf[i]!;
        }
        if (high >= 128 || !plainEdge(buf[os]!) || !plainEdge(buf[oe - 1]!)) return this.slowRow();
        if (oe - os > MAX_ORDER_ID_BYTES) throw new TooBig();
      }
    }
    if (this.preview.length < this.plan.preview) return this.slowRow(); // keeps the line as interpretRow gives it
    this.rowsUsed++;
    if (!(day <= this.latestDay)) this.latestDay = day;
    if (foreign) return this.sendLine(buf, cs, ce, h, buf, os, oe, day, amount);
    const k = this.batched++;
    this.bCustomerStart[k] = cs;
    this.bCustomerEnd[k] = ce;
    this.bCustomerHash[k] = h;
    this.bOrderStart[k] = os;
    this.bOrderEnd[k] = oe;
    this.bOrderHash[k] = mix32(oh);
    this.bDay[k] = day;
    this.bAmount[k] = amount;
    if (k + 1 === BATCH) this.flush();
  }

  /**
   * The day of the date cell `buf[start..end)`, NaN when the byte-level readers cannot tell it. The last cell's day is
   * kept: exports come in date order, so a row's date is mostly the row before's, and comparing ten bytes is cheaper
   * than reading them (0.2 s of a reader's 10M rows went to isoDayFromBytes).
   */
  private dayOf(buf: Uint8Array, start: number, end: number): number {
    const n = end - start;
    const last = this.lastDate;
    if (n === this.lastDateLength) {
      let i = 0;
      while (i < n && last[i] === buf[start + i]) i++;
      if (i === n) return this.lastDay;
    }
    let day = this.isoDates ? isoDayFromBytes(buf, start, end, this.utc) : NaN;
    if (day !== day) day = this.dayCache.day(buf as Buffer, start, end);
    if (n <= last.length) {
      for (let i = 0; i < n; i++) last[i] = buf[start + i]!;
      this.lastDateLength = n;
      this.lastDay = day;
    }
    return day;
  }

  /**
   * Adds the batched rows to the tables, in file order: rows of `buf` (the block read, or the ring from the other part)
   * into `orders`. `fileStart`: the file offset of buf[0], for an OrderTable.
   */
  private flush(buf = this.tok.buf, orders = this.orders, fileStart = this.window.blockStart): void {
    const n = this.batched;
    if (n === 0) return;
    this.batched = 0;
    const customers = this.customers;
    const customerOf = this.bCustomer;
    let sink = customers.touch(this.bCustomerHash, n);
    for (let k = 0; k < n; k++) {
      const c = customers.intern(buf, this.bCustomerStart[k]!, this.bCustomerEnd[k]!, this.bCustomerHash[k]!);
      if (c < 0) throw new TooBig();
      customerOf[k] = c;
    }
    const hashes = this.bOrderHash;
    const lengths = this.bOrderLength;
    if (this.hashOrders) {
      for (let k = 0; k < n; k++) {
        hashes[k] = orderHash(hashes[k]!, customerOf[k]!);
        lengths[k] = this.bOrderEnd[k]! - this.bOrderStart[k]!;
      }
    }
    sink ^= orders.touch(hashes, lengths, n, customerOf);
    for (let k = 0; k < n; k++) {
      const os = this.bOrderStart[k]!;
      const oe = this.bOrderEnd[k]!;
      if (oe > os) orders.addKeyed(customerOf[k]!, hashes[k]!, buf, os, oe, fileStart + os, this.bDay[k]!, this.bAmount[k]!);
      else orders.addUnkeyed(customerOf[k]!, this.bDay[k]!, this.bAmount[k]!);
    }
    this.sink ^= sink;
  }

  /** A row whose customer cell needs decoding: its owner is told by the decoded, trimmed id, as interpretRow reads it. */
  private claimSlow(): void {
    const tok = this.tok;
    const c = this.customerCol;
    const text = fieldText(tok.buf, tok.fieldStart[c]!, tok.fieldEnd[c]!, tok.fieldFlags[c]!, decodeUtf8).trim();
    // Reading by ranges, every row of the range is read here (slowRow sends a line to its owner).
    const own = this.send !== undefined || (text === '' ? this.ownsOrphans : this.single || ownerOf(hashString(text), this.plan.ownerBelow) === this.plan.part);
    if (!own) return;
    this.rowsRead++;
    this.slowRow();
  }

  /** A row this part owns (already counted as read), decided by interpretRow. */
  private slowRow(): void {
    this.flush(); // rows before this one reach the tables first: first-seen order and order creation follow the file
    const tok = this.tok;
    const fields: string[] = [];
    for (let i = 0; i < tok.fieldCount; i++) {
      fields.push(fieldText(tok.buf, tok.fieldStart[i]!, tok.fieldEnd[i]!, tok.fieldFlags[i]!, decodeUtf8));
    }
    const meaning = interpretRow(fields, this.plan.rules);
    if (meaning.kind === 'line') {
      const { line } = meaning;
      if (this.preview.length < this.plan.preview) this.preview.push({ line: tok.recLines - lineBreaksIn(fields), order: line });
      const id = Buffer.from(line.customer, 'utf8');
      const h = hashBytes(id, 0, id.length);
      this.rowsUsed++;
      if (!(line.day <= this.latestDay)) this.latestDay = line.day;
      if (this.send !== undefined && ownerOf(h, this.plan.ownerBelow) !== this.plan.part) {
        const order = Buffer.from(line.order, 'utf8');
        if (order.length > MAX_ORDER_ID_BYTES) throw new TooBig();
        return this.sendLine(id, 0, id.length, h, order, 0, order.length, line.day, line.amount);
      }
      const customer = this.customers.intern(id, 0, id.length, h);
      if (customer < 0) throw new TooBig();
      if (line.order === '') {
        this.orders.addUnkeyed(customer, line.day, line.amount);
      } else {
        const order = Buffer.from(line.order, 'utf8');
        if (order.length > MAX_ORDER_ID_BYTES) throw new TooBig();
        this.orders.addKeyed(customer, orderHash(hashBytes(order, 0, order.length), customer), order, 0, order.length, -1, line.day, line.amount);
      }
    } else if (meaning.kind === 'skip') {
      this.skipped[meaning.reason] = (this.skipped[meaning.reason] ?? 0) + 1;
    } else {
      this.rejected++;
      if (this.rejects.length < this.plan.maxListedRejects) {
        const p = meaning.problem;
        this.rejects.push({
          file: this.plan.file,
          line: tok.recLines - lineBreaksIn(fields),
          column: p.column,
          reason: p.kind,
          message: describeProblem(p, this.plan.header),
          raw: decodeUtf8(tok.buf, tok.recStart, tok.recEnd),
        });
      }
    }
  }
}

function hashString(text: string): number {
  const b = Buffer.from(text, 'utf8');
  return hashBytes(b, 0, b.length);
}
