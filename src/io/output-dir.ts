import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { UsageError } from '../errors.js';
import { HashedFile, hashFile } from './file-hash.js';
import type { FromWriter, ToWriter, WriterData } from './write-worker.js';

const MARKER = 'summary.json';
/** Bytes a LineWriter buffers before it writes: one system call per megabyte, not per line. */
const FLUSH_AT = 1 << 20;

/** What the manifest says of a file written: rows are data lines of a CSV (header excluded), else undefined. */
export interface WrittenFile {
  readonly path: string;
  readonly bytes: number;
  readonly rows?: number;
  readonly sha256: string;
}

/** Where a LineWriter's full buffers go: written and hashed here, or handed to the writer thread. */
interface ChunkSink {
  /** Takes a chunk; true when it kept the chunk's memory (the writer then needs a new buffer: `fresh`). */
  emit(chunk: Buffer): boolean;
  /** A buffer of FLUSH_AT bytes to go on with. */
  fresh(): Buffer;
  /** No more chunks: `done` gets the file's size and hash once all of it is written. */
  close(done: (bytes: number, sha256: string) => void): void;
}

/**
 * Writes and hashes on the calling thread. `direct`: with O_DIRECT where it can (see HashedFile), as the writer threads
 * write the files of big outputs; small outputs are written the ordinary way, so that a slow disk does not make each of
 * their thirty-odd files wait for it.
 */
export class LocalSink implements ChunkSink {
  private readonly file: HashedFile;

  constructor(path: string, direct = false) {
    this.file = new HashedFile(path, { direct });
  }

  emit(chunk: Buffer): boolean {
    this.file.write(chunk);
    return false;
  }

  fresh(): Buffer {
    return Buffer.allocUnsafe(FLUSH_AT);
  }

  close(done: (bytes: number, sha256: string) => void): void {
    const { bytes, sha256 } = this.file.close();
    done(bytes, sha256);
  }
}

/** Chunks the main thread may have sent ahead of the writer thread: 16 MiB at most, then it waits. */
const MAX_IN_FLIGHT = 16;

/**
 * A worker thread that writes and hashes files, so that the main thread only formats lines: for big outputs, where
 * writing and SHA-256 took about 1.5 s per million customers on the main thread. Full buffers cross to it without a
 * copy; when it falls behind, the main thread waits (Atomics.wait) rather than piling up memory.
 */
