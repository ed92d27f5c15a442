import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT, rfmkit, tempDir } from './helpers.js';

const FIXTURE = readFileSync(join(ROOT, 'fixtures/orders.csv'), 'utf8');
const EXPECTED = readFileSync(join(ROOT, 'fixtures/orders.expected.csv'), 'utf8');

/** Runs segment on the given bytes written to a file, as of the fixture's day; returns the run and its output folder. */
function segmentBytes(bytes: Buffer | string, args: string[] = [], name = 'orders.csv') {
  const dir = tempDir();
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const out = join(dir, 'out');
  const run = rfmkit(['segment', file, '--out', out, '--as-of', '2024-07-01', ...args]);
  const read = (f: string) => readFileSync(join(out, f), 'utf8');
  return { run, out, read };
}

function utf16(text: string, bigEndian: boolean): Buffer {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  return bigEndian ? Buffer.from(le).swap16() : le;
}

describe('the same orders in other dialects give the same customers.csv', () => {
  it.each([
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(FIXTURE)])],
    ['UTF-16 LE with a BOM (Excel "Unicode text")', utf16(FIXTURE, false)],
    ['UTF-16 BE with a BOM', utf16(FIXTURE, true)],
    ['semicolons', FIXTURE.replace(/,/g, ';')],
    ['tabs', FIXTURE.replace(/,/g, '\t')],
    ['pipes and CRLF', FIXTURE.replace(/,/g, '|').replace(/\n/g, '\r\n')],
    ['CR line ends', FIXTURE.replace(/\n/g, '\r')],
    ['gzip', gzipSync(FIXTURE)],
    ['quoted fields', FIXTURE.replace(/C0(\d)/g, '"C0$1"')],
  ])('%s', (_name, bytes) => {
    const { run, read } = segmentBytes(bytes);
    expect(run.stderr).toBe('');
    expect(read('customers.csv')).toBe(EXPECTED);
  });

  it('reads Windows-1252 text, detected when it is not UTF-8', () => {
    const text = 'order_id,customer_id,order_date,amount\n1,Müller,2024-06-01,5.00\n2,Zoë,2024-06-02,7.00\n';
    const { run, read } = segmentBytes(Buffer.from(text, 'latin1'));
    expect(run.code).toBe(0);
    expect(read('customers.csv')).toContain('\nMüller,');
    expect(read('customers.csv')).toContain('\nZoë,');
  });

  it('reads gzip from standard input', () => {
    const dir = tempDir();
    const run = rfmkit(['segment', '-', '--out', join(dir, 'o'), '--as-of', '2024-07-01'], { input: gzipSync(FIXTURE) });
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'o/customers.csv'), 'utf8')).toBe(EXPECTED);
  });
});

/** Polls `find` until it gives something (at most 10 s). */
async function waitFor<T>(find: () => T | undefined): Promise<T> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('waitFor: nothing after 10 s');
}

