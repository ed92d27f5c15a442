import { readSync } from 'node:fs';
import { distinctDays, factColumns, permuted } from '../../core/customers.js';
import { asciiIdSort, idOrder } from '../../core/id-order.js';
import type { FrequencyCount } from '../../core/presets.js';
import type { FactColumns } from '../../core/types.js';

// Hash tables keyed by bytes, for the fast reader: a million customers and ten million orders without a JavaScript
// string or Map entry for each. Open addressing with linear probing over Int32Arrays whose slots hold the hash next to
// the entry, so a probe touches one cache line and a table grows without reading any key again. Memory, not
// arithmetic, is what these lookups cost (a cache and TLB miss each), which is what most choices here are about.

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** Final mix of MurmurHash3: spreads every input bit over the whole word. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** FNV-1a of `b[start..end)`, mixed. The fast reader's hot loop computes the same thing inline. */
export function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i]!, FNV_PRIME);
  return mix32(h);
}

/** The hash of an order id within a customer: the same id under two customers is two orders. */
export function orderHash(idHash: number, customer: number): number {
  return mix32(idHash ^ Math.imul(customer + 1, 0x9e3779b1));
}

function grown<T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** Ids up to this many bytes are kept in the slot itself; a lookup then touches one cache line and nothing else. */
const INLINE_BYTES = 8;
const LONG_ID = 15; // the length field of a slot whose id is longer than INLINE_BYTES
/** Customer numbers fit in 27 bits next to the 4-bit length in a slot word. */
export const MAX_CUSTOMERS = (1 << 27) - 1;

/** Bytes 0–3 (`from` = 0) or 4–7 (`from` = 4) of an id, little-endian, zero past its end. */
function idWord(src: Uint8Array, start: number, end: number, from: number): number {
  let w = 0;
  for (let i = Math.min(end, start + from + 4) - 1; i >= start + from; i--) w = (w << 8) | src[i]!;
  return w;
}

/**
 * ASCII ids' first eight bytes as sort keys, in id order (see asciiIdSort): two ids whose keys differ are in the
 * keys' order; equal keys are ids of more than 8 bytes that share them.
 */
export interface IdKeys {
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
}

/**
 * Customers by id bytes, numbered in the order first seen, with the id bytes kept (they become the ids at the end).
 * A slot is four words: the id's hash, (number + 1) | length << 27, and the id's first eight bytes.
 */
export class CustomerTable {
  count = 0;
  private slots: Int32Array;
  private mask: number;
  /** Customer i's id is `arena[keyStart[i]..keyStart[i + 1])`. */
  keyStart: Int32Array;
  arena: Uint8Array;

  /** `capacity`: slots to start with, a power of two (the table doubles when 70% full). */
  constructor(capacity = 1 << 12) {
    this.slots = new Int32Array(capacity * 4);
    this.mask = capacity - 1;
    this.keyStart = new Int32Array(capacity + 1);
    this.arena = new Uint8Array(capacity * 8);
  }


  /**
   * The number of the customer whose id is `src[start..end)` (hash `h` from hashBytes), adding it when new; −1 when a
   * table already holds MAX_CUSTOMERS.
   */
  intern(src: Uint8Array, start: number, end: number, h: number): number {
    const len = end - start;
    const lenField = len <= INLINE_BYTES ? len : LONG_ID;
    const w0 = idWord(src, start, end, 0);
    const w1 = idWord(src, start, end, 4);
    const slots = this.slots;
    const mask = this.mask;
    let j = h & mask;
    for (;;) {
      const at = 4 * j;
      const v = slots[at + 1]!;
      if (v === 0) break;
      if (slots[at] === h && v >>> 27 === lenField && slots[at + 2] === w0 && slots[at + 3] === w1) {
        const index = (v & MAX_CUSTOMERS) - 1;
        if (lenField !== LONG_ID || this.idEquals(index, src, start, end)) return index;
      }
      j = (j + 1) & mask;
    }
    const index = this.count;
    if (index >= MAX_CUSTOMERS) return -1;
    if (index + 1 === this.keyStart.length) this.growEntries();
    let at = this.keyStart[index]!;
    if (at + len > this.arena.length) this.arena = grown(this.arena, Math.max(this.arena.length * 2, at + len));
    const arena = this.arena;
    for (let i = 0; i < len; i++) arena[at++] = src[start + i]!;
    this.keyStart[index + 1] = at;
    slots[4 * j] = h;
    slots[4 * j + 1] = (index + 1) | (lenField << 27);
    slots[4 * j + 2] = w0;
    slots[4 * j + 3] = w1;
    this.count = index + 1;
    // A load of at most 0.7 keeps probes short; they pay on every row.
    if (this.count > (mask + 1) * 0.7) this.rehash();
    return index;
  }

