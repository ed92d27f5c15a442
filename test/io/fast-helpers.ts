import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FastOptions, FastOutcome } from '../../src/io/fast/read-fast.js';
import type { OrdersRead, ReadOrdersOptions } from '../../src/io/read-orders.js';
import { tempDir } from '../temp.js';

const dir = tempDir('fast');
let files = 0;

/** A file in a temporary folder with these bytes. */
export function tempFile(content: string | Buffer, name = `in-${++files}.csv`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

export const OPTIONS: ReadOrdersOptions = { overrides: {}, dates: { timeZone: 'UTC' } };

/**
 * How the fast reader is run in tests: on the calling thread with large and with tiny blocks (every record then crosses
 * a block end, and long ones grow the buffer), split in three parts read one after another, as workers would, and in
 * two byte ranges read one after the other (RANGES).
 */
export const RANGES: FastOptions = { workers: 2, threads: false, minBytesForWorkers: 0, blockSize: 64 };
export const MODES: readonly FastOptions[] = [{ workers: 1 }, { workers: 1, blockSize: 7 }, { workers: 3, threads: false, minBytesForWorkers: 0, blockSize: 64 }, RANGES];

type Result<T> = { readonly ok: T } | { readonly error: string };

async function settle<T>(f: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: await f() };
  } catch (err) {
    return { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

export interface Readers {
  readonly readOrdersCsv: (path: string, options: ReadOrdersOptions) => Promise<OrdersRead>;
  readonly readOrdersFast: (path: string, options: ReadOrdersOptions, fast?: FastOptions) => Promise<FastOutcome>;
}

/**
 * Reads `path` with csv-parse and with the fast reader in every mode. Where the fast reader takes the file, everything
 * it returns must equal readOrdersCsv's result, typed arrays element for element; where readOrdersCsv throws, the fast
 * reader must decline (readOrders then throws readOrdersCsv's error). `fast: 'must'` also fails a declined file.
 * Returns readOrdersCsv's outcome and the fast reader's reasons for declining.
 */
export async function compareReaders(
  readers: Readers,
  path: string,
  options: ReadOrdersOptions = OPTIONS,
  fast: 'must' | 'may' = 'must',
  modes: readonly FastOptions[] = MODES,
): Promise<{ csv: Result<OrdersRead>; declined: string[]; ranges: boolean[] }> {
  const csv = await settle(() => readers.readOrdersCsv(path, options));
  const declined: string[] = [];
  /** Per mode that read the file: whether it read it by byte ranges. */
  const ranges: boolean[] = [];
  for (const mode of modes) {
    const got = await settle(() => readers.readOrdersFast(path, options, mode));
    if ('error' in got) throw new Error(`the fast reader threw (${JSON.stringify(mode)}): ${got.error}`);
    if (got.ok.kind === 'declined') {
      declined.push(got.ok.reason);
      if (fast === 'must' && 'ok' in csv) throw new Error(`the fast reader declined (${JSON.stringify(mode)}): ${got.ok.reason}`);
      continue;
    }
    if ('error' in csv) throw new Error(`readOrdersCsv threw "${csv.error}" but the fast reader read the file (${JSON.stringify(mode)})`);
    ranges.push(got.ok.ranges);
    const ids = got.ok.read.customers.customerIds;
    expect([ids.at(-1), ids.at(ids.length)], 'ids out of range').toEqual([undefined, undefined]);
    expect(withIdArray(got.ok.read), JSON.stringify(mode)).toStrictEqual(withIdArray(csv.ok));
  }
  return { csv, declined, ranges };
}

/** A read with its customer ids as an array (the fast reader hands them out one by one: an IdList). */
export function withIdArray(read: OrdersRead): OrdersRead {
  const ids = read.customers.customerIds;
  return { ...read, customers: { ...read.customers, customerIds: Array.from({ length: ids.length }, (_, i) => ids.at(i)!) } };
}
