import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readOrdersFast } from '../../src/io/fast/read-fast.js';
import { readOrdersCsv, type ReadOrdersOptions } from '../../src/io/read-orders.js';
import { SAMPLE_ROWS } from '../../src/io/detect.js';
import { MODES, OPTIONS, RANGES, compareReaders, tempFile } from './fast-helpers.js';

// The fast reader against readOrdersCsv on small files: the same customers (in id order, each with the same orders in
// all, counted orders, net amount and order days), counts, latest day, rejects (line, column, message, raw text), rules,
// preview and source facts.

const readers = { readOrdersCsv, readOrdersFast };
const HEAD = 'order_id,customer_id,order_date,amount';
const csv = (...lines: string[]) => lines.join('\n');
const same = (text: string | Buffer, options: ReadOrdersOptions = OPTIONS) => compareReaders(readers, tempFile(text), options);

async function rejectsOf(text: string, options: ReadOrdersOptions = OPTIONS) {
  const { csv: r } = await same(text, options);
  if ('error' in r) throw new Error(r.error);
  return r.ok.rejects.map((x) => [x.line, x.column ?? null, x.reason]);
}

describe('fast reader = readOrdersCsv, line ends and blank lines', () => {
  it.each([
    ['LF', `${HEAD}\nO1,C1,2024-01-05,10.00\nO2,C2,2024-01-06,20.50\nO3,C1,2024-02-01,5\n`],
    ['CRLF', `${HEAD}\r\nO1,C1,2024-01-05,10.00\r\nO2,C2,2024-01-06,20.50\r\n`],
    ['lone CR (classic Mac)', `${HEAD}\rO1,C1,2024-01-05,10.00\rO2,C2,2024-01-06,x\r`],
    ['mixed', `${HEAD}\r\nO1,C1,2024-01-05,10.00\nO2,C2,bad,1\rO3,C3,2024-01-07,3\r\n`],
    ['no line break at the end', `${HEAD}\nO1,C1,2024-01-05,10.00\nO2,C2,2024-01-06,bad`],
    ['blank lines everywhere', `\n\r\n${HEAD}\n\n\nO1,C1,2024-01-05,10.00\r\n\r\n\rO2,C2,bad,1\n\n`],
    ['a line of spaces is a record, not a blank line', `${HEAD}\nO1,C1,2024-01-05,10.00\n   \nO2,C2,2024-01-06,1\n`],
    ['CR at the very end', `${HEAD}\nO1,C1,2024-01-05,10.00\r`],
    ['header only', `${HEAD}\n`],
  ])('%s', async (_, text) => {
    await same(text);
  });

  it('reports rejects on the lines csv-parse counts (a quoted CRLF counts as two lines, as in readOrdersCsv)', async () => {
    const text = `${HEAD},note\r\nO1,C1,2024-01-05,1,"a\r\nb"\r\nO2,C2,bad,1,x\r\nO3,C3,2024-01-05,1,"x\n\ny",z\n\n\nO4,C4,bad,1,1\n`;
    // On physical lines 4, 5 and 10; csv-parse's info.lines counts the quoted \r\n of line 2 twice.
    expect(await rejectsOf(text)).toEqual([
      [5, 3, 'bad_date'],
      [6, null, 'field_count'],
      [11, 3, 'bad_date'],
    ]);
  });
});

