import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDay } from '../../src/core/dates.js';
import { InputError, UsageError } from '../../src/errors.js';
import { readOrders, type OrdersRead } from '../../src/io/read-orders.js';
import { tempDir } from '../temp.js';

interface Order {
  readonly id: number;
  readonly customer: string;
  readonly day: number; // days since 1970-01-01
  readonly cents: number;
}

const dir = tempDir('dialects');
let fileNo = 0;

const order = fc.record({
  customer: fc.constantFrom('ann', 'bob', 'Zoë Müller', 'o"neil', 'semi;colon', 'com,ma', 'ünï'),
  day: fc.integer({ min: 19_000, max: 20_000 }),
  cents: fc.integer({ min: -50_000, max: 5_000_000 }),
});
// The first order falls on the 25th of a month, so day-first and month-first dates can always be told apart.
const orders = fc
  .array(order, { minLength: 1, maxLength: 40 })
  .map((list) => list.map((o, id): Order => ({ ...o, id, day: id === 0 ? 19_746 : o.day })));

const dialect = fc.record({
  delimiter: fc.constantFrom(',', ';', '\t', '|'),
  quoteAll: fc.boolean(),
  crlf: fc.boolean(),
  encoding: fc.constantFrom('utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252'),
  decimal: fc.constantFrom('.', ','),
  grouping: fc.boolean(),
  currency: fc.constantFrom('', '$', ' €', 'EUR '),
  dates: fc.constantFrom('iso', 'iso-time', 'dd/MM/yyyy', 'MM/dd/yyyy', 'dd.MM.yyyy', 'yyyyMMdd'),
  gzip: fc.boolean(),
});
type Dialect = typeof dialect extends fc.Arbitrary<infer D> ? D : never;

function money(cents: number, d: Dialect): string {
  const abs = Math.abs(cents);
  let units = String(Math.floor(abs / 100));
  const other = d.decimal === '.' ? ',' : '.';
  if (d.grouping) units = units.replace(/\B(?=(\d{3})+(?!\d))/g, other);
  const text = `${units}${d.decimal}${String(abs % 100).padStart(2, '0')}`;
  const signed = cents < 0 ? `-${text}` : text;
  return d.currency.startsWith(' ') ? `${signed}${d.currency}` : `${d.currency}${signed}`;
}

function date(day: number, d: Dialect): string {
  const [y, m, dd] = formatDay(day).split('-') as [string, string, string];
  switch (d.dates) {
    case 'iso': return `${y}-${m}-${dd}`;
    case 'iso-time': return `${y}-${m}-${dd} 13:45:00`;
    case 'dd/MM/yyyy': return `${dd}/${m}/${y}`;
    case 'MM/dd/yyyy': return `${m}/${dd}/${y}`;
    case 'dd.MM.yyyy': return `${dd}.${m}.${y}`;
    case 'yyyyMMdd': return `${y}${m}${dd}`;
  }
}

function field(value: string, d: Dialect): string {
  const needs = value.includes(d.delimiter) || value.includes('"') || /[\r\n]/.test(value);
  return d.quoteAll || needs ? `"${value.replace(/"/g, '""')}"` : value;
}

function render(list: readonly Order[], d: Dialect): Buffer {
  const eol = d.crlf ? '\r\n' : '\n';
  const lines = [['order_id', 'customer_id', 'order_date', 'amount'].map((h) => field(h, d)).join(d.delimiter)];
  for (const o of list) lines.push([`#${o.id}`, o.customer, date(o.day, d), money(o.cents, d)].map((v) => field(v, d)).join(d.delimiter));
  const text = lines.join(eol) + eol;
  let bytes: Buffer;
  if (d.encoding === 'utf-8') bytes = Buffer.from(text);
  else if (d.encoding === 'utf-8-bom') bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  else if (d.encoding === 'windows-1252') bytes = Buffer.from([...text].map((c) => (c === '€' ? 0x80 : c.charCodeAt(0))));
  else {
    bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    if (d.encoding === 'utf-16be') bytes.swap16();
  }
  return d.gzip ? gzipSync(bytes) : bytes;
}

/** The orders as read, per customer its facts (counted orders, net amount, order days), and the orders in all: what every dialect must agree on. */
function digest(read: OrdersRead): string[] {
  const { customerIds, frequency, monetary, dayStart, days, orders } = read.customers;
  const facts = Array.from({ length: customerIds.length }, (_, c) => customerIds.at(c)!).map((id, c) => `${id}|${frequency[c]}|${monetary[c]}|${days.subarray(dayStart[c]!, dayStart[c + 1]!).join(' ')}`);
  return [`orders ${orders}`, ...facts.sort()];
}

async function readBytes(bytes: Buffer): Promise<OrdersRead> {
  const path = join(dir, `o${fileNo++}.csv`);
  writeFileSync(path, bytes);
  return readOrders(path, { overrides: {}, dates: { timeZone: 'UTC' } });
}

describe('the same orders in any dialect read the same', () => {
  it('delimiter, quoting, line ends, encoding, BOM, decimal mark, grouping, currency, date format, gzip', async () => {
    await fc.assert(
      fc.asyncProperty(orders, dialect, async (list, d) => {
        const plain: Dialect = { ...d, delimiter: ',', quoteAll: false, crlf: false, encoding: 'utf-8', decimal: '.', grouping: false, currency: '', dates: 'iso', gzip: false };
        const expected = digest(await readBytes(render(list, plain)));
        const read = await readBytes(render(list, d));
        expect(read.counts).toEqual({ rowsRead: list.length, rowsUsed: list.length, skipped: { empty_customer: 0, after_as_of: 0 }, rejected: 0 });
        expect(digest(read)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});

describe('damaged files end in an error a person can read, or in rejects; never a crash', () => {
  const good = Buffer.from('order_id,customer_id,order_date,amount\n1,a,2024-01-05,10.00\n2,"b, c",2024-01-06,"1,234.50"\n3,d,2024-02-01,-3\n');
  const damage = fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('"', '\0', '\r', ',', '\n\n', ';', '\uFEFF', 'x"y') }),
  );
  it('random damage', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(damage, { minLength: 1, maxLength: 4 }), async (hits) => {
        let bytes = Buffer.from(good);
        for (const h of hits) {
          const at = h.at % (bytes.length + 1);
          if (h.kind === 'truncate') bytes = bytes.subarray(0, at);
          else if (h.kind === 'set' && at < bytes.length) bytes[at] = h.byte;
          else if (h.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(h.text), bytes.subarray(at)]);
        }
        try {
          const read = await readBytes(bytes);
          const c = read.counts;
          expect(c.rowsUsed + c.skipped.empty_customer + c.skipped.after_as_of + c.rejected).toBe(c.rowsRead);
        } catch (err) {
          expect(err instanceof InputError || err instanceof UsageError, String(err)).toBe(true);
          expect((err as Error).message).not.toMatch(/\n/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
