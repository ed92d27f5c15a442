import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import type { FastOutcome } from '../../src/io/fast/read-fast.js';
import { InputError, UsageError } from '../../src/errors.js';
import { readOrders, readOrdersCsv, type OrdersRead } from '../../src/io/read-orders.js';
import { spoolInput } from '../../src/io/spool.js';
import { tempDir } from '../temp.js';
import { withIdArray } from './fast-helpers.js';

// Which reader read what: the fast reader's outcomes, in call order.
const outcomes: { path: string; kind: FastOutcome['kind'] }[] = [];
vi.mock('../../src/io/fast/read-fast.js', async (original) => {
  const real = await original<typeof import('../../src/io/fast/read-fast.js')>();
  return {
    ...real,
    readOrdersFast: async (...args: Parameters<typeof real.readOrdersFast>) => {
      const outcome = await real.readOrdersFast(...args);
      outcomes.push({ path: args[0], kind: outcome.kind });
      return outcome;
    },
  };
});

const dir = () => tempDir('spool-test');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Orders with a bit of everything the readers treat apart: quotes, CRLF, a reject, an empty customer, order lines. */
function orders(rows: number): string {
  const lines = ['order_id,customer_id,order_date,amount'];
  for (let i = 0; i < rows; i++) {
    const customer = i % 17 === 0 ? `"C,${i % 5}"` : i % 29 === 0 ? '' : `C${(i * 7919) % 101}`;
    const date = i === 33 ? '2024-02-30' : `2024-0${1 + (i % 6)}-${String(1 + (i % 28)).padStart(2, '0')}`;
    lines.push(`${Math.floor(i / 2)},${customer},${date},${(i % 13) * 3.25}`);
  }
  return lines.map((l, i) => `${l}${i % 3 === 0 ? '\r\n' : '\n'}`).join('');
}

describe('spoolInput', () => {
  it('copies the bytes with gzip undone, counts and hashes them as given, and removes its folder', async () => {
    const d = dir();
    const text = Buffer.from(orders(500));
    const gz = gzipSync(text);
    const file = join(d, 'orders.csv.gz');
    writeFileSync(file, gz);
    const copy = await spoolInput(file, 'orders.csv.gz', d);
    expect(readFileSync(copy.path)).toEqual(text);
    expect(copy.gzip).toBe(true);
    expect(copy.tap.bytes).toBe(gz.length);
    expect(copy.tap.digest()).toBe(sha(gz));
    const folder = join(copy.path, '..');
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(copy.path).mode & 0o777).toBe(0o600);
    copy.remove();
    expect(readdirSync(d)).toEqual(['orders.csv.gz']);
  });

  it('ends damaged gzip with the InputError reading it gives, and leaves nothing behind', async () => {
    const d = dir();
    const gz = gzipSync(Buffer.from(orders(5000)));
    const file = join(d, 'cut.csv.gz');
    writeFileSync(file, gz.subarray(0, gz.length >> 1));
    const err = await spoolInput(file, 'cut.csv.gz', d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^cut\.csv\.gz: the gzip data is damaged/);
    expect(readdirSync(d)).toEqual(['cut.csv.gz']);
  });

  it('says which folder it could not use, as a usage problem (exit 2)', async () => {
    const err = await spoolInput('-', '<stdin>', join(dir(), 'missing')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/cannot make a folder for a copy of <stdin> in .*missing \(ENOENT\); set TMPDIR or --out/);
  });
});

/** What two reads must agree on: everything but where the bytes came from. */
function comparable(r: OrdersRead) {
  return { ...withIdArray(r), source: { ...r.source, bytes: 0, sha256: '', gzip: false } };
}

describe('readOrders with a spool folder', () => {
  it.each([
    ['UTF-8, read by the fast reader from the copy', (t: string) => Buffer.from(t), 'read'],
    ['Windows-1252, read by csv-parse from the copy', (t: string) => Buffer.from(t.replace(/C1(\d)/g, 'Ç$1'), 'latin1'), 'declined'],
  ])('reads a gzip file (%s) as csv-parse streams it, with the input’s own bytes and hash', async (_name, encode, copyRead) => {
    const d = dir();
    const bytes = encode(orders(3000));
    const gz = gzipSync(bytes);
    const plain = join(d, 'orders.csv');
    const packed = join(d, 'orders.csv.gz');
    writeFileSync(plain, bytes);
    writeFileSync(packed, gz);
    const options = { overrides: {}, dates: {}, asOf: 19_900, preview: 3 };
    const streamed = await readOrdersCsv(packed, options);
    outcomes.length = 0;
    const copied = await readOrders(packed, { ...options, spoolDir: d });
    expect(outcomes).toEqual([
      { path: packed, kind: 'declined' },
      { path: expect.stringMatching(/\.rfmkit-spool-\w+\/input\.csv$/), kind: copyRead },
    ]);
    expect(outcomes[1]!.path.startsWith(d)).toBe(true);
    expect(comparable(copied)).toEqual(comparable(streamed));
    expect(copied.rejects.length).toBeGreaterThan(0);
    expect(copied.rejects.every((r) => r.file === packed)).toBe(true);
    expect(copied.source).toMatchObject({ bytes: gz.length, sha256: sha(gz), gzip: true, encoding: streamed.source!.encoding });
    expect(readdirSync(d).sort()).toEqual(['orders.csv', 'orders.csv.gz']);
  });
});
