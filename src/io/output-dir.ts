import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

const MARKER = 'summary.json';
const FLUSH_AT = 1 << 20;

/** What the manifest says of a file written: rows are data lines of a CSV (header excluded), else undefined. */
export interface WrittenFile {
  readonly path: string;
  readonly bytes: number;
  readonly rows?: number;
  readonly sha256: string;
}

/** Writes a file line by line with a big buffer: one system call per megabyte, not per line; hashes what it writes. */
export class LineWriter {
  private readonly fd: number;
  // Lines are encoded straight into one reused buffer: joining them into a big string first and encoding that cost
  // about a second per million customers.
  private readonly buffer = Buffer.allocUnsafe(FLUSH_AT);
  private used = 0;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  lines = 0;

  constructor(
    path: string,
    private readonly relative: string,
    private readonly done: (file: WrittenFile) => void,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
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

  private emit(data: Buffer): void {
    this.hash.update(data);
    this.bytes += data.length;
    for (let at = 0; at < data.length; ) at += writeSync(this.fd, data, at);
  }

  private flush(): void {
    if (this.used === 0) return;
    this.emit(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  /** Closes a CSV whose first line was its header. */
  close(): void {
    this.flush();
    closeSync(this.fd);
    this.done({ path: this.relative, bytes: this.bytes, rows: Math.max(0, this.lines - 1), sha256: this.hash.digest('hex') });
  }
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
  /** Every file written so far, in the order they were closed. */
  readonly written: WrittenFile[] = [];

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

  file(relative: string): string {
    return join(this.staging, relative);
  }

  lines(relative: string): LineWriter {
    return new LineWriter(this.file(relative), relative, (f) => this.written.push(f));
  }

  /** Writes a whole text file at once. */
  text(relative: string, content: string): void {
    const data = Buffer.from(content);
    mkdirSync(dirname(this.file(relative)), { recursive: true });
    writeFileSync(this.file(relative), data);
    this.written.push({ path: relative, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
  }

  commit(): void {
    const old = `${this.staging}-old`;
    if (existsSync(this.path)) renameSync(this.path, old);
    renameSync(this.staging, this.path);
    rmSync(old, { recursive: true, force: true });
    this.done = true;
  }

  /** Removes the temporary folder of a run that did not commit. */
  discard(): void {
    if (!this.done) rmSync(this.staging, { recursive: true, force: true });
  }
}