class WriterThread {
  private readonly worker: Worker;
  private readonly inFlight = new Int32Array(new SharedArrayBuffer(4));
  /**
   * Buffers the writer thread is done with come back here, to be filled again: making a new one for every megabyte left
   * the old ones to the writer thread's garbage collector, and peak memory up to 100 MB higher, depending on its timing.
   */
  private readonly returns: MessagePort;
  private readonly pending = new Map<number, (bytes: number, sha256: string, rows?: number) => void>();
  private readonly hashing = new Map<number, { resolve: (sha256: string) => void; reject: (err: Error) => void }>();
  private nextId = 0;
  /** Bytes sent to be written so far: a file goes to the writer thread that has had the fewest (see WriterPool). */
  sent = 0;
  private failure: Error | undefined;
  get failed(): boolean {
    return this.failure !== undefined;
  }
  private settled: (() => void) | undefined;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.returns = port1;
    this.returns.unref();
    this.worker = new Worker(new URL('./write-worker.js', import.meta.url), {
      workerData: { inFlight: this.inFlight.buffer, returns: port2, flushAt: FLUSH_AT } satisfies WriterData,
      transferList: [port2],
    });
    this.worker.on('message', (m: FromWriter) => {
      if (m.kind === 'closed') {
        this.pending.get(m.id)!(m.bytes, m.sha256, m.rows);
        this.pending.delete(m.id);
      } else if (m.kind === 'hashed') {
        this.hashing.get(m.id)!.resolve(m.sha256);
        this.hashing.delete(m.id);
      } else {
        this.failure = Object.assign(new Error(m.message), { code: m.code });
        for (const h of this.hashing.values()) h.reject(this.failure);
        this.hashing.clear();
      }
      this.check();
    });
    this.worker.on('error', (err) => {
      this.failure = err;
      for (const h of this.hashing.values()) h.reject(err);
      this.hashing.clear();
      this.check();
    });
  }

  private check(): void {
    if (this.settled && (this.pending.size === 0 || this.failure)) this.settled();
  }

  /** SHA-256 of a file, computed on this thread alongside the files it writes. */
  hash(path: string): Promise<string> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.hashing.set(id, { resolve, reject });
      this.send({ kind: 'hash', id, path });
    });
  }

  open(path: string): ChunkSink {
    const id = this.nextId++;
    this.send({ kind: 'open', id, path });
    return {
      emit: (chunk) => {
        while (Atomics.load(this.inFlight, 0) >= MAX_IN_FLIGHT && !this.failure) Atomics.wait(this.inFlight, 0, MAX_IN_FLIGHT, 100);
        Atomics.add(this.inFlight, 0, 1);
        this.sent += chunk.length;
        this.send({ kind: 'data', id, data: chunk }, [chunk.buffer as ArrayBuffer]);
        return true;
      },
      fresh: () => this.fresh(),
      close: (done) => {
        this.pending.set(id, done);
        this.send({ kind: 'close', id });
      },
    };
  }

  /**
   * Files of segments (`paths[d]`: dimension d's, by segment index), written on this thread from the blocks of lines
   * `route` sends it: returns their id for `route` and `closeSegments`, and an id per file (the same shape as `paths`).
   */
  openSegments(header: string, paths: readonly (readonly string[])[]): { id: number; files: number[][] } {
    const id = this.nextId++;
    const files = paths.map((ps) => ps.map(() => this.nextId++));
    this.send({ kind: 'segments', id, header, paths, files });
    return { id, files };
  }

  /** Routes a block of lines (in `blocks`' slot `slot`) to the segment files of `id`: `segments[d]` for its d-th dimension. */
  route(id: number, blocks: SharedBlocks, slot: number, segments: readonly (Uint16Array | undefined)[]): void {
    this.sent += blocks.used[slot]! * segments.length;
    this.send({ kind: 'route', id, ...blocks.message(slot), segments });
  }

  /** Closes the segment files of `id`: `records[k]` gets the size, rows and hash of the file numbered `files[k]` once written. */
  closeSegments(id: number, files: readonly number[], records: readonly ((bytes: number, rows: number, sha256: string) => void)[]): void {
    files.forEach((file, k) => this.pending.set(file, (bytes, sha256, rows) => records[k]!(bytes, rows!, sha256)));
    this.send({ kind: 'segments-close', id });
  }

  /** A buffer this thread is done with, or a new one. */
  fresh(): Buffer {
    const back = receiveMessageOnPort(this.returns)?.message as ArrayBuffer | undefined;
    return back ? Buffer.from(back) : Buffer.allocUnsafe(FLUSH_AT);
  }

  private send(m: ToWriter, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  /** Resolves when every file closed so far is written; rejects with the first write error. */
  async settle(): Promise<void> {
    if (this.pending.size > 0 && !this.failure) await new Promise<void>((resolve) => (this.settled = resolve));
    this.settled = undefined;
    if (this.failure) throw this.failure;
  }

  stop(): void {
    this.returns.close();
    void this.worker.terminate();
  }
}

/**
 * Writer threads, two when there are two cores or more (writing 330 MB into a new file system's page cache took one
 * thread 0.9 s, longer than the main thread took to format it). A file is written and hashed by one of them, chosen when
 * its first megabyte is ready (or when it closes): the one that has been sent the fewest bytes.
 */
class WriterPool {
  private readonly threads: WriterThread[];

  constructor(size: number) {
    this.threads = Array.from({ length: size }, () => new WriterThread());
  }

  private leastLoaded(): WriterThread {
    return this.threads.reduce((a, b) => (b.sent < a.sent ? b : a));
  }