describe('fast reader = readOrdersCsv, byte-order marks and encodings', () => {
  it.each([
    ['one BOM', `\uFEFF${HEAD}\nO1,C1,2024-01-05,1\n`],
    ['two BOMs (the decoder drops one, csv-parse the other)', `\uFEFF\uFEFF${HEAD}\nO1,C1,2024-01-05,1\n`],
    ['three BOMs (the third stays in the text, and trim takes it off the name)', `\uFEFF\uFEFF\uFEFF${HEAD}\nO1,C1,2024-01-05,1\n`],
  ])('%s', async (_, text) => {
    await same(text);
  });

  it('takes UTF-8 ids, and trims no-break spaces as interpretRow does', async () => {
    await same(csv(HEAD, 'O1,Zoë,2024-01-05,1', 'O2,\u00a0Zoë\u00a0,2024-01-06,2', 'O3,  Zoë ,2024-01-07,3', 'O4,\tZoë,2024-01-08,4', 'Ø5 ,Zoë,2024-01-09,5', 'Ø5,Zoë,2024-01-10,5'));
  });

  it.each([
    ['invalid UTF-8 past the first megabyte (readOrdersCsv stops with an error)', Buffer.concat([Buffer.from(`${HEAD}\n`), Buffer.from('O1,C1,2024-01-05,1\n'.repeat(60_000)), Buffer.from([0x4f, 0xff, 0x2c]), Buffer.from('C2,2024-01-05,1\n')])],
    ['Windows-1252 (told from the first bytes)', Buffer.from(`${HEAD}\nO1,Zo\xeb,2024-01-05,1\n`, 'latin1')],
    ['UTF-16 LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEAD}\nO1,C1,2024-01-05,1\n`, 'utf16le')])],
    ['gzip', gzipSync(`${HEAD}\nO1,C1,2024-01-05,1\n`)],
    ['NUL bytes', `${HEAD}\nO1,C\u00001,2024-01-05,1\n`],
    ['empty', ''],
    ['only blank lines', '\n\r\n  \n'],
  ])('declines %s, which readOrdersCsv reads or refuses', async (_, content) => {
    const { declined } = await compareReaders(readers, tempFile(content), OPTIONS, 'may');
    expect(declined.length).toBe(MODES.length);
  });
});

describe('fast reader = readOrdersCsv, rows', () => {
  it('gathers lines of one order (adjacent, far apart, across blocks) and keeps one id under two customers apart', async () => {
    const rows = [HEAD];
    for (let i = 0; i < 300; i++) rows.push(`O${i % 7},C${i % 11},2024-0${1 + (i % 9)}-1${i % 10},${i}.${i % 100}`);
    rows.push('O1,C1,2023-12-31,-5', 'O1,C1,2024-12-31,7.5', ',C1,2024-01-01,1', ' O1 ,C1,2024-01-01,2');
    await same(csv(...rows));
  });

  it('reads ascending order ids without lookups, until an old id comes back (then every id is looked up)', async () => {
    const rows = [HEAD];
    for (let i = 0; i < 400; i++) rows.push(`#${1000 + Math.floor(i / 3)},C${Math.floor(i / 3) % 17},2024-01-${10 + (i % 9)},${i}.5`);
    rows.push('#1001,C1,2023-12-01,-7', '#1001,C2,2024-02-01,1', '#99999,C3,2024-02-01,1', '#1002,C2,2024-02-02,2', '#1133,C14,2024-02-02,3');
    const path = tempFile(csv(...rows));
    await compareReaders(readers, path);
    const outcome = await readOrdersFast(path, OPTIONS, { workers: 1, blockSize: 7 });
    expect(outcome.kind === 'read' && outcome.rereads).toBeGreaterThan(0); // the old ids were read back from the file
  });

  describe('orders summed up as read while their ids are in order (OrderStream), else kept (OrderTable)', () => {
    /** Reads a file in every mode against readOrdersCsv, and says how many parts of a one-part read streamed. */
    async function streamed(text: string, options: ReadOrdersOptions = OPTIONS): Promise<number> {
      const path = tempFile(text);
      await compareReaders(readers, path, options);
      const outcome = await readOrdersFast(path, options, { workers: 1 });
      if (outcome.kind !== 'read') throw new Error(outcome.reason);
      return outcome.streamed;
    }
    const lines = (ids: (i: number) => string) => {
      const rows = [HEAD];
      for (let i = 0; i < 120; i++) rows.push(`${ids(i)},C${i % 13},2024-01-${10 + (i % 19)},${i % 5 === 0 ? '-' : ''}${i}.25`);
      return rows;
    };

    it('ascending ids, lines of one order together, refunds: streamed', async () => {
      expect(await streamed(csv(...lines((i) => `#${1000 + Math.floor(i / 3)}`).map((l, i) => (i === 0 ? l : l.replace(/,C\d+,/, `,C${Math.floor((i - 1) / 3) % 13},`)))))).toBe(1);
    });

    it('descending ids (newest first, as many shops export): streamed', async () => {
      expect(await streamed(csv(...lines((i) => `${9000 - i}`)))).toBe(1);
    });

    it('lines without an id between the lines of one order, and counting rows: streamed', async () => {
      const text = csv(HEAD, 'A1,C1,2024-01-01,5', ',C2,2024-01-02,7', 'A1,C1,2023-12-30,-2', ',C1,2024-01-03,-1', 'A2,C2,2024-01-04,3', 'A2,C2,2024-01-05,-4');
      expect(await streamed(text)).toBe(1);
      expect(await streamed(text, { ...OPTIONS, frequency: 'rows' })).toBe(1);
    });

    it('no order id column at all: streamed', async () => {
      expect(await streamed(csv('customer_id,order_date,amount', 'C1,2024-01-01,1', 'C2,2024-01-02,2', 'C1,2024-01-01,-3'))).toBe(1);
    });

    it.each([
      ['an id that comes back after others', (rows: string[]) => [...rows, rows[5]!]],
      ['the last id under another customer', (rows: string[]) => [...rows, rows.at(-1)!.replace(/,C\d+,/, ',C99,')]],
      ['ids that grow, then shrink', (rows: string[]) => [...rows, '#0001,C1,2024-01-01,1']],
    ])('%s: read again, every order kept, the same result', async (_, change) => {
      expect(await streamed(csv(...change(lines((i) => `#${1000 + i}`))))).toBe(0);
    });
  });

  it('leaves the hash out when asked to, but only for a file read in several parts', async () => {
    const text = csv(HEAD, ...Array.from({ length: 50 }, (_, i) => `O${i},C${i % 7},2024-01-0${1 + (i % 9)},${i}`));
    const path = tempFile(text);
    const expected = createHash('sha256').update(text).digest('hex');
    const read = async (deferHash: boolean, fast: object) => {
      const outcome = await readOrdersFast(path, { ...OPTIONS, deferHash }, fast);
      if (outcome.kind !== 'read') throw new Error(outcome.reason);
      return outcome.read.source?.sha256;
    };
    const split = { workers: 2, threads: false, minBytesForWorkers: 0, blockSize: 64 };
    expect(await read(true, split)).toBeUndefined();
    expect(await read(false, split)).toBe(expected);
    expect(await read(true, { workers: 1 })).toBe(expected); // one part hashes as it reads, at no cost
  });

  it('skips guest rows (empty customer) before reading anything else of them', async () => {
    await same(csv(HEAD, 'O1,,bad,bad', 'O2,   ,2024-01-01,1', 'O3,C1,2024-01-01,1', 'O4,"",2024-01-01,1'));
  });

  it('rejects bad dates, bad numbers and wrong field counts with the same line, column and message', async () => {
    const text = csv(HEAD, 'O1,C1,2024-02-30,1', 'O2,C1,2024-02-03,1.2.3', 'O3,C1,2024-02-03', 'O4,C1,2024-02-03,1,extra', 'O5,C1,2024-02-03, 12 ', 'O6,C2,20240203,-0', 'O7,C2,2024-02-03,1e3');
    expect(await rejectsOf(text)).toEqual([
      [2, 3, 'bad_date'],
      [3, 4, 'bad_number'],
      [4, null, 'field_count'],
      [5, null, 'field_count'],
      [8, 4, 'bad_number'],
    ]);
  });

  it('reads quoted fields: delimiters, quotes and line breaks inside, any column', async () => {
    await same(
      csv(
        HEAD,
        '"O1","C1","2024-01-05","10.00"',
        'O2,"C ""2""",2024-01-06,"1"',
        '"O,3","C\n3",2024-01-07,3',
        'O4,"",2024-01-07,3',
        '"O5",C5,"2024-01-0""8",3',
        '"",C6,2024-01-09,"-0,5"',
      ),
    );
  });

  it('keeps rounding, −0 and large amounts as parseNumber does', async () => {
    await same(csv(HEAD, 'O1,C1,2024-01-05,0.00005', 'O2,C1,2024-01-05,-0.00005', 'O3,C1,2024-01-05,-0', 'O4,C2,2024-01-05,99999999999.99999', 'O4,C2,2024-01-05,99999999999.99999', 'O5,C3,2024-01-05,.5'));
  });

  it('reads quantity × unit price', async () => {
    await same(csv('InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice', '536365,17850,2010-12-01 08:26,6,2.55', '536365,17850,2010-12-01 08:26,-6,2.55', '536366,17850,2010-12-01 08:28,3,x', '536367,,2010-12-01 08:34,32,1.69'));
  });

  it('reads the date formats and decimal commas told from the data (dates through parseDay, amounts through parseNumber)', async () => {
    await same(csv('order;customer;date;total', 'O1;C1;31/12/2023;12,50', 'O2;C2;5/3/2024;1.234,50', 'O3;C1;31/02/2024;1', 'O4;C3;01/01/2024;€ 3,00'));
    await same(csv('order,customer,date,total', 'O1,C1,5-Mar-24,12.5', 'O2,C2,6-Mar-24,"1,234.50"', 'O3,C1,45356,1'));
  });

  it('reads ISO timestamps with offsets, in UTC and in another --tz', async () => {
    const text = csv(HEAD, 'O1,C1,2024-03-05T23:30:00-02:00,1', 'O2,C1,2024-03-05 00:30:00+0100,1', 'O3,C2,2024-03-05T12:00:00Z,1', 'O4,C2,2024-03-05T12:00,1', 'O5,C3,2024-03-05T25:00,1');
    await same(text);
    await same(text, { ...OPTIONS, dates: { timeZone: 'Pacific/Kiritimati' } });
  });

  it('reads a date cell like the one before it (kept, not read again) as that one: good, bad, other forms, other lengths', async () => {
    // Runs of one cell, then one that differs in its last byte, in its length, or only after a cell that failed.
    const cells = ['2024-03-05', '2024-03-05', '2024-03-06', '2024-03-06', '2024-02-30', '2024-02-30', '2024-03-06',
      '2024-03-05T23:30:00-02:00', '2024-03-05T23:30:00-02:00', '2024-03-05T23:30:00-01:00', '20240305', '20240305', '2024-03-0', '2024-03-05'];
    const text = csv(HEAD, ...cells.map((d, i) => `O${i},C${i % 3},${d},1`));
    await same(text);
    await same(text, { ...OPTIONS, dates: { timeZone: 'Pacific/Kiritimati' } });
    const european = ['31/12/2023', '31/12/2023', '01/01/2024', '31/02/2024', '31/02/2024', '01/01/2024'];
    await same(csv('order;customer;date;total', ...european.map((d, i) => `O${i};C${i % 2};${d};1,5`)));
    expect(await rejectsOf(text)).toEqual([
      [6, 3, 'bad_date'],
      [7, 3, 'bad_date'],
      [14, 3, 'bad_date'],
    ]);
  });

  it('skips rows after the as-of day, and honours --date-format, --decimal, --delimiter and column flags', async () => {
    const text = csv('id;who;when;value;other', 'O1;C1;05.03.2024;12,5;x', 'O2;C2;06.03.2024;1;y', 'O3;C1;07.03.2025;2;z');
    await same(text, { ...OPTIONS, asOf: 19788 });
    await same(text, { ...OPTIONS, dates: { format: 'dd.MM.yyyy', timeZone: 'UTC' }, decimal: ',', delimiter: ';', overrides: { customer: 'who', date: 'when', amount: 'value', order: 'id' } });
  });

  it('hands back the same preview lines', async () => {
    await same(csv(HEAD, 'O1,C1,bad,1', '', 'O2,C2,2024-01-05,1', 'O3,,2024-01-05,1', 'O4,C4,2024-01-05,2', 'O5,C5,2024-01-05,3'), { ...OPTIONS, preview: 2 });
  });

  it('trims header names and reads tab- and pipe-separated files', async () => {
    await same(csv(' order_id , customer_id ,order_date, amount ', 'O1,C1,2024-01-05,1'));
    await same(csv('order_id\tcustomer_id\torder_date\tamount', 'O1\tC1\t2024-01-05\t1,5'));
    await same(csv('order_id|customer_id|order_date|amount', 'O1|C1|2024-01-05|1.5', 'O2|C1|2024-01-05|1|'));
  });

  it('tells formats from the first SAMPLE_ROWS rows only, like readOrdersCsv', async () => {
    const rows = [HEAD];
    for (let i = 0; i < SAMPLE_ROWS + 50; i++) rows.push(`O${i},C${i % 500},${i < SAMPLE_ROWS ? '2024-01-05' : '05/01/2024'},${i < SAMPLE_ROWS ? '1.5' : '1,5'}`);
    await compareReaders(readers, tempFile(csv(...rows)), OPTIONS, 'must', [{ workers: 1 }, { workers: 2, threads: false, minBytesForWorkers: 0, blockSize: 1000 }]);
  });
});

describe('fast reader = readOrdersCsv, reading by byte ranges', () => {
  const NOTE_HEAD = 'order_id,customer_id,order_date,amount,note';
  /** Reads a file in every mode against readOrdersCsv; whether the two-range mode kept to its ranges. */
  async function byRanges(text: string, options: ReadOrdersOptions = OPTIONS): Promise<boolean> {
    const { ranges } = await compareReaders(readers, tempFile(text), options);
    const outcome = await readOrdersFast(tempFile(text), options, RANGES);
    if (outcome.kind !== 'read') throw new Error(outcome.reason);
    expect(ranges.at(-1)).toBe(outcome.ranges);
    return outcome.ranges;
  }
  /**
   * Rows of orders `order(o)` (line i is of order o = group(i / 2)), with rejects, skips, quoted and non-ASCII cells
   * throughout; all lines of an order have one customer.
   */
  const rows = (n: number, order: (o: number) => string, group = (o: number) => o) =>
    Array.from({ length: n }, (_, i) => {
      const o = group(Math.floor(i / 2));
      const customer = i % 31 === 4 ? '' : o % 23 === 2 ? `" Zoë ${o % 7}"` : `C${(o * 7919) % 97}`;
      const date = i % 37 === 9 ? '2024-02-30' : `2024-0${1 + (i % 9)}-1${i % 10}`;
      const amount = i % 41 === 7 ? 'n/a' : i % 19 === 3 ? '-4.5' : `${i % 300}.${i % 10}5`;
      const note = i % 11 === 0 ? '"a ""b"", c"' : i % 17 === 0 ? '"two\nlines"' : 'x';
      return i % 29 === 13 ? `${order(o)},${customer}` : `${order(o)},${customer},${date},${amount},${note}`;
    });

  it('splits a file at a line break near the middle, and reads it as readOrdersCsv does, rejects and preview included', async () => {
    const text = [NOTE_HEAD, ...rows(400, (o) => `#${10_000 + o}`)].join('\n') + '\n';
    expect(await byRanges(text)).toBe(true);
    expect(await byRanges(text, { ...OPTIONS, preview: 5, asOf: 19_800 })).toBe(true);
    expect(await byRanges(text, { ...OPTIONS, frequency: 'rows' })).toBe(true);
  });

  it('joins the order that runs over the middle, ids ascending or descending, CRLF and blank lines', async () => {
    const one = (o: number) => (o >= 60 && o < 140 ? 60 : o); // order 60 has lines 120..279 (the middle among them)
    expect(await byRanges([NOTE_HEAD, ...rows(400, (o) => `A${1000 + o}`, one)].join('\r\n'))).toBe(true);
    expect(await byRanges([NOTE_HEAD, ...rows(400, (o) => `${9000 - o}`, one)].join('\n\n'))).toBe(true);
    // No order ids at all: every line is an order.
    expect(await byRanges(['customer_id,order_date,amount', ...Array.from({ length: 300 }, (_, i) => `C${i % 13},2024-01-0${1 + (i % 9)},${i}`)].join('\n'))).toBe(true);
  });

  it('merges the parts by their ids sort keys: long ids that share their first 8 bytes, and ids of 8 bytes or fewer', async () => {
    const ids = ['customer-1', 'customer-10', 'customer-2', 'customer', 'custome', 'cust-99', 'customer-1x', 'Customer-1', 'c'];
    const lines = Array.from({ length: 300 }, (_, i) => `#${1000 + i},${ids[(i * 7) % ids.length]}${i % 4 === 0 ? '' : i % 5},2024-01-0${1 + (i % 9)},${i}`);
    expect(await byRanges([HEAD, ...lines].join('\n'))).toBe(true);
  });

  it('reads the file whole (by customers) when the middle line break is inside quotes', async () => {
    const long = `"${'many\nlines '.repeat(400)}"`;
    const text = [NOTE_HEAD, ...rows(60, (o) => `#${100 + o}`), `#999,C1,2024-05-05,1,${long}`, ...rows(60, (o) => `#${2000 + o}`)].join('\n');
    expect(await byRanges(text)).toBe(false);
  });

  // Files longer than twice the sample, so that the change comes after the rows sampled (which would tell it). Lines
  // all of one length, so that the file is split right before line n / 2: the parts find a change there only when
  // they join their lanes.
  const n = 2 * SAMPLE_ROWS + 4000;
  it.each([
    ['the second half ascending from lower ids', (o: number, i: number) => `#${(i < n / 2 ? 50_000 : 10_000) + o}`],
    ['ascending, then descending', (o: number, i: number) => `#${i < n / 2 ? 50_000 + o : 90_000 - o}`],
    ['an id met again near the end', (o: number, i: number) => `#${i === n - 1 ? 50_000 : 50_000 + o}`],
  ])('%s: read again by customers, with every order kept, the same result', async (_, id) => {
    // Every customer has lines in both halves, so each part meets the change.
    const lines = Array.from({ length: n }, (_, i) => `${id(Math.floor(i / 2), i)},C${Math.floor(i / 2) % 5},2024-01-0${1 + (i % 9)},${String(i).padStart(5, '0')}`);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(await byRanges([HEAD, ...lines].join('\n'))).toBe(false);
  });
});

describe('fast reader declines what only csv-parse may say', () => {
  it.each([
    ['a quote inside an unquoted field', csv(HEAD, 'O1,C"1,2024-01-05,1', 'O2,C2,bad,1')],
    ['a character after a closing quote', csv(HEAD, 'O1,"C1"x,2024-01-05,1')],
    ['a quote never closed', csv(HEAD, 'O1,"C1,2024-01-05,1', 'O2,C2,2024-01-05,1')],
    ['a record over the size limit', csv(HEAD, `O1,C${'x'.repeat(1 << 20)},2024-01-05,1`)],
    ['two columns with one name', csv('order_id,customer_id,order_date,amount,Amount ', 'O1,C1,2024-01-05,1,2')],
    ['no customer column', csv('order_id,who,order_date,amount', 'O1,C1,2024-01-05,1')],
    ['dates that fit two formats', csv(HEAD, 'O1,C1,05/03/2024,1')],
  ])('%s', async (_, text) => {
    const { declined } = await compareReaders(readers, tempFile(text), OPTIONS, 'may');
    expect(declined.length).toBe(MODES.length);
  });

  it('declines standard input', async () => {
    expect((await readOrdersFast('-', OPTIONS)).kind).toBe('declined');
  });
});

describe('fast reader = readOrdersCsv on every fixture', () => {
  const fixtures = join(import.meta.dirname, '../../fixtures');
  it.each(readdirSync(fixtures).filter((f) => f.endsWith('.csv')))('%s', async (name) => {
    await compareReaders(readers, join(fixtures, name), OPTIONS, 'may');
    await compareReaders(readers, join(fixtures, name), { ...OPTIONS, asOf: 19905 }, 'may');
  });
});
