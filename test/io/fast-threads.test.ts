import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OPTIONS, compareReaders, tempFile } from './fast-helpers.js';

// The fast reader with real worker threads. The worker is dist/io/fast/worker.js, so these tests use the built modules
// (npm test builds first) and compare them with the built readOrdersCsv.

const DIST = join(import.meta.dirname, '../../dist/io');
const built = existsSync(join(DIST, 'fast/worker.js'));
type FastModule = typeof import('../../src/io/fast/read-fast.js');
type CsvModule = typeof import('../../src/io/read-orders.js');

async function readers() {
  const fast = (await import(pathToFileURL(join(DIST, 'fast/read-fast.js')).href)) as FastModule;
  const csv = (await import(pathToFileURL(join(DIST, 'read-orders.js')).href)) as CsvModule;
  return { readOrdersCsv: csv.readOrdersCsv, readOrdersFast: fast.readOrdersFast };
}

/** Rows with repeat customers, orders of several lines (some far apart), guest rows, rejects and quoted cells. */
function ordersText(rows: number): string {
  const lines = ['order_id,customer_id,order_date,amount,note'];
  for (let i = 0; i < rows; i++) {
    const order = i % 10 === 0 ? `O${i % 997}` : `O${Math.floor(i / 3)}`; // lines of one order, and ids met again later
    const customer = i % 50 === 7 ? '' : `C${(i * 7919) % 1009}`;
    const date = i % 333 === 5 ? '2024-02-30' : `2024-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const amount = i % 401 === 3 ? 'n/a' : `${(i % 500) - 20}.${i % 100}`;
    const note = i % 13 === 0 ? '"a, ""quoted""\nnote"' : 'x';
    lines.push(`${order},${customer},${date},${amount},${note}`);
  }
  return lines.map((l, i) => l + (i % 2 ? '\n' : '\r\n')).join('');
}

/** As ordersText, with order ids that only grow (each order's lines together): files two workers read by byte ranges. */
function ascendingText(rows: number): string {
  return ordersText(rows)
    .split(/(?<=\n)/)
    .map((line, i) => (i === 0 ? line : line.replace(/^O\d+,C\d*,/, (cells) => `A${String(1_000_000 + Math.floor(i / 3)).slice(1)},C${Math.floor(i / 3) % 1009},`)))
    .join('');
}

describe.skipIf(!built)('fast reader with worker threads (built modules)', () => {
  it('reads a file by byte ranges in 2 workers exactly as readOrdersCsv, through rings big and tiny', async () => {
    const path = tempFile(ascendingText(30_000));
    const modes = [
      { workers: 2, minBytesForWorkers: 0 },
      // A ring of 1 KiB holds a few lines: the workers wait for each other, and lines wrap around its end.
      { workers: 2, minBytesForWorkers: 0, blockSize: 4096, ringBytes: 1024 },
    ];
    const { declined, ranges } = await compareReaders(await readers(), path, { ...OPTIONS, asOf: 19_850 }, 'must', modes);
    expect(declined).toEqual([]);
    expect(ranges).toEqual([true, true]);
  });

  it('falls back to reading by customers when a line is too long for the ring between the workers', async () => {
    // Customer ids of 700 bytes against a ring of 1 KiB: the first such line sent to the other worker cannot go.
    const long = Array.from({ length: 40 }, (_, i) => `A${String(990_000 + i)},${'L'.repeat(700)}${i},2024-05-05,1,x\n`).join('');
    const modes = [{ workers: 2, minBytesForWorkers: 0, ringBytes: 1024 }];
    const { ranges } = await compareReaders(await readers(), tempFile(ascendingText(30_000) + long), OPTIONS, 'must', modes);
    expect(ranges).toEqual([false]);
  });

  it.each([
    ['in the rows sampled: not read by ranges at all', ordersText(30_000)],
    ['after the rows sampled: both workers give up on ranges as they read, and read by customers', `${ascendingText(30_000)}A000005,C1,2024-01-01,1,x\n`],
  ])('order ids out of order %s', async (_, text) => {
    const modes = [{ workers: 2, minBytesForWorkers: 0, ringBytes: 1024 }];
    const { ranges } = await compareReaders(await readers(), tempFile(text), OPTIONS, 'must', modes);
    expect(ranges).toEqual([false]);
  });

  it('reads a file in 2 and in 3 workers exactly as readOrdersCsv', async () => {
    const path = tempFile(ordersText(30_000));
    const modes = [
      { workers: 2, minBytesForWorkers: 0 },
      { workers: 3, minBytesForWorkers: 0, blockSize: 4096 },
    ];
    const { declined } = await compareReaders(await readers(), path, { ...OPTIONS, asOf: 19_850 }, 'must', modes);
    expect(declined).toEqual([]);
  });

  it('reports progress up to the file size', async () => {
    const text = ordersText(5000);
    const path = tempFile(text);
    const seen: number[] = [];
    const { readOrdersFast } = await readers();
    const r = await readOrdersFast(path, { ...OPTIONS, onProgress: (n) => seen.push(n) }, { workers: 2, minBytesForWorkers: 0, blockSize: 1024 });
    expect(r.kind).toBe('read');
    expect(seen.at(-1)).toBe(Buffer.byteLength(text));
  });

  it('declines, without a stray worker, when a worker meets quoting csv-parse reports', async () => {
    const path = tempFile(`${ordersText(3000)}\nO1,C"1,2024-01-01,1,x\n`);
    const { declined } = await compareReaders(await readers(), path, OPTIONS, 'may', [{ workers: 2, minBytesForWorkers: 0 }]);
    expect(declined.length).toBe(1);
  });
});