  /**
   * Loads the slots intern will look at for the first `n` hashes, without one load waiting for another: the processor
   * then waits for many cache misses at once rather than one after another. The result means nothing; keep it so the
   * loads are not dropped.
   */
  touch(hashes: Int32Array, n: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let t = 0;
    for (let k = 0; k < n; k++) t ^= slots[4 * (hashes[k]! & mask) + 1]!;
    return t;
  }

  /**
   * The customers in id order (see idOrder): `order[k]` is the number of the k-th, and `text` their ids one after
   * another, the k-th ending at `ends[k]` (in UTF-16 code units). Ids all in ASCII (nearly always) are sorted and joined
   * as bytes and made one string, not half a million: those, sent to the main thread one by one, took 0.13–0.15 s to
   * pack, walking strings that lie in memory in the order first seen. Call it once, after the last intern: the sort
   * writes over the hash slots (no fresh memory to touch, 12 MB less of it for half a million ids), so nothing can be
   * looked up after it.
   */
  sortedIds(): { order: Int32Array; text: string; ends: Int32Array; keys?: IdKeys } {
    const n = this.count;
    const arena = this.arena;
    const starts = this.keyStart;
    const used = starts[n]!;
    let high = 0;
    for (let i = 0; i < used; i++) high |= arena[i]!;
    const ends = new Int32Array(n);
    if (high >= 128) {
      const ids = this.ids();
      const order = idOrder(ids);
      let end = 0;
      for (let k = 0; k < n; k++) ends[k] = end += ids[order[k]!]!.length;
      return { order, text: permuted(ids, order).join(''), ends };
    }
    const { order, hi, lo, longest } = asciiIdSort(arena, starts, n, this.spend());
    const joined = Buffer.allocUnsafe(used);
    let at = 0;
    if (longest <= 8) {
      // The sorted keys are the ids: read in order, not looked up in the arena id by id.
      for (let k = 0; k < n; k++) {
        for (let word = hi[k]!, shift = 24; shift >= 0 && (word >>> shift) & 0xff; shift -= 8) joined[at++] = ((word >>> shift) & 0xff) - 1;
        for (let word = lo[k]!, shift = 24; shift >= 0 && (word >>> shift) & 0xff; shift -= 8) joined[at++] = ((word >>> shift) & 0xff) - 1;
        ends[k] = at;
      }
    } else {
      for (let k = 0; k < n; k++) {
        const c = order[k]!;
        for (let i = starts[c]!, end = starts[c + 1]!; i < end; i++) joined[at++] = arena[i]!;
        ends[k] = at;
      }
    }
    return { order, text: joined.toString('latin1', 0, used), ends, keys: { hi, lo } };
  }

  /** The hash slots' memory, for sortedIds to write over; the table finds no customer after it. */
  private spend(): ArrayBuffer {
    const room = this.slots.buffer as ArrayBuffer;
    this.slots = new Int32Array(4);
    this.mask = 0;
    return room;
  }

  /** Every customer's id as text, by number (for sortedIds, when some are not ASCII). */
  private ids(): string[] {
    const arena = Buffer.from(this.arena.buffer, this.arena.byteOffset, this.arena.length);
    const ids = new Array<string>(this.count);
    for (let i = 0; i < ids.length; i++) ids[i] = arena.toString('utf8', this.keyStart[i]!, this.keyStart[i + 1]!);
    return ids;
  }

  private idEquals(index: number, src: Uint8Array, start: number, end: number): boolean {
    const from = this.keyStart[index]!;
    if (this.keyStart[index + 1]! - from !== end - start) return false;
    const arena = this.arena;
    for (let i = start, k = from; i < end; i++, k++) if (arena[k] !== src[i]) return false;
    return true;
  }

  private rehash(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    const slots = new Int32Array(capacity * 4);
    const mask = capacity - 1;
    for (let i = 0; i < old.length; i += 4) {
      if (old[i + 1] === 0) continue;
      let j = old[i]! & mask;
      while (slots[4 * j + 1] !== 0) j = (j + 1) & mask;
      slots.set(old.subarray(i, i + 4), 4 * j);
    }
    this.slots = slots;
    this.mask = mask;
  }

