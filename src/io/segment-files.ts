import { formatForMail, LEFT_OUT_REASONS, type LeftOutReason, type MailFormat, type MailRecord } from '../core/mail-format.js';
import type { DimensionSpec, Segmentation } from '../core/segmentation.js';
import { csvLine, fileSafeName, type TextCell } from './csv-out.js';
import { viewOf, type LineBlock, type LineWriter, type OutputDir } from './output-dir.js';

/** How the rows of a segmentation become CSV: the header, each row's cells (already CSV-quoted) and its mail fields. */
export interface RowFormat<T> {
  readonly columns: readonly string[];
  readonly cells: (row: T) => readonly string[];
  /** The cells joined as one CSV line: `cells(row).join(',')`, or something faster that gives the same. */
  readonly line: (row: T) => string;
  /** `line(row)` written as UTF-8 at `buf[at]`, where it ends returned (−1: too little room); when it is faster than line. */
  readonly encode?: (buf: Buffer, at: number, row: T) => number;
  readonly mail: (row: T) => Omit<MailRecord, 'values'>;
  /** Columns a mail format leaves out because its own first columns carry them (the profile's email and names). */
  readonly mailDrops: ReadonlySet<string>;
  readonly text: TextCell;
}

export type LeftOut = Record<LeftOutReason, number>;

/** One segment as the lines of a CSV file in `format`, and who a mail format left out. */
export function segmentLines<T>(rows: readonly T[], f: RowFormat<T>, format: MailFormat): { lines: string[]; leftOut: LeftOut } {
  if (format === 'generic') {
    return { lines: [csvLine(f.columns), ...rows.map(f.line)], leftOut: noneLeftOut() };
  }
  const keep = f.columns.flatMap((c, i) => (f.mailDrops.has(c) ? [] : [i]));
  const file = formatForMail(
    {
      columns: keep.map((i) => f.columns[i]!),
      records: rows.map((r) => {
        const cells = f.cells(r);
        return { ...f.mail(r), values: keep.map((i) => cells[i]!) };
      }),
    },
    format,
  );
  const [email, first, last] = [0, 1, 2];
  const lines = [
    csvLine(file.header),
    ...file.rows.map((row) => row.map((cell, i) => (i === email || i === first || i === last ? f.text(cell) : cell)).join(',')),
  ];
  return { lines, leftOut: { ...file.leftOut } };
}

export function noneLeftOut(): LeftOut {
  return Object.fromEntries(LEFT_OUT_REASONS.map((r) => [r, 0])) as LeftOut;
}

/** What was written: the number of segment files and, per file of a mail format, who was left out. */
export interface SegmentFilesWritten {
  readonly files: number;
  readonly leftOut: Readonly<Record<string, LeftOut>>;
}

/** Rows per block: about 1.3 MB of lines for customers. */
const BLOCK_ROWS = 1 << 14;

/**
 * The lines of `rows`, a block of rows at a time, encoded into one reused buffer: then copied to customers.csv in one
 * piece and to the segment files line by line. A fifth faster for a million customers than encoding each line into
 * customers.csv and copying it from there.
 */
function* lineBlocks<T>(rows: readonly T[], f: RowFormat<T>): Generator<LineBlock> {
  let bytes = Buffer.allocUnsafeSlow(1 << 20);
  const ends = new Uint32Array(BLOCK_ROWS);
  const grow = (used: number, need: number) => {
    const bigger = Buffer.allocUnsafeSlow(Math.max(2 * bytes.length, used + need));
    bytes.copy(bigger, 0, 0, used);
    bytes = bigger;
  };
  for (let from = 0; from < rows.length; from += BLOCK_ROWS) {
    const to = Math.min(rows.length, from + BLOCK_ROWS);
    let used = 0;
    for (let r = from; r < to; r++) {
      const row = rows[r]!;
      if (f.encode) {
        let end: number;
        while ((end = f.encode(bytes, used, row)) < 0 || end >= bytes.length) grow(used, bytes.length);
        used = end;
      } else {
        const text = f.line(row);
        const most = 3 * text.length + 1; // UTF-8 takes at most 3 bytes per UTF-16 code unit
        if (used + most > bytes.length) grow(used, most);
        used += bytes.write(text, used);
      }
      bytes[used++] = 10;
      ends[r - from] = used;
    }
    yield { bytes: bytes.subarray(0, used), view: viewOf(bytes), ends, count: to - from };
  }
}

