import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, readTree, rfmkit, tempDir } from './helpers.js';

const FIXTURE = join(ROOT, 'fixtures/orders.csv');
// Worked out by hand in the README's fixture notes: recency cuts 11·30·61·151, frequency 1·2·2·2, monetary 45.5·100·200.5·525.25.
const EXPECTED = readFileSync(join(ROOT, 'fixtures/orders.expected.csv'), 'utf8');

function segmentFixture(extra: string[] = []) {
  const dir = tempDir();
  const out = join(dir, 'out');
  const run = rfmkit(['segment', FIXTURE, '--as-of', '2024-07-01', '--out', out, ...extra]);
  return { dir, out, run };
}

describe('rfmkit segment on fixtures/orders.csv', () => {
  it('writes the hand-checked customers.csv and exits 0', () => {
    const { out, run } = segmentFixture();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readFileSync(join(out, 'customers.csv'), 'utf8')).toBe(EXPECTED);
  });

  it('writes a file per segment of every dimension, each with the customers of that segment', () => {
    const { out } = segmentFixture();
    const tree = readTree(out);
    expect(Object.keys(tree).filter((p) => p.startsWith('segments/'))).toHaveLength(10 + 3 + 6);
    expect(tree['segments/lifecycle/new.csv']!.trim().split('\n').map((l) => l.split(',')[0])).toEqual(['customer_id', 'C01', 'C11']);
    expect(tree['segments/abc/A.csv']!.trim().split('\n').map((l) => l.split(',')[0])).toEqual(['customer_id', 'C06', 'C10']);
    expect(tree['segments/rfm/champions.csv']!.trim().split('\n')).toHaveLength(2);
    expect(tree['segments/rfm/need_attention.csv']).toBe(`${EXPECTED.split('\n')[0]}\n`);
  });

  it('accounts for every row and states its parameters in summary.json', () => {
    const { out } = segmentFixture();
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.as_of).toBe('2024-07-01');
    expect(s.counts).toEqual({
      rows_read: 24,
      rows_used: 23,
      rows_skipped: { empty_customer: 1, after_as_of: 0 },
      rows_rejected: 0,
      orders: 22,
      customers: 12,
      customers_scored: 11,
      customers_unscored: 1, // C08 only has a refund
    });
    expect(s.cut_points.recency_days).toEqual([11, 30, 61, 151]);
    expect(s.cut_points.monetary).toEqual([45.5, 100, 200.5, 525.25]);
    const loyal = s.segments.rfm.find((x: { segment: string }) => x.segment === 'loyal');
    expect(loyal).toMatchObject({ customers: 1, revenue: 6500 });
  });

  it('gives byte-identical output on a second run, all but the manifest’s clock', () => {
    const a = readTree(segmentFixture().out);
    const b = readTree(segmentFixture().out);
    const clockless = (m: string) => m.replace(/"(started|finished)_at": "[^"]*"/g, '').replace(/"\/[^"]*\/out"/g, '');
    expect(clockless(b['manifest.json']!)).toBe(clockless(a['manifest.json']!));
    delete a['manifest.json'];
    delete b['manifest.json'];
    expect(b).toEqual(a);
  });

  it('lists every file it wrote in manifest.json, with rows and sha256', () => {
    const { out } = segmentFixture();
    const tree = readTree(out);
    const m = JSON.parse(tree['manifest.json']!);
    expect(m.outputs.map((f: { path: string }) => f.path).sort()).toEqual(Object.keys(tree).filter((p) => p !== 'manifest.json').sort());
    const customers = m.outputs.find((f: { path: string }) => f.path === 'customers.csv');
    expect(customers).toMatchObject({ rows: 11, bytes: Buffer.byteLength(EXPECTED) });
    expect(customers.sha256).toBe(createHash('sha256').update(EXPECTED).digest('hex'));
    expect(m.inputs[0]).toMatchObject({ role: 'orders', rows: 24 });
  });

  it('neutralises text cells a spreadsheet would run, unless --no-sanitize', () => {
    const dir = tempDir();
    const p = join(dir, 'o.csv');
    writeFileSync(p, 'customer_id,order_date,amount\n=cmd|calc,2024-01-01,5\n+49 170,2024-01-02,-7\n');
    rfmkit(['segment', p, '--out', join(dir, 'a'), '--as-of', '2024-02-01']);
    expect(readFileSync(join(dir, 'a/customers.csv'), 'utf8')).toContain("\n'=cmd|calc,2024-01-01,");
    rfmkit(['segment', p, '--out', join(dir, 'b'), '--as-of', '2024-02-01', '--no-sanitize']);
    expect(readFileSync(join(dir, 'b/customers.csv'), 'utf8')).toContain('\n=cmd|calc,2024-01-01,');
  });

  it('takes the as-of day from the data by default and skips rows after a given as-of day', () => {
    const byDefault = segmentFixture();
    const dflt = rfmkit(['segment', FIXTURE, '--out', join(byDefault.dir, 'd')]);
    expect(dflt.code).toBe(0);
    expect(dflt.stdout).toContain('as of 2024-07-01 (day after the latest order)');
    const early = rfmkit(['segment', FIXTURE, '--as-of', '2024-06-20', '--out', join(byDefault.dir, 'e')]);
    expect(early.code).toBe(0);
    const s = JSON.parse(readFileSync(join(byDefault.dir, 'e/summary.json'), 'utf8'));
    expect(s.counts.rows_skipped.after_as_of).toBe(3); // 2024-06-25, and two rows on 2024-06-30
  });

  it('reads standard input with -', () => {
    const dir = tempDir();
    const run = rfmkit(['segment', '-', '--as-of', '2024-07-01', '--out', join(dir, 'o')], { input: readFileSync(FIXTURE) });
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'o/customers.csv'), 'utf8')).toBe(EXPECTED);
  });

  it('prints no colour when standard output is not a terminal', () => {
    const { run } = segmentFixture();
    expect(run.stdout).toContain('RFM segments');
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });
});