describe('standard input and gzip are read from a private copy, which is gone after the run', () => {
  const withRejects = `${FIXTURE}1030,C13,2024-13-01,5.00\n`;

  it('writes beside the output: the same folder as from a file, the input named as given', () => {
    const dir = tempDir();
    const fromFile = segmentBytes(withRejects, ['--max-rejects', '1']);
    const out = join(dir, 'out');
    const run = rfmkit(['segment', '-', '--out', out, '--as-of', '2024-07-01', '--max-rejects', '1'], { input: gzipSync(withRejects) });
    expect(run.code).toBe(0);
    for (const f of ['customers.csv', 'segments/rfm/champions.csv', 'segments/lifecycle/churned.csv']) {
      expect(readFileSync(join(out, f), 'utf8')).toBe(fromFile.read(f));
    }
    expect(readFileSync(join(out, 'rejects.csv'), 'utf8')).toBe(fromFile.read('rejects.csv').replace(/^.*orders\.csv,/m, '<stdin>,'));
    const input = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).inputs[0];
    expect(input).toMatchObject({ path: '<stdin>', gzip: true, bytes: gzipSync(withRejects).length });
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('writes in TMPDIR when no folder is written (--select), and removes it there too', () => {
    const dir = tempDir();
    const file = join(dir, 'orders.csv');
    writeFileSync(file, FIXTURE);
    const spool = tempDir();
    const picked = rfmkit(['segment', file, '--as-of', '2024-07-01', '--select', 'lifecycle:churned', '-q']);
    const run = rfmkit(['segment', '-', '--as-of', '2024-07-01', '--select', 'lifecycle:churned', '-q'], { input: FIXTURE, env: { TMPDIR: spool } });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(picked.stdout);
    expect(run.stdout.split('\n').length).toBeGreaterThan(2);
    expect(readdirSync(spool)).toEqual([]);
    // It was TMPDIR: one that cannot be written is a configuration problem.
    const nowhere = rfmkit(['segment', '-', '--select', 'abc:A'], { input: FIXTURE, env: { TMPDIR: join(spool, 'missing') } });
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/^rfmkit: cannot make a folder for a copy of <stdin> in .*missing \(ENOENT\); set TMPDIR or --out/);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('removes the copy when the run is stopped by %s, and ends by that signal', async (signal) => {
    const spool = tempDir();
    const child = spawn(process.execPath, [join(ROOT, 'bin/rfmkit.js'), 'segment', '-', '--select', 'abc:A'], {
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { ...process.env, TMPDIR: spool },
    });
    child.stdin.write(FIXTURE); // and the pipe stays open: the run waits in the middle of copying
    // The folder is made first, then the file in it once the input is open.
    const copy = await waitFor(() => readdirSync(spool).find((name) => name.startsWith('.rfmkit-spool-') && readdirSync(join(spool, name)).length > 0));
    expect(readdirSync(join(spool, copy))).toEqual(['input.csv']);
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    child.kill(signal);
    expect(await ended).toBe(signal);
    expect(readdirSync(spool)).toEqual([]);
  });

  it('removes the copy of damaged gzip too, and says what is wrong in one line', () => {
    const spool = tempDir();
    const gz = gzipSync(FIXTURE.repeat(50));
    const run = rfmkit(['segment', '-', '--select', 'abc:A'], { input: gz.subarray(0, gz.length - 20), env: { TMPDIR: spool } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^rfmkit: <stdin>: the gzip data is damaged/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(spool)).toEqual([]);
  });
});

describe('rows that cannot be used go to rejects.csv', () => {
  const bad = `${FIXTURE}1030,C13,2024-13-01,5.00\n1031,C14,2024-05-01,"12,5"\n1032,C15,2024-05-01,5,6\n1033,C16,2024-05-01,x"y\n`;

  it('lists each with file, line, reason and raw text, and accounts for every row', () => {
    const { run, read } = segmentBytes(bad, ['--max-rejects', '4']);
    expect(run.code).toBe(0);
    expect(read('rejects.csv').trim().split('\n')).toEqual([
      'file,line,column,reason,message,raw',
      expect.stringMatching(/orders\.csv,26,3,bad_date,"bad date ""2024-13-01"" in column ""order_date"": expected YYYY-MM-DD.*","1030,C13,2024-13-01,5.00"$/),
      expect.stringMatching(/orders\.csv,27,4,bad_number,"bad number ""12,5"" in column ""amount"".*","1031,C14,2024-05-01,""12,5"""$/),
      expect.stringMatching(/orders\.csv,28,,field_count,"row has 5 fields, the header has 4.*","1032,C15,2024-05-01,5,6"$/),
      expect.stringMatching(/orders\.csv,29,,bad_quoting,.*quote.*/i),
    ]);
    const s = JSON.parse(read('summary.json'));
    expect(s.counts.rows_read).toBe(28);
    expect(s.counts.rows_used + s.counts.rows_skipped.empty_customer + s.counts.rows_skipped.after_as_of + s.counts.rows_rejected).toBe(28);
    expect(s.counts.rows_rejected).toBe(4);
    expect(read('customers.csv')).toBe(EXPECTED);
  });

  it.each([
    [['--max-rejects', '3'], 1],
    [['--max-rejects', '15%'], 0], // 4 of 28 rows is 14.29%
    [['--max-rejects', '14.2%'], 1],
    [[], 1], // default 0.1%
  ])('--max-rejects %j → exit %i', (args, code) => {
    const { run } = segmentBytes(bad, args);
    expect(run.code).toBe(code);
    if (run.code === 1) expect(run.stderr).toMatch(/orders\.csv:26:3: bad date .*\(4 of 28 rows rejected, 14%, over --max-rejects/);
  });
});

describe('damaged input ends with one line and exit 1', () => {
  it.each([
    ['binary', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0x14, 0, 0x06, 0x0a, 0x41]), /binary data/],
    ['empty', '', /the file is empty/],
    ['header only', 'order_id,customer_id,order_date,amount\n', /no usable order rows \(0 read\)/],
    ['duplicate column names', 'order_id,customer_id,amount,order_date,amount\n1,a,1,2024-01-01,2\n', /orders\.csv:1: columns 3 and 5 are both named "amount"/],
    ['an unterminated quote swallowing the file', 'order_id,customer_id,order_date,amount\n1,a,2024-01-01,"5\n2,b,2024-01-01,6\n', /rejected|quote/i],
    ['broken gzip', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]), /gzip data is damaged|unexpected end/i],
    ['invalid UTF-8 named as such', Buffer.from('order_id,customer_id,order_date,amount\n1,M\xfcller,2024-01-01,5\n', 'latin1'), /not valid UTF-8/],
  ])('%s', (name, bytes, message) => {
    const args = name.startsWith('invalid UTF-8') ? ['--encoding', 'utf-8'] : [];
    const { run } = segmentBytes(bytes, args);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('numbers and dates as they are written', () => {
  const header = 'order_id;customer_id;order_date;amount\n';

  it('reads a European export: semicolons, dd.MM.yyyy, decimal commas and currency', () => {
    const text = `${header}1;a;05.03.2024;1.234,50 €\n2;a;17.03.2024;"12,00"\n3;b;28.02.2024;(5,25)\n4;b;01.03.2024;10\n`;
    const { run, read } = segmentBytes(text);
    expect(run.stderr).toBe('');
    const rows = read('customers.csv').trim().split('\n');
    expect(rows[1]).toMatch(/^a,2024-03-05,2024-03-17,106,2,1246\.50,623\.25,/);
    expect(rows[2]).toMatch(/^b,2024-03-01,2024-03-01,122,1,4\.75,4\.75,/); // 10 − 5.25: the (5,25) order is a refund
  });

  it.each([
    ['day-first', '13/03/2024', '2024-03-13'],
    ['month-first', '03/13/2024', '2024-03-13'],
    ['Excel serial days', '45364', '2024-03-13'],
    ['d-MMM-yy', '13-Mar-24', '2024-03-13'],
  ])('tells %s dates from the data', (_name, written, iso) => {
    const { run, read } = segmentBytes(`customer_id,order_date,amount\na,${written},5\n`);
    expect(run.stderr).toBe('');
    expect(read('customers.csv').split('\n')[1]).toMatch(new RegExp(`^a,${iso},${iso},`));
  });

  it.each([
    ['dates that fit day-first and month-first', 'customer_id,order_date,amount\na,03/04/2024,5\nb,05/06/2024,5\n', [], /fit dd\/MM\/yyyy and MM\/dd\/yyyy alike .*pass --date-format dd\/MM\/yyyy or --date-format MM\/dd\/yyyy/],
    ['amounts that fit both decimal marks', 'customer_id,order_date,amount\na,2024-01-01,"1,234"\n', [], /could have either decimal mark \(e\.g\. "1,234"\); pass --decimal/],
  ])('asks rather than guesses: %s (exit 2)', (_name, text, args, message) => {
    const { run } = segmentBytes(text, args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('takes the answer from the flags', () => {
    const { run, read } = segmentBytes('customer_id,order_date,amount\na,03/04/2024,"1,234"\n', ['--date-format', 'dd/MM/yyyy', '--decimal', ',']);
    expect(run.stderr).toBe('');
    expect(read('customers.csv').split('\n')[1]).toMatch(/^a,2024-04-03,2024-04-03,89,1,1\.23,/);
  });
});

describe('rfmkit inspect', () => {
  it('shows how the file will be read and writes nothing', () => {
    const dir = tempDir();
    const file = join(dir, 'export.csv');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Order;Customer ID;Date;Total\n1;a;25.03.2024;1.234,50\n2;b;26.03.2024;x\n')]));
    const run = rfmkit(['inspect', file], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('utf-8 · delimiter ";"');
    expect(run.stdout).toContain('"Order" → order, "Customer ID" → customer, "Date" → date, "Total" → amount');
    expect(run.stdout).toContain('decimal mark: amount ","');
    expect(run.stdout).toContain('dates     dd.MM.yyyy');
    expect(run.stdout).toContain('2 read · 1 used');
    expect(run.stdout).toMatch(/│ +2 │ a +│ 1 +│ 2024-03-25 │ 1234\.50 │/);
    expect(run.stdout).toContain('line 3:4: bad number "x" in column "Total"');
    expect(readdirSync(dir)).toEqual(['export.csv']);
  });
});