  private growEntries(): void {
    this.keyStart = grown(this.keyStart, (this.keyStart.length - 1) * 2 + 1);
  }
}

/**
 * The file being read, so that an order id can be kept as its place in the file rather than as bytes. The block in
 * memory is compared directly; an id further back is read again with one pread (and then copied into the table, so
 * that happens at most once per order).
 */
export interface FileWindow {
  readonly fd: number;
  block: Uint8Array;
  /** File offset of block[0]. */
  blockStart: number;
  blockEnd: number;
}

/** Orders grouped by customer: customer c's are `day[start[c]..start[c + 1])`, each customer's in the order created. */
export interface GroupedOrders {
  readonly start: Int32Array;
  readonly day: Int32Array;
  readonly amount: Int32Array | Float64Array;
}

/** Highest share of slots in use; above it the table grows by half. */
const MAX_LOAD = 0.8;
/** Order ids longer than this are not kept by the table (the caller reads such a file with csv-parse). */
export const MAX_ORDER_ID_BYTES = 0xffff;
/** An amount that is not a 32-bit integer (or is −0) is kept in a Map; its Int32 slot holds this. */
const BIG = -0x80000000;
/** The low byte of a slot's first word is the id's length, this for ids of 255 bytes or more. */
const LONG = 0xff;

/** Puts [word, value] in the first free slot from the word's place (a table with `capacity` slot pairs). */
function insertSlot(slots: Int32Array, capacity: number, scale: number, word: number, value: number): void {
  let j = ((word >>> 0) * scale) | 0;
  while (slots[2 * j + 1] !== 0) if (++j === capacity) j = 0;
  slots[2 * j] = word;
  slots[2 * j + 1] = value;
}

/** `a` with room for `size` elements, its first `keep` kept. */
function resized<T extends Int32Array>(a: T | undefined, size: number, keep: number): T {
  const b = new Int32Array(size) as T;
  if (a !== undefined && keep > 0) b.set(a.subarray(0, keep));
  return b;
}

/** The first word of the slot of an id: its hash with the id's length (up to LONG) in the low byte. */
function slotWord(h: number, length: number): number {
  return (h & ~0xff) | (length < LONG ? length : LONG);
}

/** An order id seen last, compared with the next: `src[start..end)` while its block is read, then a copy. */
class LastId {
  private source: Uint8Array = new Uint8Array(0);
  private start = 0;
  private length = 0;
  private copy = Buffer.alloc(64);

  set(src: Uint8Array, start: number, end: number): void {
    this.source = src;
    this.start = start;
    this.length = end - start;
  }

  /** Sign of (id − this id): by length, then byte by byte. */
  compare(src: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (length !== this.length) return length - this.length;
    const last = this.source;
    const from = this.start;
    for (let i = 0; i < length; i++) {
      const d = src[start + i]! - last[from + i]!;
      if (d !== 0) return d;
    }
    return 0;
  }

  /** Sign of (other's id − this id), as compare. */
  compareTo(other: LastId): number {
    return this.compare(other.source, other.start, other.start + other.length);
  }

  /** Makes this a copy of `other`'s id. */
  assign(other: LastId): void {
    const length = other.length;
    if (length > this.copy.length) this.copy = Buffer.alloc(length * 2);
    this.copy.set(other.source.subarray(other.start, other.start + length));
    this.source = this.copy;
    this.start = 0;
    this.length = length;
  }

  /** The block the id was read from is about to be reused: keep a copy. */
  keep(): void {
    if (this.source === this.copy) return;
    if (this.length > this.copy.length) this.copy = Buffer.alloc(this.length * 2);
    this.copy.set(this.source.subarray(this.start, this.start + this.length));
    this.source = this.copy;
    this.start = 0;
  }
}

/** Thrown by OrderStream when an order id comes out of order: the part is then read again with an OrderTable. */
export class OutOfOrder extends Error {}

/** Where an OrderStream's lines go: one lane per stretch of the file (see OrderStream.lane). */
export interface OrderSink {
  touch(hashes: Int32Array, lengths: Int32Array, n: number, customerOf: Int32Array): number;
  keepLast(): void;
  addUnkeyed(customer: number, day: number, amount: number): void;
  addKeyed(customer: number, h: number, src: Uint8Array, start: number, end: number, fileOffset: number, day: number, amount: number): void;
}

/** An order of a lane not yet added to the sums: the open one, or (with several lanes) the first. */
class PendingOrder {
  customer = 0;
  day = 0;
  amount = 0;
  readonly id = new LastId();

