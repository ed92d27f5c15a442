import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readOrdersFast } from '../../src/io/fast/read-fast.js';
import { readOrdersCsv, type ReadOrdersOptions } from '../../src/io/read-orders.js';
import { OPTIONS, compareReaders, tempFile } from './fast-helpers.js';

// Random orders files, read by csv-parse and by the fast reader (on one thread with big and with tiny blocks, and split
// in three parts): whatever csv-parse makes of a file, the fast reader must make the same, or leave it to csv-parse when
// the file has quoting csv-parse complains about. Cells are drawn from small pools, so customers and orders repeat and
// every kind of odd cell turns up.

const readers = { readOrdersCsv, readOrdersFast };

const CUSTOMERS = ['C1', 'C2', 'C3', 'C10', 'Zoë', ' C1', 'C2 ', '\u00a0C3', '', '  ', 'c,1', 'c"1', 'c\n1', 'c\r\n2', 'C\t4', '北京'];
const ORDERS = ['O1', 'O2', 'O3', '1001', '', ' O1', 'O2 ', 'O,1', 'O"2', '#1001', 'o\r3'];
const DATES = [
  '2024-01-05',
  '2024-02-29',
  '2023-12-31',
  '2024-03-05 14:30:00',
  '2024-03-05T23:30:00-02:00',
  '2024-03-05T00:30:00+0100',
  '2024-03-05T12:00:00Z',
  '20240305',
  ' 2024-01-06 ',
  '2023-02-29',
  '2024-13-01',
  'bad',
  '',
  '2024-03-05T24:00',
];
const AMOUNTS = ['12.50', '-3', '0.00005', '-0.00005', '-0', ' 7 ', '+4.2', '.5', '5.', '99999999999.99999', 'x', '1e3', '', '- 5', '123456789012'];
const LINE_ENDS = ['\n', '\r\n', '\r'];

/** A cell as a CSV writer would put it: quoted when it has to be, or when `quote` says so. */
function cell(value: string, quote: boolean, delimiter: string): string {
  const must = value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r');
  return must || quote ? `"${value.replaceAll('"', '""')}"` : value;
}

const row = fc.record({
  customer: fc.constantFrom(...CUSTOMERS),
  order: fc.constantFrom(...ORDERS),
  date: fc.constantFrom(...DATES),
  amount: fc.constantFrom(...AMOUNTS),
  quantity: fc.constantFrom('1', '2', '-1', '0.5', 'x', ''),
  note: fc.constantFrom('', 'gift', 'a,b', 'say "hi"', 'line\nbreak', 'cr\ronly'),
  quote: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  /** 0: as is; 1: a field short; 2: a field over; 3: a bare quote in an unquoted field (csv-parse reports it) */
  damage: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3),
  lineEnd: fc.constantFrom(...LINE_ENDS),
  blankBefore: fc.constantFrom('', '', '', '', '\n', '\r\n', '\n\n'),
});

const file = fc.record({
  layout: fc.constantFrom('plain', 'reordered', 'lines', 'no-order'),
  delimiter: fc.constantFrom(',', ',', ',', ';'),
  bom: fc.boolean(),
  rows: fc.array(row, { maxLength: 40 }),
  trailingLineEnd: fc.boolean(),
  asOf: fc.constantFrom(undefined, 19_700, 19_787),
  timeZone: fc.constantFrom('UTC', 'UTC', 'Asia/Tokyo'),
  preview: fc.constantFrom(0, 0, 3),
  /** Order ids from the pool, or one per line in order (then the orders can be summed up as read, by byte ranges too). */
  orderIds: fc.constantFrom('pool', 'pool', 'ascending', 'descending'),
});

type File = typeof file extends fc.Arbitrary<infer T> ? T : never;

/** The file's text, and whether it has quoting that only csv-parse may report. */
function render(f: File): { text: string; badQuoting: boolean } {
  const d = f.delimiter;
  const header =
    f.layout === 'plain'
      ? ['order_id', 'customer_id', 'order_date', 'amount', 'note']
      : f.layout === 'reordered'
        ? ['note', 'amount', 'order_date', 'customer_id', 'order_id']
        : f.layout === 'lines'
          ? ['InvoiceNo', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID']
          : ['customer', 'date', 'total'];
  let badQuoting = false;
  const lines = f.rows.map((r, i) => {
    const order = f.orderIds === 'pool' ? r.order : `#${f.orderIds === 'ascending' ? 1000 + i : 9000 - i}`;
    const byName: Record<string, string> = {
      order_id: order,
      InvoiceNo: order,
      customer_id: r.customer,
      CustomerID: r.customer,
      customer: r.customer,
      order_date: r.date,
      InvoiceDate: r.date,
      date: r.date,
      amount: r.amount,
      UnitPrice: r.amount,
      total: r.amount,
      Quantity: r.quantity,
      note: r.note,
    };
    let cells = header.map((h, i) => cell(byName[h]!, r.quote[i]!, d));
    if (r.damage === 1) cells = cells.slice(1);
    if (r.damage === 2) cells = [...cells, 'extra'];
    if (r.damage === 3) {
      cells[0] = `x"${cells[0]!.replaceAll('"', '')}`;
      badQuoting = true;
    }
    return r.blankBefore + cells.join(d) + r.lineEnd;
  });
  let text = (f.bom ? '\uFEFF' : '') + header.join(d) + '\n' + lines.join('');
  if (!f.trailingLineEnd) text = text.replace(/(\r\n|\r|\n)+$/, '');
  return { text, badQuoting };
}

describe('fast reader = readOrdersCsv on random files', () => {
  it('agrees on every file (or declines one with quoting csv-parse reports)', async () => {
    const seen = { runs: 0, fastRead: 0, csvError: 0, rejects: 0, byRanges: 0 };
    await fc.assert(
      fc.asyncProperty(file, async (f) => {
        const { text, badQuoting } = render(f);
        const options: ReadOrdersOptions = {
          ...OPTIONS,
          dates: { timeZone: f.timeZone },
          asOf: f.asOf,
          preview: f.preview,
          delimiter: f.delimiter === ';' ? ';' : undefined,
        };
        const { csv, declined, ranges } = await compareReaders(readers, tempFile(text), options, badQuoting ? 'may' : 'must');
        seen.runs++;
        if (ranges.at(-1) === true) seen.byRanges++;
        if (declined.length === 0) seen.fastRead++;
        if ('error' in csv) seen.csvError++;
        else if (csv.ok.rejects.length > 0) seen.rejects++;
      }),
      { numRuns: 400 },
    );
    // The comparison means something only if the fast reader took most files, rejects included.
    expect(seen.fastRead / seen.runs).toBeGreaterThan(0.6);
    expect(seen.rejects / seen.runs).toBeGreaterThan(0.3);
    // and only if reading by byte ranges (the last mode) kept to its ranges for many of them.
    expect(seen.byRanges / seen.runs).toBeGreaterThan(0.2);
  });
});

