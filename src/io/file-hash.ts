import { createHash } from 'node:crypto';
import { closeSync, constants, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';

/** SHA-256 of a file, read a block at a time without holding up the event loop (other work goes on meanwhile). */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    for (let at = 0; ; ) {
      const { bytesRead } = await file.read(buf, 0, buf.length, at);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      at += bytesRead;
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

/**
 * Writes all of `chunk` (writeSync may write less than asked) at `position`, or at the file's position when none is
 * given; returns its length.
 */
export function writeFully(fd: number, chunk: Uint8Array, position?: number): number {
  for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at, chunk.length - at, position === undefined ? null : position + at);
  return chunk.length;
}

/** Bytes a direct write's address, length and file offset are multiples of (any block size up to 4 KiB). */
const ALIGN = 4096;

// Not in @types/node 20's globals.
declare const WebAssembly: { Memory: new (size: { initial: number }) => { buffer: ArrayBuffer } };

let staging: Buffer | null | undefined;

/**
 * This thread's page-aligned buffer for direct writes: a WebAssembly memory starts on a page boundary, which memory from
 * Buffer.alloc does not (its 16-byte malloc header). About 1 MiB, reused by every file the thread writes. Null when
 * there is none to be had: V8 reserves gigabytes of address space for a WebAssembly memory, which a limit on virtual
 * memory (`ulimit -v`) may refuse; then files are written the ordinary way.
 */
function stagingBuffer(): Buffer | null {
  if (staging === undefined) {
    try {
      staging = Buffer.from(new WebAssembly.Memory({ initial: 17 }).buffer);
    } catch {
      staging = null;
    }
  }
  return staging;
}

/** The platform's O_DIRECT flag, 0 where there is none. */
const O_DIRECT: number = constants.O_DIRECT ?? 0;

/**
 * How fast direct writes of at least 64 KiB have gone on a thread. A direct write waits for the device, where an ordinary
 * one returns once the bytes are in memory: below 250 MB/s (a spinning disk, a slow network share), after the first
 * 16 MB, files are written the ordinary way from then on. Two writer threads writing at once here measured 0.67–1 GB/s
 * each, and direct writes still took the 10M benchmark's write stage from 0.86–0.93 s to 0.53–0.59 s.
 */
export class DeviceSpeed {
  private bytes = 0;
  private ms = 0;
  slow = false;

  constructor(private readonly slowBelowBytesPerMs = 250e3) {}

  /** A direct write of `bytes` took `ms`. */
  took(bytes: number, ms: number): void {
    if (bytes < 1 << 16) return;
    this.bytes += bytes;
    this.ms += ms;
    this.slow ||= this.bytes >= 1 << 24 && this.bytes < this.slowBelowBytesPerMs * this.ms;
  }
}

/** This thread's files' DeviceSpeed. */
const threadDevice = new DeviceSpeed();

/**
 * A new file (its folder made when missing), hashed as it is written: its size and SHA-256 when closed.
 *
 * Written with O_DIRECT when asked (`direct`) and the file system takes it: the bytes go from an aligned buffer to the
 * disk, without a page-cache copy. On this project's benchmark machine (a VM whose freed memory goes back to the host)
 * a fresh page of page cache costs about 0.6 ms per MB of system time; writing the 10M benchmark's 334 MB output took
 * the writer threads 0.25 s of system time that way, and 0.04 s direct. Bytes that do not fill a 4 KiB block wait
 * for the next write; the last block is written padded with zeros and the file then cut to its size. A file system
 * that refuses O_DIRECT (tmpfs on older kernels, some network file systems), at open or at a write, gets the rest of
 * the file written the ordinary way.
 */
export class HashedFile {
  private fd: number;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private direct: boolean;
  /** Bytes in the file so far (writing directly, a multiple of ALIGN), and the ones given after them, not yet written. */
  private written = 0;
  private readonly carry = Buffer.allocUnsafe(ALIGN);
  private carried = 0;
  private readonly staging: Buffer;
  private readonly device: DeviceSpeed;

  /**
   * `direct`: whether to try O_DIRECT (where the platform has it; RFMKIT_BUFFERED_WRITES turns it off, to compare);
   * not by default.
   * `staging`: the buffer direct writes go through (the tests give one that is not aligned, which the file system
   * refuses), about 1 MiB of this thread's by default. `device`: how fast direct writes have gone, this thread's by
   * default.
   */
  constructor(
    private readonly path: string,
    options: { direct?: boolean; staging?: Buffer; device?: DeviceSpeed } = {},
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.device = options.device ?? threadDevice;
    const staging = O_DIRECT !== 0 && options.direct === true && !process.env.RFMKIT_BUFFERED_WRITES && !this.device.slow ? (options.staging ?? stagingBuffer()) : null;
    this.direct = staging !== null;
    this.staging = staging ?? Buffer.alloc(0);
    this.fd = this.direct ? openDirect(path) : -1;
    if (this.fd < 0) {
      this.direct = false;
      this.fd = openSync(path, 'w');
    }
  }

  write(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    let from = 0;
    const stage = this.staging;
    while (this.direct && from < chunk.length) {
      stage.set(this.carry.subarray(0, this.carried), 0);
      const take = Math.min(chunk.length - from, stage.length - this.carried);
      stage.set(chunk.subarray(from, from + take), this.carried);
      from += take;
      const filled = this.carried + take;
      const whole = filled - (filled % ALIGN);
      this.carry.set(stage.subarray(whole, filled), 0);
      this.carried = filled - whole;
      if (!this.writeDirect(stage, whole)) this.stopDirect(stage.subarray(0, whole));
    }
    if (from < chunk.length) this.written += writeFully(this.fd, chunk.subarray(from), this.written);
  }

  close(): { bytes: number; sha256: string } {
    if (this.direct && this.carried > 0) {
      // The last block, padded with zeros; the file then cut to its size.
      const stage = this.staging;
      stage.set(this.carry.subarray(0, this.carried), 0);
      stage.fill(0, this.carried, ALIGN);
      if (this.writeDirect(stage, ALIGN)) ftruncateSync(this.fd, this.bytes);
      else this.stopDirect();
    }
    closeSync(this.fd);
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /**
   * Writes `stage[0..length)` at `written` directly; false, with nothing counted as written, when the file system
   * refuses it or the device has been found slow (see DeviceSpeed). A write that finds it slow stops direct writing
   * once it is done.
   */
  private writeDirect(stage: Buffer, length: number): boolean {
    if (this.device.slow) return false; // found slow since this file was opened: the ordinary way from here on
    const t0 = performance.now();
    try {
      this.written += writeFully(this.fd, stage.subarray(0, length), this.written);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EINVAL') return false;
      throw err;
    }
    this.device.took(length, performance.now() - t0);
    if (this.device.slow) this.stopDirect();
    return true;
  }

  /** Goes on without O_DIRECT: the file opened again, `unwritten` and then the bytes carried written at once. */
  private stopDirect(unwritten: Uint8Array = new Uint8Array(0)): void {
    closeSync(this.fd);
    this.direct = false;
    this.fd = openSync(this.path, 'r+');
    this.written += writeFully(this.fd, unwritten, this.written);
    this.written += writeFully(this.fd, this.carry.subarray(0, this.carried), this.written);
    this.carried = 0;
  }
}

/** A new file opened for direct writing, or −1 when the file system does not take O_DIRECT. */
function openDirect(path: string): number {
  try {
    return openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | O_DIRECT, 0o666);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EINVAL') return -1;
    throw err;
  }
}