  set(customer: number, day: number, amount: number): void {
    this.customer = customer;
    this.day = day;
    this.amount = amount;
  }
}

/** The days of counted orders, with their customers, in the order completed. */
class CountedDays {
  customer: Int32Array;
  day: Int32Array;
  count = 0;

  constructor(size: number) {
    this.customer = new Int32Array(Math.max(1 << 10, size));
    this.day = new Int32Array(this.customer.length);
  }

  push(customer: number, day: number): void {
    if (this.count === this.day.length) {
      this.customer = grown(this.customer, this.count * 2);
      this.day = grown(this.day, this.count * 2);
    }
    this.customer[this.count] = customer;
    this.day[this.count++] = day;
  }
}

/**
 * The lines of one stretch of the file, in file order, as OrderStream describes: an order is complete once the next id
 * comes. With several lanes, a lane's first order is held back as well as its last (the open one), since the lanes'
 * orders meet at their ends (see OrderStream.facts).
 */
class StreamLane implements OrderSink {
  private open = false;
  private readonly current = new PendingOrder();
  /** +1 while ids grow, −1 while they shrink, 0 until the second id. */
  direction = 0;
  /** The lane's first order, held back (with several lanes) once the next has begun. */
  private held: PendingOrder | undefined;
  /**
   * The lane's counted orders: kept apart from other lanes', so that each customer's days come grouped in file order
   * (mostly date order, which distinctDays then need not sort), however the lanes' lines came in between.
   */
  readonly counted: CountedDays;

  constructor(
    private readonly stream: OrderStream,
    private readonly holdFirst: boolean,
    expected: number,
  ) {
    this.counted = new CountedDays(expected);
  }

  touch(_hashes: Int32Array, _lengths: Int32Array, n: number, customerOf: Int32Array): number {
    return this.stream.touch(n, customerOf);
  }

  keepLast(): void {
    this.current.id.keep();
  }

  addUnkeyed(customer: number, day: number, amount: number): void {
    this.stream.complete(customer, day, amount, this.counted);
  }

  /** As OrderTable.addKeyed; the hash and file offset are not needed here. */
  addKeyed(customer: number, _h: number, src: Uint8Array, start: number, end: number, _fileOffset: number, day: number, amount: number): void {
    const open = this.current;
    if (this.open) {
      const order = open.id.compare(src, start, end);
      if (order === 0) {
        if (customer !== open.customer) throw new OutOfOrder();
        open.amount += amount;
        if (day < open.day) open.day = day;
        return;
      }
      const direction = order > 0 ? 1 : -1;
      if (this.direction === 0) this.direction = direction;
      else if (direction !== this.direction) throw new OutOfOrder();
      if (this.holdFirst && this.held === undefined) {
        const first = new PendingOrder();
        first.set(open.customer, open.day, open.amount);
        first.id.assign(open.id);
        this.held = first;
      } else {
        this.stream.complete(open.customer, open.day, open.amount, this.counted);
      }
    }
    this.open = true;
    open.set(customer, day, amount);
    open.id.set(src, start, end);
  }

  /** The lane's first and last orders not yet added (the same one when it has one order), or none. */
  ends(): { first: PendingOrder; last: PendingOrder } | undefined {
    if (!this.open) return undefined;
    return { first: this.held ?? this.current, last: this.current };
  }
}

/**
 * Orders summed up as they are read, for files whose order ids only grow, or only shrink (`#1001`, `#1002`, … or an
 * export listing the newest first): an order is then complete once the next id comes, and only what the customers'
 * facts need is kept — per customer the net amount and counted orders, per counted order its customer and day (8 bytes,
 * against 20 in an OrderTable). An id out of order (or met again under another customer) throws OutOfOrder; lines of one
 * order must follow one another, lines without an id may come between them.
 *
 * The lines come through lanes, one per stretch of the file, each in file order (a reader of a byte range gets the
 * lines of its own range and those of the next one as another reader sends them). Lane k's lines all come after lane
 * k − 1's in the file: `facts` joins them, one order running over from one lane into the next included.
 */
export class OrderStream {
  /** Orders completed (the ones lanes hold are counted by `facts`). */
  count = 0;
  readonly rereads = 0;
  private readonly every: boolean;
  private monetary: Float64Array;
  private frequency: Int32Array;
  private readonly lanes: StreamLane[];