  /**
   * Hashes `path` on the least loaded thread, which counts its bytes as sent until the hash is done: files that come
   * meanwhile go to the other first. (Counted for good, a 385 MB input sent every file of a 330 MB output to the other.)
   */
  hash(path: string): Promise<string> {
    const thread = this.leastLoaded();
    let size = 0;
    try {
      size = statSync(path).size;
    } catch {
      // the hash reports it
    }
    thread.sent += size;
    return thread.hash(path).finally(() => (thread.sent -= size));
  }

  open(path: string): ChunkSink {
    let sink: ChunkSink | undefined;
    const target = () => (sink ??= this.leastLoaded().open(path));
    return {
      emit: (chunk) => target().emit(chunk),
      fresh: () => (sink ? sink.fresh() : this.leastLoaded().fresh()),
      close: (done) => target().close(done),
    };
  }

  async settle(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.settle()));
  }

  /**
   * Segment files whose lines are copied out of each block on the writer threads, not here: the dimensions are dealt out
   * to the threads in turn (a dimension's files all on one), and every thread routing a block reads it from shared
   * memory. That copying took this thread about 0.2 s for the 10M benchmark's million customers, three files each.
   */
  segments(header: string, paths: readonly (readonly string[])[], reserve: (d: number, s: number) => (bytes: number, rows: number, sha256: string) => void): SegmentFiles {
    const threads = this.threads;
    const owners = threads.map((_, t) => paths.flatMap((_, d) => (d % threads.length === t ? [d] : [])));
    const busy = owners.flatMap((dims, t) => (dims.length > 0 ? [t] : []));
    const opened = busy.map((t) => threads[t]!.openSegments(header, owners[t]!.map((d) => paths[d]!)));
    const blocks = new SharedBlocks();
    return {
      route: (block, segments) => {
        const slot = blocks.put(block, busy.length, () => threads.some((t) => t.failed));
        busy.forEach((t, k) => threads[t]!.route(opened[k]!.id, blocks, slot, owners[t]!.map((d) => segments[d])));
      },
      close: () => {
        // Places in the list of files reserved in dimension order, as the files are closed on one thread.
        const records = paths.map((ps, d) => ps.map((_, s) => reserve(d, s)));
        busy.forEach((t, k) => {
          const { id, files } = opened[k]!;
          threads[t]!.closeSegments(id, files.flat(), owners[t]!.flatMap((d) => records[d]!));
        });
      },
    };
  }

  stop(): void {
    for (const t of this.threads) t.stop();
  }
}

/** Writes a file line by line with a big buffer: one system call per megabyte, not per line; hashes what it writes. */
export class LineWriter {
  // Lines are encoded straight into one buffer: joining them into a big string first and encoding that cost about a
  // second per million customers.
  private buffer: Buffer;
  /** `buffer`, as a DataView (see writeLine). */
  private view: DataView;
  private used = 0;
  lines = 0;

  constructor(
    private readonly sink: ChunkSink,
    /** Called at close: reserves the file's place in the list of files written, and records it once written. */
    private readonly closing: () => (bytes: number, rows: number, sha256: string) => void,
  ) {
    this.buffer = sink.fresh();
    this.view = viewOf(this.buffer);
  }

  write(line: string): void {
    this.lines++;
    const most = 3 * line.length + 1; // UTF-8 takes at most 3 bytes per UTF-16 code unit
    if (this.used + most > this.buffer.length) this.flush();
    if (most > this.buffer.length) {
      this.emit(Buffer.from(`${line}\n`));
      return;
    }
    this.used += this.buffer.write(line, this.used);
    this.buffer[this.used++] = 10;
  }

  /**
   * Writes one line already encoded, bytes `start..end` of `src` (`view`: a DataView of the same bytes) with its line
   * break: copied four bytes at a time, three to four times faster for a line of 80 bytes than a subarray and
   * `set` (a million customers' lines go to three files each).
   */
  writeLine(src: Uint8Array, view: DataView, start: number, end: number): void {
    if (this.used + (end - start) > this.buffer.length) return this.writeBytes(src.subarray(start, end));
    this.lines++;
    const to = this.view;
    let at = this.used;
    let i = start;
    for (; i + 4 <= end; i += 4, at += 4) to.setUint32(at, view.getUint32(i));
    const buffer = this.buffer;
    for (; i < end; i++) buffer[at++] = src[i]!;
    this.used = at;
  }

