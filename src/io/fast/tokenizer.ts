/**
 * Splits CSV bytes into records exactly as csv-parse does with CSV_OPTIONS (src/io/read-orders.ts): records end at
 * `\r\n`, `\n` or a lone `\r`; empty lines are skipped; a field that starts with `"` is quoted, `""` inside it is a
 * quote. Where csv-parse would report bad quoting (a quote inside an unquoted field, a character after a closing quote,
 * a quote never closed) the tokenizer gives up (BAIL) and the caller reads the file with csv-parse instead, so those
 * messages stay csv-parse's own.
 *
 * Lines are counted as csv-parse's `info.lines` counts them: every `\r` and `\n` byte inside quotes is a line, and so
 * is each record delimiter. A `\r\n` inside quotes therefore counts twice; read-orders.ts then subtracts the line breaks
 * in the fields, and the fast reader does the same so that reported line numbers agree.
 */

export const RECORD = 0;
/** The buffer ends inside a record (or right after a `\r`): read more and call again from `pos`. */
export const NEED_MORE = 1;
/** No more records: the buffer ends at the end of the input. */
export const END = 2;
/** Bad quoting, or a record longer than the limit: read the whole input with csv-parse. */
export const BAIL = 3;
export type Step = typeof RECORD | typeof NEED_MORE | typeof END | typeof BAIL;

/** Field flags. */
export const QUOTED = 1;
/** A quoted field holding `""`: its text is not a plain slice of the bytes. */
export const ESCAPED = 2;

const QUOTE = 34;
const CR = 13;
const LF = 10;

export class Tokenizer {
  /** Bytes being read; `buf[end]` must be writable (a stop byte is put there). */
  buf: Uint8Array = new Uint8Array(1);
  end = 0;
  /** Whether `buf[end]` is the end of the input. */
  eof = false;
  /** Where the next record (or the line breaks before it) starts. */
  pos = 0;
  /** csv-parse's `info.lines` at `pos`: 1 + the line breaks before it. */
  lines = 1;

  /** The record found by the last RECORD: its bytes `recStart..recEnd` (without the line break) and fields. */
  recStart = 0;
  recEnd = 0;
  /** csv-parse's `info.lines` when the record was emitted. */
  recLines = 0;
  fieldCount = 0;
  fieldStart = new Int32Array(64);
  fieldEnd = new Int32Array(64);
  fieldFlags = new Uint8Array(64);
  /** A record (from its first byte to its line break) longer than this ends reading with BAIL. */
  maxRecordBytes: number;
  private readonly stop = new Uint8Array(256);

  constructor(readonly delimiter: number, maxRecordBytes: number) {
    this.maxRecordBytes = maxRecordBytes;
    this.stop[delimiter] = 1;
    this.stop[CR] = 1;
    this.stop[LF] = 1;
    this.stop[QUOTE] = 1;
  }

  /** Starts reading `buf[pos..end)`; `lines` carries on from the previous buffer. */
  load(buf: Uint8Array, pos: number, end: number, eof: boolean): void {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.eof = eof;
    buf[end] = LF; // stop byte for the unquoted-field loop
  }

  /** Room for more fields (a record with more fields than any before). */
  private growFields(): void {
    const n = this.fieldStart.length * 2;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    const flags = new Uint8Array(n);
    starts.set(this.fieldStart);
    ends.set(this.fieldEnd);
    flags.set(this.fieldFlags);
    this.fieldStart = starts;
    this.fieldEnd = ends;
    this.fieldFlags = flags;
  }