  /**
   * `expected`: orders to make room for at once, `customers`: customers likewise (more are fine: the columns then grow).
   * Sized up front because memory a thread frees while it runs may stay with the process (glibc raises its threshold
   * for giving memory back to the system after each large free), which made peak memory vary by 150 MB between runs.
   * `lanes`: stretches of the file the lines come in.
   */
  constructor(expected: number, customers: number, count: FrequencyCount, lanes = 1) {
    this.monetary = new Float64Array(Math.max(1 << 12, customers));
    this.frequency = new Int32Array(this.monetary.length);
    this.every = count === 'rows';
    // Lanes share the orders about evenly; a lane with more grows.
    const perLane = lanes === 1 ? expected : Math.ceil((expected / lanes) * 1.1);
    this.lanes = Array.from({ length: lanes }, () => new StreamLane(this, lanes > 1, perLane));
  }

  /** The lines of the k-th stretch of the file go here. */
  lane(k: number): OrderSink {
    return this.lanes[k]!;
  }

  /**
   * As CustomerTable.touch, for the sums of the customers of a batch of rows (`customerOf`), which `complete` adds to
   * when their orders end, a few rows later.
   */
  touch(n: number, customerOf: Int32Array): number {
    const monetary = this.monetary;
    const frequency = this.frequency;
    let t = 0;
    for (let k = 0; k < n; k++) {
      const c = customerOf[k]!;
      if (c < frequency.length) t ^= frequency[c]! ^ (monetary[c]! | 0);
    }
    return t;
  }

  /** Adds a finished order to its customer's sums, and its day to `counted` when it counts. */
  complete(customer: number, day: number, amount: number, counted: CountedDays): void {
    this.count++;
    if (customer >= this.monetary.length) {
      const size = Math.max(customer + 1, this.monetary.length * 2);
      this.monetary = grown(this.monetary, size);
      this.frequency = grown(this.frequency, size);
    }
    this.monetary[customer]! += amount;
    if (!(this.every || amount > 0)) return;
    this.frequency[customer]!++;
    counted.push(customer, day);
  }

  /**
   * Adds the orders the lanes hold, joining them in file order: the last order of a lane and the first of the next are
   * one order when they have one id (and customer). The lanes' ids together must only grow or only shrink, as within a
   * lane; else OutOfOrder.
   */
  private finishLanes(): void {
    let direction = 0;
    const agree = (d: number) => {
      if (d === 0) return;
      if (direction === 0) direction = d;
      else if (d !== direction) throw new OutOfOrder();
    };
    let pending: PendingOrder | undefined;
    let pendingLane: StreamLane | undefined;
    for (const lane of this.lanes) {
      agree(lane.direction);
      const ends = lane.ends();
      if (ends === undefined) continue;
      const { first, last } = ends;
      if (pending) {
        const order = pending.id.compareTo(first.id);
        if (order === 0) {
          if (first.customer !== pending.customer) throw new OutOfOrder();
          first.amount += pending.amount;
          if (pending.day < first.day) first.day = pending.day;
        } else {
          agree(order > 0 ? 1 : -1);
          this.complete(pending.customer, pending.day, pending.amount, pendingLane!.counted);
        }
      }
      if (first !== last) this.complete(first.customer, first.day, first.amount, lane.counted);
      pending = last;
      pendingLane = lane;
    }
    if (pending) this.complete(pending.customer, pending.day, pending.amount, pendingLane!.counted);
  }

  /** The facts of the customers, customer c's in row position[c]; call once, after the last add. */
  facts(customers: number, position: Int32Array): FactColumns {
    this.finishLanes();
    const frequency = new Int32Array(customers);
    const monetary = new Float64Array(customers);
    const start = new Int32Array(customers + 1);
    for (let c = 0; c < customers && c < this.monetary.length; c++) {
      frequency[position[c]!] = this.frequency[c]!;
      monetary[position[c]!] = this.monetary[c]!;
    }
    for (let p = 0; p < customers; p++) start[p + 1] = start[p]! + frequency[p]!;
    // Counted days grouped by customer (a counting sort, lane after lane), the lanes' customer columns made rows.
    const grouped = new Int32Array(start[customers]!);
    const next = start.slice(0, customers);
    for (const { counted } of this.lanes) {
      const { customer: row, day, count } = counted;
      for (let k = 0; k < count; k++) row[k] = position[row[k]!]!;
      for (let k = 0; k < count; k++) grouped[next[row[k]!]!++] = day[k]!;
    }
    return { frequency, monetary, ...distinctDays(customers, start, grouped) };
  }
}

