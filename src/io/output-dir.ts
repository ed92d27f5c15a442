import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

const MARKER = 'summary.json';
const FLUSH_AT = 1 << 20;

/** Writes a file line by line with a big buffer: one system call per megabyte, not per line. */
export class LineWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;
  lines = 0;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
  }

  write(line: string): void {
    this.buffer.push(line);
    this.size += line.length + 1;
    this.lines++;
    if (this.size >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, `${this.buffer.join('\n')}\n`);
    this.buffer = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
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

/**
 * An output folder written as a whole: files go to a temporary sibling folder, which replaces the target only when
 * `commit` is called, so a failed or killed run leaves the previous output as it was.
 */
export class OutputDir {
  readonly path: string;
  private readonly staging: string;
  private done = false;

  constructor(target: string, pid: number) {
    this.path = resolve(target);
    if (!replaceable(this.path)) {
      throw new UsageError(`--out ${target}: the folder exists and is not an rfmkit output; choose a new or empty folder`);
    }
    this.staging = join(dirname(this.path), `.${basename(this.path)}.rfmkit-tmp-${pid}`);
    rmSync(this.staging, { recursive: true, force: true });
    mkdirSync(this.staging, { recursive: true });
  }

  file(relative: string): string {
    return join(this.staging, relative);
  }

  lines(relative: string): LineWriter {
    return new LineWriter(this.file(relative));
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
