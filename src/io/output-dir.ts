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

/** Writes and hashes on the calling thread. */
class DirectSink implements ChunkSink {
  private readonly file: HashedFile;

  constructor(path: string) {
    this.file = new HashedFile(path);
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
  private readonly pending = new Map<number, (bytes: number, sha256: string) => void>();
  private readonly hashing = new Map<number, { resolve: (sha256: string) => void; reject: (err: Error) => void }>();
  private nextId = 0;
  /** Bytes sent to be written so far: a file goes to the writer thread that has had the fewest (see WriterPool). */
  sent = 0;
  private failure: Error | undefined;
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
        this.pending.get(m.id)!(m.bytes, m.sha256);
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
    const sink = this.thread ? this.thread.open(path) : new DirectSink(path);
    return new LineWriter(sink, () => {
      const slot = this.files.push(undefined) - 1;
      return (bytes, rows, sha256) => (this.files[slot] = { path: relative, bytes, rows, sha256 });
    });
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