describe('rfmkit segment failures: one line, the right exit code, the previous output kept', () => {
  const write = (dir: string, text: string) => {
    const p = join(dir, 'orders.csv');
    writeFileSync(p, text);
    return p;
  };

  it.each([
    ['a bad date', 'order_id,customer_id,order_date,amount\n1,a,2024-01-02,5\n2,b,2024-13-01,5\n', 1, /orders\.csv:3:3: bad date "2024-13-01" in column "order_date"/],
    ['a row with too many fields', 'order_id,customer_id,order_date,amount\n1,a,2024-01-02,5\n2,b,2024-01-03,5,00\n', 1, /orders\.csv:3: row has 5 fields, the header has 4/],
    ['a non-number', 'order_id,customer_id,order_date,amount\n1,a,2024-01-02,five\n', 1, /orders\.csv:2:4: bad number "five" in column "amount"/],
    ['no amount column', 'order_id,customer_id,order_date,colour\n1,a,2024-01-02,red\n', 2, /no amount column .*pass --amount-col NAME \(the header is "order_id", "customer_id", "order_date", "colour"\)/],
    ['two customer columns', 'order_id,Customer ID,customer_id,order_date,amount\n1,a,a,2024-01-02,5\n', 2, /could both be the customer column; pass --customer-col/],
    ['an empty file', '', 1, /orders\.csv: the file is empty/],
  ])('%s', (_name, text, code, message) => {
    const dir = tempDir();
    const run = rfmkit(['segment', write(dir, text), '--out', join(dir, 'out')]);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it.each([
    [['--bins', '4'], /--bins 4: the default RFM segments are defined on 5/],
    [['--bins', '11'], /--bins "11": expected a whole number from 2 to 10/],
    [['--abc', '95,80'], /--abc "95,80"/],
    [['--as-of', '2024-02-30'], /--as-of "2024-02-30": expected a date/],
    [['--tz', 'Mars/Olympus'], /--tz "Mars\/Olympus": not a time zone/],
    [['--no-such-flag'], /unknown option '--no-such-flag'/],
  ])('usage error %j exits 2', (args, message) => {
    const dir = tempDir();
    const run = rfmkit(['segment', FIXTURE, '--out', join(dir, 'out'), ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('keeps the previous output when a later run fails', () => {
    const { out } = segmentFixture();
    const before = readTree(out);
    const dir = tempDir();
    const run = rfmkit(['segment', write(dir, 'order_id,customer_id,order_date,amount\n1,a,yesterday,5\n'), '--out', out]);
    expect(run.code).toBe(1);
    expect(readTree(out)).toEqual(before);
  });

  it('refuses to replace a folder that is not an rfmkit output', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs/notes.txt'), 'keep me');
    const run = rfmkit(['segment', FIXTURE, '--out', join(dir, 'docs')]);
    expect(run.code).toBe(2);
    expect(readFileSync(join(dir, 'docs/notes.txt'), 'utf8')).toBe('keep me');
  });
});