/**
 * customers.csv (always generic: every row, every column) and `segments/<dimension>/<segment>.csv` for every segment of
 * every dimension, in `format`. Rows are formatted once and reused by every file they appear in.
 */
export function writeSegmentFiles<T>(out: OutputDir, s: Segmentation<T>, f: RowFormat<T>, format: MailFormat): SegmentFilesWritten {
  const header = csvLine(f.columns);
  const leftOut: Record<string, LeftOut> = {};
  const paths = s.dimensions.map((d) => d.segments.map((name) => `segments/${d.name}/${fileName(d.name, name)}.csv`));
  // Every row in one segment per dimension, known by index: each line goes to the file of that index, copied rather
  // than encoded again, by the writer threads for a big output. customers.csv is one more "dimension" there, whose one
  // file takes every line (see SegmentFiles.route), closed last as below.
  const at = s.dimensions.every((d) => d.at !== undefined && d.segments.length <= 1 << 16) ? s.dimensions.map((d) => d.at!) : undefined;
  if (format === 'generic' && at) {
    const files = out.segments(header, [...paths, ['customers.csv']]);
    const of = [...at.map(() => new Uint16Array(BLOCK_ROWS)), undefined];
    let r = 0;
    for (const block of lineBlocks(s.rows, f)) {
      for (let i = 0; i < at.length; i++) {
        const index = at[i]!;
        const to = of[i]!;
        for (let k = 0; k < block.count; k++) to[k] = index(r + k);
      }
      r += block.count;
      files.route(block, of);
    }
    files.close();
    return { files: paths.flat().length, leftOut };
  }
  const all = out.lines('customers.csv');
  all.write(header);
  let files = 0;
  if (format === 'generic') {
    const writers = s.dimensions.map((d, i) => new Map(d.segments.map((name, k) => [name, out.lines(paths[i]![k]!)])));
    for (const w of writers.flatMap((m) => [...m.values()])) w.write(header);
    const byName = s.dimensions.map((d, i) => filesOf(d, writers[i]!));
    let r = 0;
    for (const block of lineBlocks(s.rows, f)) {
      all.writeBytes(block.bytes, block.count);
      let start = 0;
      for (let k = 0; k < block.count; k++, r++) {
        const end = block.ends[k]!;
        for (const targets of byName) for (const w of targets(s.rows[r]!)) w.writeLine(block.bytes, block.view, start, end);
        start = end;
      }
    }
    for (const w of writers.flatMap((m) => [...m.values()])) {
      w.close();
      files++;
    }
  } else {
    for (const row of s.rows) all.write(f.line(row));
    for (const d of s.dimensions) {
      const members = new Map(d.segments.map((name) => [name, [] as T[]]));
      for (const row of s.rows) for (const name of d.of(row)) members.get(name)!.push(row);
      for (const [name, rows] of members) {
        const path = `segments/${d.name}/${fileName(d.name, name)}.csv`;
        const written = segmentLines(rows, f, format);
        const w = out.lines(path);
        for (const line of written.lines) w.write(line);
        w.close();
        leftOut[path] = written.leftOut;
        files++;
      }
    }
  }
  all.close();
  return { files, leftOut };
}

/**
 * The files a row goes to along one dimension. A dimension hands out one list of names per segment (see `single` in
 * segmentation.ts), so the files are looked up once per list rather than once per row and name.
 */
function filesOf<T>(d: DimensionSpec<T>, byName: ReadonlyMap<string, LineWriter>): (row: T) => readonly LineWriter[] {
  const known = new Map<readonly string[], LineWriter[]>();
  return (row) => {
    const names = d.of(row);
    let files = known.get(names);
    if (files === undefined) {
      files = names.map((name) => byName.get(name)!);
      if (known.size < 256) known.set(names, files); // a dimension that makes a new list per row gains nothing here
    }
    return files;
  };
}

/** A segment's file name: ABC classes as they are (A, B, C), everything else shell-safe. */
export function fileName(dimension: string, segment: string): string {
  return dimension === 'abc' ? segment : fileSafeName(segment);
}