  /** Writes `lines` lines already encoded, line breaks included: a line's bytes, or a run of lines in one piece. */
  writeBytes(bytes: Uint8Array, lines = 1): void {
    this.lines += lines;
    if (this.used + bytes.length <= this.buffer.length) {
      this.buffer.set(bytes, this.used);
      this.used += bytes.length;
      return;
    }
    for (let at = 0; at < bytes.length; ) {
      if (this.used === this.buffer.length) this.flush();
      const piece = Math.min(bytes.length - at, this.buffer.length - this.used);
      this.buffer.set(bytes.subarray(at, at + piece), this.used);
      this.used += piece;
      at += piece;
    }
  }

  private emit(chunk: Buffer): void {
    if (this.sink.emit(chunk) && chunk.buffer === this.buffer.buffer) {
      this.buffer = this.sink.fresh();
      this.view = viewOf(this.buffer);
    }
  }

  private flush(): void {
    if (this.used === 0) return;
    this.emit(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  /** Closes a CSV whose first line was its header. */
  close(): void {
    this.flush();
    const record = this.closing();
    const rows = Math.max(0, this.lines - 1);
    this.sink.close((bytes, sha256) => record(bytes, rows, sha256));
  }
}

/** Lines of consecutive rows, encoded: line k is `bytes[ends[k − 1] .. ends[k])` (from 0 for the first), `\n` included. */
export interface LineBlock {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly ends: Uint32Array;
  readonly count: number;
}

/**
 * The files of the segments of some dimensions, written from blocks of lines: `route` sends each line of a block to
 * one file per dimension, the file of segment `segments[d][k]` for line k in dimension d; a dimension without
 * `segments[d]` has one file, which takes every line.
 */
export interface SegmentFiles {
  route(block: LineBlock, segments: readonly (Uint16Array | undefined)[]): void;
  /** Closes the files, in dimension order, then segment order. */
  close(): void;
}

/** Copies each line of `block` to its segment's file in each dimension (see SegmentFiles). */
export function routeLines(block: LineBlock, segments: readonly (Uint16Array | undefined)[], files: readonly (readonly LineWriter[])[]): void {
  const { bytes, view, ends } = block;
  const routed: { of: Uint16Array; to: readonly LineWriter[] }[] = [];
  files.forEach((to, d) => {
    const of = segments[d];
    if (of) routed.push({ of, to });
    else to[0]!.writeBytes(bytes, block.count);
  });
  let start = 0;
  for (let k = 0; k < block.count; k++) {
    const end = ends[k]!;
    for (let d = 0; d < routed.length; d++) routed[d]!.to[routed[d]!.of[k]!]!.writeLine(bytes, view, start, end);
    start = end;
  }
}

/** Segment files on this thread: LineWriters, each starting with the header. */
function segmentWriters(header: string, sinks: readonly (readonly ChunkSink[])[], closing: (d: number, s: number) => () => (bytes: number, rows: number, sha256: string) => void): SegmentFiles {
  const files = sinks.map((row, d) =>
    row.map((sink, s) => {
      const w = new LineWriter(sink, closing(d, s));
      w.write(header);
      return w;
    }),
  );
  return {
    route: (block, segments) => routeLines(block, segments, files),
    close: () => {
      for (const w of files.flat()) w.close();
    },
  };
}

/** Slots of shared memory that blocks of lines are put into for the writer threads to route, reused once they all have. */
class SharedBlocks {
  private static readonly SLOTS = 4;
  readonly bytes: SharedArrayBuffer[] = [];
  readonly ends: SharedArrayBuffer[] = [];
  readonly used: number[] = [];
  readonly counts: number[] = [];
  /** Per slot, the threads that have yet to route the block in it. */
  readonly readers = new Int32Array(new SharedArrayBuffer(4 * SharedBlocks.SLOTS));
  private next = 0;

  /**
   * Copies `block` into the next slot, once it is free, for `readers` threads; returns the slot. `failed`: whether a
   * thread has failed (then its slots may never be freed, and the block goes nowhere: settle reports the failure).
   */
  put(block: LineBlock, readers: number, failed: () => boolean): number {
    const slot = this.next;
    this.next = (slot + 1) % SharedBlocks.SLOTS;
    for (let left; (left = Atomics.load(this.readers, slot)) !== 0 && !failed(); ) Atomics.wait(this.readers, slot, left, 100);
    if ((this.bytes[slot]?.byteLength ?? -1) < block.bytes.length) this.bytes[slot] = new SharedArrayBuffer(Math.max(block.bytes.length, 1 << 21));
    if ((this.ends[slot]?.byteLength ?? -1) < 4 * block.count) this.ends[slot] = new SharedArrayBuffer(4 * Math.max(block.count, 1 << 14));
    new Uint8Array(this.bytes[slot]!).set(block.bytes);
    new Uint32Array(this.ends[slot]!).set(block.ends.subarray(0, block.count));
    this.used[slot] = block.bytes.length;
    this.counts[slot] = block.count;
    Atomics.store(this.readers, slot, readers);
    return slot;
  }

  message(slot: number): RoutedBlock {
    return { bytes: this.bytes[slot]!, ends: this.ends[slot]!, used: this.used[slot]!, count: this.counts[slot]!, readers: this.readers.buffer as SharedArrayBuffer, slot };
  }
}

/** A block of lines in shared memory (see SharedBlocks), as a writer thread gets it. */
export interface RoutedBlock {
  readonly bytes: SharedArrayBuffer;
  readonly ends: SharedArrayBuffer;
  readonly used: number;
  readonly count: number;
  readonly readers: SharedArrayBuffer;
  readonly slot: number;
}

/** A writer thread's view of a routed block. */
export function routedBlock(m: RoutedBlock): LineBlock {
  const bytes = new Uint8Array(m.bytes, 0, m.used);
  return { bytes, view: viewOf(bytes), ends: new Uint32Array(m.ends, 0, m.count), count: m.count };
}

/** A writer thread is done with a routed block (its lines copied, or given up on). */
export function releaseBlock(m: RoutedBlock): void {
  const readers = new Int32Array(m.readers);
  Atomics.sub(readers, m.slot, 1);
  Atomics.notify(readers, m.slot);
}

/** Segment files written on a writer thread, each to its own LocalSink, directly; `closed` gets each file's size, rows and hash. */
export function threadSegmentWriters(header: string, paths: readonly (readonly string[])[], closed: (d: number, s: number, bytes: number, rows: number, sha256: string) => void): SegmentFiles {
  return segmentWriters(
    header,
    paths.map((ps) => ps.map((p) => new LocalSink(p, true))),
    (d, s) => () => (bytes, rows, sha256) => closed(d, s, bytes, rows, sha256),
  );
}

/** A DataView of exactly the bytes of `b`. */
export function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Whether `dir` is missing, empty, or an earlier rfmkit output (which may be replaced). */
function replaceable(dir: string): boolean {
  if (!existsSync(dir)) return true;
  const entries = readdirSync(dir);
  if (entries.length === 0) return true;
  try {
    const summary = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as { tool?: unknown };
    return summary.tool === 'rfmkit';
  } catch {
    return false;
  }
}

function stagingPrefix(target: string): string {
  return `.${basename(target)}.rfmkit-tmp-`;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Cleans up after runs that were killed: their temporary folders go, and an earlier output that a run killed between its
 * two renames had moved aside (`…-old`) is put back when the target is missing.
 */
function recoverStale(target: string): void {
  const parent = dirname(target);
  if (!existsSync(parent)) return;
  const prefix = stagingPrefix(target);
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || isRunning(pid)) continue;
    const path = join(parent, name);
    if (name.endsWith('-old') && !existsSync(target)) renameSync(path, target);
    else rmSync(path, { recursive: true, force: true });
  }
}

/**
 * An output folder written as a whole: files go to a temporary sibling folder, which replaces the target only when
 * `commit` is called, so a failed or killed run leaves the previous output as it was.
 */
export class OutputDir {
  readonly path: string;
  private readonly staging: string;
  private done = false;
  /** Files in the order they were closed; one written in the background is undefined until it is on disk. */
  private readonly files: (WrittenFile | undefined)[] = [];
  private thread: WriterPool | undefined;