/**
 * Orders by (customer, order id), numbered in the order created, each with its day and amount, plus orders without an
 * id (one per line). An id is referenced by its offset in the file when it is there byte for byte, else copied.
 *
 * Most exports list orders with ids that only grow (`#1001`, `#1002`, … or `536365`, `536365`, `536366` for lines of
 * one order). While every new id is greater than all before it (by length, then byte by byte), it cannot have been
 * seen, so it is appended without a lookup: the "ascending run", which keeps each id's slot word for later. The first
 * id that breaks the order (or meets the last id under another customer) ends the run: its ids go into the slots, once,
 * and every later id is looked up there.
 *
 * Memory per order is what ten million orders on one machine allow: 12 bytes of order (customer, day, amount as a
 * 32-bit integer; larger amounts go to a Map), 4 of id reference, and 4 of run (or about 10 of slot). Those last two
 * live in one scratch buffer, which `group` reuses for its result once nothing needs to be looked up any more. The run's
 * orders are numbered one after another from its first (an order without an id ends the run), so the run keeps no
 * order numbers of its own.
 */
export class OrderTable implements OrderSink {
  count = 0;
  private capacity = 0;
  /** Entries (orders) the arrays have room for: MAX_LOAD of the slots. */
  private room = 0;
  private slots = new Int32Array(0);
  private keyRef!: Int32Array | Float64Array;
  private scratch!: ArrayBuffer;
  private scale = 0;
  private customer!: Int32Array;
  private day!: Int32Array;
  private amount!: Int32Array;
  private readonly bigAmount = new Map<number, number>();
  private arena = new Uint8Array(1 << 12);
  private arenaEnd = 0;
  private readonly scratchKey = Buffer.alloc(256);
  /** Whether the ids so far ascend (see the class comment); then the slots are not in use. */
  private ascending = true;
  /** The run's k-th id is order runBase + k, with slot word runWord[k]. */
  private runBase = 0;
  private runWord = new Int32Array(0);
  private runCount = 0;
  /** The entry with the greatest id so far, while ascending; −1 before the first. */
  private last = -1;
  /** The greatest id so far. */
  private readonly lastId = new LastId();
  /** How many ids had to be read back from the file, and how many rows ended the ascending run (0 or 1). */
  rereads = 0;
  runEnded = 0;

  /**
   * `expected`: orders to make room for at once (more are fine: the table then grows). `bigFile`: offsets over 2^31.
   * `count`: which orders the facts count (see factColumns).
   */
  constructor(
    private readonly file: FileWindow,
    expected: number,
    private readonly bigFile: boolean,
    private readonly counting: FrequencyCount = 'orders',
  ) {
    this.allocate(Math.max(1 << 10, Math.ceil(expected / MAX_LOAD)));
  }

  /** Arrays for `capacity` slots (and MAX_LOAD of that in entries), keeping what is there. */
  private allocate(capacity: number): void {
    const room = Math.floor(capacity * MAX_LOAD);
    const refBytes = this.bigFile ? 8 : 4;
    const n = this.count;
    let scratch: ArrayBuffer;
    let keyRef: Int32Array | Float64Array;
    let slots = new Int32Array(0);
    if (this.ascending) {
      // id references (first, 8-byte aligned), run words: at least the 8 bytes an order `group` needs
      scratch = new ArrayBuffer(room * (refBytes + 4));
      keyRef = this.bigFile ? new Float64Array(scratch, 0, room) : new Int32Array(scratch, 0, room);
      const runWord = new Int32Array(scratch, room * refBytes, room);
      runWord.set(this.runWord.subarray(0, this.runCount));
      this.runWord = runWord;
    } else {
      // slots, then id references (8-byte aligned)
      const slotBytes = capacity * 8;
      scratch = new ArrayBuffer(Math.max(slotBytes + room * refBytes, room * 8));
      slots = new Int32Array(scratch, 0, capacity * 2);
      keyRef = this.bigFile ? new Float64Array(scratch, slotBytes, room) : new Int32Array(scratch, slotBytes, room);
      // Every slot again; the slot's word is all it takes, no id is read.
      const old = this.slots;
      const scale = capacity / 2 ** 32;
      for (let i = 0; i < old.length; i += 2) {
        const v = old[i + 1]!;
        if (v !== 0) insertSlot(slots, capacity, scale, old[i]!, v);
      }
    }
    if (n > 0) keyRef.set(this.keyRef.subarray(0, n));
    if (this.room !== room) {
      this.customer = resized(this.customer, room, n);
      this.day = resized(this.day, room, n);
      this.amount = resized(this.amount, room, n);
    }
    this.capacity = capacity;
    this.room = room;
    this.scale = capacity / 2 ** 32;
    this.scratch = scratch;
    this.slots = slots;
    this.keyRef = keyRef;
  }

