// A queue of order lines from one reader of an orders file to another: the reader of a byte range reads every line of
// it, and sends the lines of customers another reader owns to that reader through one of these. One producer, one
// consumer, over a SharedArrayBuffer when they are threads (bounded: a full ring waits), or over memory of its own that
// grows when both readers run one after another on one thread (tests).
//
// A line is a run of 32-bit words, starting at an even word (its amount is a float64):
//   [customer id bytes, order id bytes (0: no id), customer id hash, day, amount (2 words), the ids' bytes…]
// A first word of −1 means the rest of the ring is unused: the next line is at word 0.

/** Control words, before the lines. */
const HEAD = 0; // where the producer writes next (a count of words, modulo POSITIONS)
const TAIL = 1; // where the consumer reads next
const DONE = 2; // 1 once the producer has sent its last line
const ABORT = 3; // 1 once either reader gives up on reading by ranges
const CONTROL_WORDS = 4;
/** Positions count words modulo this (a multiple of every ring size, and an int32). */
const POSITIONS = 1 << 30;
export const LINE_WORDS = 6;
const WRAP = -1;

/** The words of a line whose ids have `bytes` bytes: a whole number of 8-byte units. */
function lineWords(bytes: number): number {
  return (LINE_WORDS + ((bytes + 3) >> 2) + 1) & ~1;
}

/** Memory for a ring of about `bytes` bytes, to share with the other reader (a power of two of words). */
export function ringMemory(bytes: number): SharedArrayBuffer {
  let words = 1 << 8;
  while (words * 4 < bytes && words < POSITIONS >> 1) words *= 2;
  return new SharedArrayBuffer((CONTROL_WORDS + words) * 4);
}

/** Thrown by a reader when the other gave up on reading by ranges. */
export class RingAborted extends Error {}

export class Ring {
  private control!: Int32Array;
  words!: Int32Array;
  bytes!: Uint8Array;
  amounts!: Float64Array;
  /** Words in the ring, a power of two. */
  private size = 0;
  /** The producer's next position, published to HEAD by `publish`. */
  private head = 0;
  /** The consumer's next position, published to TAIL by `release`. */
  private tail = 0;

  /** `memory`: shared with the other thread (from ringMemory), or undefined for a ring that grows, on one thread. */
  constructor(private readonly memory: SharedArrayBuffer | undefined) {
    this.attach(memory ?? new ArrayBuffer((CONTROL_WORDS + (1 << 12)) * 4));
  }

  private attach(buffer: ArrayBufferLike): void {
    this.control = new Int32Array(buffer, 0, CONTROL_WORDS);
    this.words = new Int32Array(buffer, CONTROL_WORDS * 4);
    this.bytes = new Uint8Array(buffer, CONTROL_WORDS * 4);
    this.amounts = new Float64Array(buffer, CONTROL_WORDS * 4);
    this.size = this.words.length;
  }

  get aborted(): boolean {
    return Atomics.load(this.control, ABORT) === 1;
  }

  abort(): void {
    Atomics.store(this.control, ABORT, 1);
    Atomics.notify(this.control, HEAD);
    Atomics.notify(this.control, TAIL);
  }

  // The producer's side.

  /**
   * Appends a line; `waitForRoom` is called while the ring is too full for it (it should let the other reader catch
   * up). A ring that grows never waits. Returns false when the line is longer than half the ring: a line that runs
   * over the end starts again at word 0, which takes up to twice its room, and must still fit in an empty ring.
   */
  put(customer: Uint8Array, cs: number, ce: number, hash: number, order: Uint8Array, os: number, oe: number, day: number, amount: number, waitForRoom: () => void): boolean {
    const cl = ce - cs;
    const ol = oe - os;
    const n = lineWords(cl + ol);
    for (;;) {
      const at = this.head & (this.size - 1);
      const need = at + n > this.size ? this.size - at + n : n;
      const used = (this.head - Atomics.load(this.control, TAIL)) & (POSITIONS - 1);
      if (used + need <= this.size) {
        let to = at;
        if (at + n > this.size) {
          this.words[at] = WRAP;
          to = 0;
        }
        const words = this.words;
        words[to] = cl;
        words[to + 1] = ol;
        words[to + 2] = hash;
        words[to + 3] = day;
        this.amounts[(to + 4) >> 1] = amount;
        const bytes = this.bytes;
        let b = (to + LINE_WORDS) * 4;
        for (let i = cs; i < ce; i++) bytes[b++] = customer[i]!;
        for (let i = os; i < oe; i++) bytes[b++] = order[i]!;
        this.head = (this.head + need) & (POSITIONS - 1);
        return true;
      }
      if (this.memory === undefined) this.grow(need);
      else if (n > this.size >> 1) return false;
      else {
        this.publish();
        waitForRoom();
      }
    }
  }