  /** Reads the next record. On NEED_MORE and BAIL, `pos` and `lines` are left where the record began. */
  next(): Step {
    const buf = this.buf;
    const end = this.end;
    const eof = this.eof;
    const delimiter = this.delimiter;
    const stop = this.stop;
    const comma = delimiter === 44;
    let p = this.pos;
    let lines = this.lines;
    // Empty lines: skip_empty_lines drops a line break met before any field byte.
    for (;;) {
      if (p >= end) {
        this.pos = p;
        this.lines = lines;
        return eof ? END : NEED_MORE;
      }
      const b = buf[p]!;
      if (b === LF) {
        p++;
        lines++;
      } else if (b === CR) {
        if (p + 1 >= end && !eof) {
          this.pos = p;
          this.lines = lines;
          return NEED_MORE;
        }
        p += p + 1 < end && buf[p + 1] === LF ? 2 : 1;
        lines++;
      } else {
        break;
      }
    }
    this.pos = p;
    this.lines = lines;
    const start = p;
    const limit = start + this.maxRecordBytes;
    let starts = this.fieldStart;
    let ends = this.fieldEnd;
    let flagsOf = this.fieldFlags;
    let n = 0;
    for (;;) {
      if (n === starts.length) {
        this.growFields();
        starts = this.fieldStart;
        ends = this.fieldEnd;
        flagsOf = this.fieldFlags;
      }
      if (buf[p] === QUOTE && p < end) {
        let q = p + 1;
        let flags = QUOTED;
        for (;;) {
          let c = 0;
          while (q < end && (c = buf[q]!) !== QUOTE) {
            if (c === LF || c === CR) lines++;
            q++;
          }
          if (q >= end) return eof ? BAIL : this.needMore(q > limit); // never closed
          if (q + 1 >= end && !eof) return this.needMore(q > limit);
          const after = q + 1 < end ? buf[q + 1]! : -1;
          if (after === QUOTE) {
            flags |= ESCAPED;
            q += 2;
            continue;
          }
          if (after !== -1 && after !== delimiter && after !== LF && after !== CR) return BAIL; // csv-parse: Invalid Closing Quote
          break;
        }
        starts[n] = p + 1;
        ends[n] = q;
        flagsOf[n++] = flags;
        p = q + 1;
      } else {
        starts[n] = p;
        // The stop byte at buf[end] ends this loop. With `,` every byte that ends a field is at most 44.
        if (comma) {
          let b = 0;
          while ((b = buf[p]!) > 44 || (b !== 44 && b !== LF && b !== CR && b !== QUOTE)) p++;
        } else {
          while (stop[buf[p]!] === 0) p++;
        }
        ends[n] = p;
        flagsOf[n++] = 0;
        if (p < end && buf[p] === QUOTE) return BAIL; // csv-parse: Invalid Opening Quote
        if (p >= end && !eof) return this.needMore(p > limit);
      }
      if (p > limit) return BAIL;
      if (p >= end) {
        // the last record of the input, without a line break
        this.fieldCount = n;
        this.recStart = start;
        this.recEnd = p;
        this.recLines = lines;
        this.pos = p;
        this.lines = lines;
        return RECORD;
      }
      const b = buf[p]!;
      if (b === delimiter) {
        p++;
        continue;
      }
      // b is CR or LF
      if (b === CR && p + 1 >= end && !eof) return this.needMore(false);
      this.fieldCount = n;
      this.recStart = start;
      this.recEnd = p;
      this.recLines = lines;
      p += b === CR && p + 1 < end && buf[p + 1] === LF ? 2 : 1;
      this.pos = p;
      this.lines = lines + 1;
      return RECORD;
    }
  }

  private needMore(tooLong: boolean): Step {
    return tooLong ? BAIL : NEED_MORE;
  }
}

/**
 * A field's text, as csv-parse gives it: the bytes read as UTF-8, `""` made `"` in quoted fields.
 * Replacing after decoding is the same as before it: `"` is one byte and never part of a multi-byte character.
 */
export function fieldText(buf: Uint8Array, start: number, end: number, flags: number, decode: (b: Uint8Array, s: number, e: number) => string): string {
  const text = decode(buf, start, end);
  return flags & ESCAPED ? text.replaceAll('""', '"') : text;
}

export { lineBreaksIn } from '../csv-read.js';