  /** Ends the ascending run: its ids go into the slots, which every id is looked up in from now on. */
  private endRun(): void {
    this.runEnded++;
    const { runBase, runWord, runCount } = this;
    this.ascending = false;
    this.allocate(this.capacity);
    for (let k = 0; k < runCount; k++) insertSlot(this.slots, this.capacity, this.scale, runWord[k]!, runBase + k + 1);
    this.runWord = new Int32Array(0);
    this.runCount = 0;
  }

  /** The block the last id was read from is about to be reused: keep a copy of the id. */
  keepLast(): void {
    if (this.ascending) this.lastId.keep();
  }

  /** An order line without an order id: always an order of its own. It ends a run, whose orders follow one another. */
  addUnkeyed(customer: number, day: number, amount: number): void {
    if (this.ascending && this.runCount > 0) this.endRun();
    this.newEntry(customer, day, amount);
  }

  /**
   * An order line with id `src[start..end)` (1 to MAX_ORDER_ID_BYTES bytes; hash `h` from orderHash); `fileOffset` is
   * where those bytes sit in the file, or −1 when they do not (a decoded or trimmed id). Lines of one order add up; the
   * earliest day stays.
   */
  addKeyed(customer: number, h: number, src: Uint8Array, start: number, end: number, fileOffset: number, day: number, amount: number): void {
    if (this.ascending) {
      const order = this.last < 0 ? 1 : this.lastId.compare(src, start, end);
      if (order > 0) return this.appendToRun(customer, h, src, start, end, fileOffset, day, amount);
      const last = this.last;
      if (order === 0 && this.customer[last] === customer) {
        this.setAmount(last, this.amountOf(last) + amount);
        if (day < this.day[last]!) this.day[last] = day;
        return;
      }
      this.endRun();
    }
    const slots = this.slots;
    const capacity = this.capacity;
    const length = end - start;
    const word = slotWord(h, length);
    let j = ((word >>> 0) * this.scale) | 0;
    for (;;) {
      const v = slots[2 * j + 1]!;
      if (v === 0) break;
      if (slots[2 * j] === word && this.customer[v - 1] === customer && this.idEquals(v - 1, src, start, end)) {
        const index = v - 1;
        this.setAmount(index, this.amountOf(index) + amount);
        if (day < this.day[index]!) this.day[index] = day;
        return;
      }
      if (++j === capacity) j = 0;
    }
    if (this.count === this.room) {
      this.allocate(Math.ceil(this.capacity * 1.5));
      return this.addKeyed(customer, h, src, start, end, fileOffset, day, amount);
    }
    const index = this.newEntry(customer, day, amount);
    this.keyRef[index] = fileOffset >= 0 && length < LONG ? fileOffset : -1 - this.copy(src, start, end);
    slots[2 * j] = word;
    slots[2 * j + 1] = index + 1;
  }

  /** A new id, greater than every id before it. */
  private appendToRun(customer: number, h: number, src: Uint8Array, start: number, end: number, fileOffset: number, day: number, amount: number): void {
    const length = end - start;
    if (this.count === this.room) this.allocate(Math.ceil(this.capacity * 1.5));
    const index = this.newEntry(customer, day, amount);
    this.keyRef[index] = fileOffset >= 0 && length < LONG ? fileOffset : -1 - this.copy(src, start, end);
    if (this.runCount === 0) this.runBase = index;
    this.runWord[this.runCount++] = slotWord(h, length);
    this.lastId.set(src, start, end);
    this.last = index;
  }

  /** As CustomerTable.touch, for the hashes and lengths of order ids (nothing to load while the ids ascend). */
  touch(hashes: Int32Array, lengths: Int32Array, n: number): number {
    if (this.ascending) return 0;
    const slots = this.slots;
    const scale = this.scale;
    let t = 0;
    for (let k = 0; k < n; k++) t ^= slots[2 * (((slotWord(hashes[k]!, lengths[k]!) >>> 0) * scale) | 0)]!;
    return t;
  }

  private amountOf(index: number): number {
    const a = this.amount[index]!;
    return a === BIG ? this.bigAmount.get(index)! : a;
  }

  private setAmount(index: number, value: number): void {
    if ((value | 0) === value && value !== BIG && (value !== 0 || 1 / value > 0)) {
      if (this.amount[index] === BIG) this.bigAmount.delete(index);
      this.amount[index] = value;
    } else {
      this.amount[index] = BIG;
      this.bigAmount.set(index, value);
    }
  }