  /** Lets the consumer see the lines put so far. */
  publish(): void {
    Atomics.store(this.control, HEAD, this.head);
  }

  /** The producer has sent its last line. */
  finish(): void {
    this.publish();
    Atomics.store(this.control, DONE, 1);
    Atomics.notify(this.control, HEAD);
  }

  /** Waits (at most `ms`) for the consumer to make room. */
  waitForTail(ms: number): void {
    const tail = Atomics.load(this.control, TAIL);
    if (((this.head - tail) & (POSITIONS - 1)) > 0) Atomics.wait(this.control, TAIL, tail, ms);
  }

  /** A ring of its own memory, made large enough for `need` more words (one thread: nothing reads meanwhile). */
  private grow(need: number): void {
    const tail = this.control[TAIL]!;
    const used = (this.head - tail) & (POSITIONS - 1);
    let size = this.size * 2;
    while (size < used + need + 2) size *= 2;
    const old = this.words;
    const oldSize = this.size;
    const control = this.control;
    this.attach(new ArrayBuffer((CONTROL_WORDS + size) * 4));
    this.control.set(control);
    // The lines in order from word 0; a line never runs over the end, so they copy line by line.
    let from = tail;
    let to = 0;
    while (from !== this.head) {
      const at = from & (oldSize - 1);
      if (old[at] === WRAP) {
        from = (from + oldSize - at) & (POSITIONS - 1);
        continue;
      }
      const n = lineWords(old[at]! + old[at + 1]!);
      this.words.set(old.subarray(at, at + n), to);
      to += n;
      from = (from + n) & (POSITIONS - 1);
    }
    this.head = to;
    this.tail = 0;
    this.control[TAIL] = 0;
    this.control[HEAD] = to;
  }

  // The consumer's side.

  /** Whether the producer has finished (read before `available`: lines it published before finishing are then there). */
  get producerDone(): boolean {
    return Atomics.load(this.control, DONE) === 1;
  }

  /** The position up to which lines can be read now. */
  available(): number {
    return Atomics.load(this.control, HEAD);
  }

  /** The consumer's next position. */
  get readAt(): number {
    return this.tail;
  }

  /**
   * The word where the line at position `pos` starts, with the position after it; `pos` must be before `available()`.
   * Returns the line's first word index; `next` is where the next line is.
   */
  lineAt(pos: number): number {
    const at = pos & (this.size - 1);
    if (this.words[at] !== WRAP) return at;
    return 0;
  }

  /** The position after the line at `pos` (whose first word is `at`). */
  after(pos: number, at: number): number {
    const skipped = at === (pos & (this.size - 1)) ? 0 : this.size - (pos & (this.size - 1));
    return (pos + skipped + lineWords(this.words[at]! + this.words[at + 1]!)) & (POSITIONS - 1);
  }

  /** Lines before `pos` are read: their room can be reused. */
  release(pos: number): void {
    this.tail = pos;
    Atomics.store(this.control, TAIL, pos);
    Atomics.notify(this.control, TAIL);
  }

  /** Waits (at most `ms`) for lines after `pos`. */
  waitForHead(pos: number, ms: number): void {
    Atomics.wait(this.control, HEAD, pos, ms);
  }
}