  constructor(target: string, pid: number) {
    this.path = resolve(target);
    recoverStale(this.path);
    if (!replaceable(this.path)) {
      throw new UsageError(`--out ${target}: the folder exists and is not an rfmkit output; choose a new or empty folder`);
    }
    this.staging = join(dirname(this.path), `${stagingPrefix(this.path)}${pid}`);
    rmSync(this.staging, { recursive: true, force: true });
    mkdirSync(this.staging, { recursive: true });
  }

  /** Every file written so far, in the order they were closed; call `settle` first when writing in the background. */
  get written(): WrittenFile[] {
    if (this.files.includes(undefined)) throw new Error('OutputDir.written: files are still being written; await settle() first');
    return this.files as WrittenFile[];
  }

  file(relative: string): string {
    return join(this.staging, relative);
  }

  /**
   * A folder for the run's own temporary files (a copy of standard input): the temporary output folder, which a failed
   * or killed run's cleanup removes. Whatever is put there must be gone before `commit`.
   */
  get scratch(): string {
    return this.staging;
  }

  /**
   * From now on, files opened with `lines` are written and hashed by `threads` worker threads (see WriterPool): worth
   * their start-up for big outputs only. Call `settle` before reading them back, and before `commit`.
   */
  writeInBackground(threads = Math.min(2, availableParallelism())): void {
    this.thread ??= new WriterPool(Math.max(1, threads));
  }

