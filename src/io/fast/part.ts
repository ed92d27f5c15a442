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
import { CustomerTable, FNV_OFFSET, FNV_PRIME, hashBytes, MAX_ORDER_ID_BYTES, mix32, OrderStream, OrderTable, OutOfOrder, orderHash, type FileWindow } from './tables.js';
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
}

export type PartOutcome = { readonly kind: 'done'; readonly result: PartResult } | { readonly kind: 'bail'; readonly reason: string };

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

/** Reads one part of an orders file; see PartPlan. Synchronous: run it in a worker, or inline for small files. */
export function readPart(plan: PartPlan, onProgress?: (bytesDone: number, rowsDone: number) => void): PartOutcome {
  const fd = openSync(plan.path, 'r');
  try {
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
  private readonly orders: OrderTable | OrderStream;
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
  ) {
    this.tok = new Tokenizer(plan.delimiter, plan.maxRecordBytes);
    this.window = { fd, block: new Uint8Array(0), blockStart: 0, blockEnd: 0 };
    this.orders =
      orders === 'stream'
        ? new OrderStream(plan.expectedOrders, customerSlots(plan.expectedOrders), plan.frequency)
        : new OrderTable(this.window, plan.expectedOrders, plan.size > 2 ** 31 - 1, plan.frequency);
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
    this.ownsOrphans = this.single || plan.part === 0;
    const mark = (role: 'amount' | 'quantity' | 'price') => ((plan.rules.marks?.[role] ?? '.') === ',' ? 44 : 46);
    this.amountMark = mark('amount');
    this.quantityMark = mark('quantity');
    this.priceMark = mark('price');
  }

  run(onProgress?: (bytesDone: number, rowsDone: number) => void): PartOutcome {
    const plan = this.plan;
    const sha = plan.hashInput ? createHash('sha256') : undefined;
    let utf8 = true;
    if (sha || plan.checkUtf8) {
      const head = Buffer.allocUnsafe(plan.dataStart);
      this.readFully(head, 0, plan.dataStart, 0);
      sha?.update(head);
      if (plan.checkUtf8) utf8 = isUtf8(head);
    }
    let buf = Buffer.allocUnsafe(Math.min(plan.blockSize, plan.size - plan.dataStart) + 1);
    let fileAt = plan.dataStart; // file offset of buf[0]
    let filled = 0;
    const tok = this.tok;
    tok.lines = plan.linesAtDataStart;
    let lastReport = 0;
    for (;;) {
      const want = Math.min(buf.length - 1 - filled, plan.size - fileAt - filled);
      if (want > 0) {
        const got = this.readFully(buf, filled, want, fileAt + filled);
        if (got < want) return { kind: 'bail', reason: 'the file got shorter while it was read' };
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
      if (step === BAIL) return { kind: 'bail', reason: 'quoting that csv-parse reports, or a record over the size limit' };
      const used = tok.pos;
      if (used > 0) {
        const done = buf.subarray(0, used);
        sha?.update(done);
        if (plan.checkUtf8 && utf8) utf8 = isUtf8(done);
      }
      if (step === END) break;
      // NEED_MORE: keep the unfinished record, grow the buffer when it alone fills it.
      if (used === 0) {
        if (buf.length - 1 >= plan.maxRecordBytes + 2) return { kind: 'bail', reason: 'a record over the size limit' };
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
        onProgress(fileAt - plan.dataStart, this.rowsRead);
      }
    }
    if (!utf8) return { kind: 'bail', reason: 'bytes that are not UTF-8' };
    const { customers, orders } = this;
    // Put in id order and summed up here, on the part's own thread: the orders themselves never cross to the main
    // thread, and it only has to merge the parts' sorted lists.
    const { order, text, ends } = customers.sortedIds();
    const position = new Int32Array(order.length);
    for (let i = 0; i < order.length; i++) position[order[i]!] = i;
    const facts = orders.facts(customers.count, position);
    return {
      kind: 'done',
      result: {
        rowsRead: this.rowsRead,
        rowsUsed: this.rowsUsed,
        skipped: this.skipped,
        latestDay: this.latestDay,
        rejected: this.rejected,
        rejects: this.rejects,
        idText: text,
        idEnds: ends,
        orderCount: orders.count,
        facts,
        sha256: sha?.digest('hex'),
        utf8,
        rereads: orders.rereads,
        streamed: orders instanceof OrderStream,
        preview: this.preview,
      },
    };
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
    if (!this.single && ownerOf(h, this.plan.ownerBelow) !== this.plan.part) return;
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

  /** Adds the batched rows to the tables, in file order. */
  private flush(): void {
    const n = this.batched;
    if (n === 0) return;
    this.batched = 0;
    const buf = this.tok.buf;
    const customers = this.customers;
    const orders = this.orders;
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
    const fileStart = this.window.blockStart;
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
    if (text === '' ? !this.ownsOrphans : !this.single && ownerOf(hashString(text), this.plan.ownerBelow) !== this.plan.part) return;
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
      const customer = this.customers.intern(id, 0, id.length, hashBytes(id, 0, id.length));
      if (customer < 0) throw new TooBig();
      this.rowsUsed++;
      if (!(line.day <= this.latestDay)) this.latestDay = line.day;
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
