import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError, UsageError } from '../errors.js';

/** Encodings an input can be read in; `auto` tells UTF-8 and UTF-16 from the bytes, else takes Windows-1252. */
export const ENCODINGS = ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'latin1'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export function checkEncoding(value: string): Encoding {
  const v = value.toLowerCase().replace(/^utf8$/, 'utf-8').replace(/^cp1252$/, 'windows-1252').replace(/^iso-8859-1$/, 'latin1');
  if (!(ENCODINGS as readonly string[]).includes(v)) {
    throw new UsageError(`--encoding ${JSON.stringify(value)}: expected one of ${ENCODINGS.join(', ')}`);
  }
  return v as Encoding;
}

/** Counts and hashes the raw bytes of an input as they stream past, for the manifest. */
export class InputTap {
  bytes = 0;
  private readonly hash: Hash = createHash('sha256');
  private hex: string | undefined;

  update(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
  }

  /** The sha256 of every byte so far; asking again gives the same answer. */
  digest(): string {
    this.hex ??= this.hash.digest('hex');
    return this.hex;
  }
}

/** An input opened as text: the decoded chunks, and what was found out about its bytes. */
export interface TextSource {
  readonly chunks: AsyncIterable<string>;
  readonly encoding: Exclude<Encoding, 'auto'>;
  readonly gzip: boolean;
  readonly tap: InputTap;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** The stream with its first `n` bytes (or fewer, at the end) read ahead and handed back. */
async function peek(stream: AsyncIterable<Buffer>, n: number): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const it = stream[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    parts.push(r.value);
    size += r.value.length;
  }
  const head = Buffer.concat(parts);
  async function* rest(): AsyncIterable<Buffer> {
    if (head.length > 0) yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head, rest: rest() };
}

/** The encoding a file's first bytes tell: a BOM, else UTF-8 when they are valid UTF-8, else Windows-1252. */
export function sniffEncoding(head: Buffer): Exclude<Encoding, 'auto'> {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  try {
    // `stream: true`: a multi-byte character cut at the end of the sample is not a reason to doubt UTF-8.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

function byteSwap16(chunk: Buffer, carry: { byte?: number }): Buffer {
  const bytes = carry.byte === undefined ? chunk : Buffer.concat([Buffer.from([carry.byte]), chunk]);
  const even = bytes.length - (bytes.length % 2);
  carry.byte = even < bytes.length ? bytes[even] : undefined;
  const out = Buffer.from(bytes.subarray(0, even));
  out.swap16();
  return out;
}

async function* decode(bytes: AsyncIterable<Buffer>, encoding: Exclude<Encoding, 'auto'>, file: string): AsyncIterable<string> {
  const be = encoding === 'utf-16be';
  // Node's TextDecoder has no UTF-16 BE: swap the byte pairs and read it as LE.
  const decoder = new TextDecoder(be ? 'utf-16le' : encoding, { fatal: encoding === 'utf-8', ignoreBOM: false });
  const carry: { byte?: number } = {};
  let offset = 0;
  try {
    for await (const chunk of bytes) {
      const text = decoder.decode(be ? byteSwap16(chunk, carry) : chunk, { stream: true });
      offset += chunk.length;
      if (text) yield text;
    }
    const tail = decoder.decode();
    if (tail) yield tail;
  } catch (err) {
    if (err instanceof TypeError) {
      throw new InputError(`not valid UTF-8 near byte ${offset}; pass --encoding windows-1252 (or the file's encoding)`, { file });
    }
    throw err;
  }
}

/**
 * Opens a path (or `-` for standard input) as text: gzip is undone when the bytes start with its magic number, the
 * encoding is taken from `encoding` or told from the first 64 KiB, and a byte-order mark never reaches the text.
 */
export async function openText(path: string, encoding: Encoding, file: string): Promise<TextSource> {
  const { bytes, gzip, tap } = await openBytes(path, file);
  try {
    const second = await peek(bytes, 1 << 16);
    const found = encoding === 'auto' ? sniffEncoding(second.head) : encoding;
    return { chunks: decode(second.rest, found, file), encoding: found, gzip, tap };
  } catch (err) {
    throw ioError(err, file);
  }
}

/** An input's bytes as they stream in, gzip undone, and what was found out about the raw bytes. */
export interface ByteSource {
  readonly bytes: AsyncIterable<Buffer>;
  readonly gzip: boolean;
  /** Counts and hashes the bytes as given (before gzip is undone). */
  readonly tap: InputTap;
}

/** Opens a path (or `-` for standard input) as bytes: gzip is undone when the bytes start with its magic number. */
export async function openBytes(path: string, file: string): Promise<ByteSource> {
  const tap = new InputTap();
  const raw: Readable = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  const tapped = raw.on('data', (chunk: Buffer) => tap.update(chunk));
  try {
    const first = await peek(tapped, 2);
    const gzip = first.head[0] === GZIP_MAGIC[0] && first.head[1] === GZIP_MAGIC[1];
    // Bigger pieces than zlib's 16 KiB: a quarter of the calls for whoever reads them.
    const bytes = gzip ? pipeInto(Readable.from(first.rest), createGunzip({ chunkSize: 1 << 16 })) : first.rest;
    return { bytes, gzip, tap };
  } catch (err) {
    throw ioError(err, file);
  }
}

/** `from.pipe(to)`, with an error of `from` ending `to` too, so whoever reads `to` sees it (plain pipe drops it). */
export function pipeInto<T extends NodeJS.WritableStream & Readable>(from: Readable, to: T): T {
  from.on('error', (err) => to.destroy(err));
  return from.pipe(to);
}

/** A failed read (missing file, bad gzip) as an InputError; anything else as it was. */
export function ioError(err: unknown, file: string): unknown {
  if (err instanceof InputError) return err;
  const code = err instanceof Error && 'code' in err ? String(err.code) : '';
  if (code === 'ENOENT') return new InputError('no such file', { file });
  if (code === 'EISDIR') return new InputError('is a folder, not a file', { file });
  if (code === 'EACCES') return new InputError('permission denied', { file });
  if (code.startsWith('Z_')) return new InputError(`the gzip data is damaged (${code})`, { file });
  if (code.startsWith('E')) return new InputError(`cannot read the file (${code})`, { file });
  return err;
}