  lines(relative: string): LineWriter {
    const path = this.file(relative);
    const sink = this.thread ? this.thread.open(path) : new LocalSink(path);
    return new LineWriter(sink, () => this.reserve(relative));
  }

  /**
   * The files of the segments of some dimensions (`relative[d]`: dimension d's, by segment index), each starting with
   * `header`, written from blocks of lines (see SegmentFiles): on the writer threads when there are some.
   */
  segments(header: string, relative: readonly (readonly string[])[]): SegmentFiles {
    if (this.thread) {
      return this.thread.segments(header, relative.map((ps) => ps.map((p) => this.file(p))), (d, s) => this.reserve(relative[d]![s]!));
    }
    const sinks = relative.map((ps) => ps.map((p) => new LocalSink(this.file(p))));
    return segmentWriters(header, sinks, (d, s) => () => this.reserve(relative[d]![s]!));
  }

  /** A place in the list of files written, for a file being closed; filled in once it is written. */
  private reserve(relative: string): (bytes: number, rows: number, sha256: string) => void {
    const slot = this.files.push(undefined) - 1;
    return (bytes, rows, sha256) => (this.files[slot] = { path: relative, bytes, rows, sha256 });
  }

  /**
   * SHA-256 of an input file for the manifest: on the writer thread when there is one (so that it overlaps the work of
   * this thread), else here.
   */
  hashFile(path: string): Promise<string> {
    return this.thread ? this.thread.hash(path) : hashFile(path);
  }

  /** Waits until every file closed so far is on disk and hashed (at once when nothing is written in the background). */
  async settle(): Promise<void> {
    await this.thread?.settle();
  }

  /** Writes a whole text file at once. */
  text(relative: string, content: string): void {
    const data = Buffer.from(content);
    mkdirSync(dirname(this.file(relative)), { recursive: true });
    writeFileSync(this.file(relative), data);
    this.files.push({ path: relative, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
  }

  commit(): void {
    if (this.files.includes(undefined)) throw new Error('OutputDir.commit: files are still being written; await settle() first');
    this.stopThread();
    const old = `${this.staging}-old`;
    if (existsSync(this.path)) renameSync(this.path, old);
    renameSync(this.staging, this.path);
    rmSync(old, { recursive: true, force: true });
    this.done = true;
  }

  /** Removes the temporary folder of a run that did not commit. */
  discard(): void {
    this.stopThread();
    if (!this.done) rmSync(this.staging, { recursive: true, force: true });
  }

  private stopThread(): void {
    this.thread?.stop();
    this.thread = undefined;
  }
}