  private newEntry(customer: number, day: number, amount: number): number {
    let index = this.count;
    if (index === this.room) {
      this.allocate(Math.ceil(this.capacity * 1.5));
      index = this.count;
    }
    this.customer[index] = customer;
    this.day[index] = day;
    this.setAmount(index, amount);
    this.count = index + 1;
    return index;
  }

  /** Copies an id into the arena; ids of LONG bytes or more get their length in front (4 bytes). */
  private copy(src: Uint8Array, start: number, end: number): number {
    const len = end - start;
    const need = len + (len >= LONG ? 4 : 0);
    if (this.arenaEnd + need > this.arena.length) this.arena = grown(this.arena, Math.max(this.arena.length * 2, this.arenaEnd + need));
    const at = this.arenaEnd;
    let to = at;
    if (len >= LONG) {
      new DataView(this.arena.buffer, this.arena.byteOffset).setUint32(at, len, true);
      to += 4;
    }
    this.arena.set(src.subarray(start, end), to);
    this.arenaEnd = to + len;
    return at;
  }

  /** Whether order `index` has the id `src[start..end)`; its slot word (so a length up to LONG) already matched. */
  private idEquals(index: number, src: Uint8Array, start: number, end: number): boolean {
    const len = end - start;
    const ref = this.keyRef[index]!;
    let bytes: Uint8Array;
    let from: number;
    if (ref < 0) {
      bytes = this.arena;
      from = -1 - ref;
      if (len >= LONG) {
        if (new DataView(bytes.buffer, bytes.byteOffset).getUint32(from, true) !== len) return false;
        from += 4;
      }
    } else {
      const file = this.file;
      if (ref >= file.blockStart && ref + len <= file.blockStart + file.blockEnd) {
        bytes = file.block;
        from = ref - file.blockStart;
      } else {
        // An earlier block: read the id back once, then keep a copy.
        const scratch = this.scratchKey;
        let got = 0;
        while (got < len) {
          const n = readSync(file.fd, scratch, got, len - got, ref + got);
          if (n === 0) throw new Error(`OrderTable: the input file shrank while it was read (offset ${ref + got})`);
          got += n;
        }
        this.rereads++;
        this.keyRef[index] = -1 - this.copy(scratch, 0, len);
        bytes = scratch;
        from = 0;
      }
    }
    for (let i = start, k = from; i < end; i++, k++) if (bytes[k] !== src[i]) return false;
    return true;
  }

  /** The facts of the customers, customer c's in row position[c] (see group); call once, after the last add. */
  facts(customers: number, position: Int32Array): FactColumns {
    const grouped = this.group(customers, position);
    return factColumns(customers, grouped.start, grouped.day, grouped.amount, this.counting, true);
  }

  /**
   * The orders grouped by customer (a stable counting sort), written over the scratch buffer: call it once, after the
   * last add; the table is empty after it. Customer c's orders go to group `position[c]` (a permutation of the customers), so the groups come in
   * whatever order the caller wants them. Returns views of that buffer, so one transfer moves the result.
   */
  group(customers: number, position: Int32Array): GroupedOrders {
    const n = this.count;
    const start = new Int32Array(customers + 1);
    const customerOf = this.customer;
    for (let o = 0; o < n; o++) customerOf[o] = position[customerOf[o]!]!;
    for (let o = 0; o < n; o++) start[customerOf[o]! + 1]!++;
    for (let c = 0; c < customers; c++) start[c + 1]! += start[c]!;
    // Amounts stay 32-bit integers unless some are not (then a column of their own).
    const amount = this.bigAmount.size === 0 ? new Int32Array(this.scratch, 0, n) : new Float64Array(n);
    const day = new Int32Array(this.scratch, n * 4, n);
    const next = start.slice(0, customers);
    const dayOf = this.day;
    const amountOf = this.amount;
    for (let o = 0; o < n; o++) {
      const at = next[customerOf[o]!]!++;
      day[at] = dayOf[o]!;
      const a = amountOf[o]!;
      amount[at] = a === BIG ? this.bigAmount.get(o)! : a;
    }
    // The table is spent: its columns (12 bytes an order) can go back before the caller allocates more.
    this.customer = this.day = this.amount = new Int32Array(0);
    this.keyRef = new Int32Array(0);
    this.slots = this.runWord = new Int32Array(0);
    this.bigAmount.clear();
    return { start, day, amount };
  }
}
