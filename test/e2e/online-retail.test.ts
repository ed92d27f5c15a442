import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { ROOT, rfmkit, tempDir } from './helpers.js';

const DATA = join(ROOT, '../shared/data/online-retail/online-retail.csv.gz');

/**
 * Frequency and monetary computed independently, with Python's csv and decimal modules (the README's "Checking the real
 * export" section has the script): per customer, net of Quantity × UnitPrice per InvoiceNo; an invoice counts when its net > 0.
 */
const INDEPENDENT = [
  ['12346.0', 1, '0.00'], // bought 77,183.60 and cancelled it with invoice C541433: one counted order, net 0
  ['12347.0', 7, '4310.00'],
  ['12748.0', 209, '29072.10'],
  ['13069.0', 24, '3717.82'],
  ['14096.0', 17, '57120.91'],
  ['14911.0', 201, '132572.62'],
  ['17850.0', 34, '5288.63'],
] as const;

it('segments the UCI Online Retail line items with columns found from the header', () => {
  const dir = tempDir();
  const csv = join(dir, 'online-retail.csv');
  writeFileSync(csv, gunzipSync(readFileSync(DATA)));
  const run = rfmkit(['segment', csv, '--out', join(dir, 'out'), '--quiet']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const rows = new Map(
    readFileSync(join(dir, 'out/customers.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(','))
      .map((f) => [f[0]!, f]),
  );
  for (const [id, frequency, monetary] of INDEPENDENT) {
    expect([id, rows.get(id)?.[4], rows.get(id)?.[5]]).toEqual([id, String(frequency), monetary]);
  }
  const summary = JSON.parse(readFileSync(join(dir, 'out/summary.json'), 'utf8'));
  expect(summary.as_of).toBe('2011-12-10'); // last invoice 2011-12-09
  expect(summary.counts).toMatchObject({
    rows_read: 541_909,
    rows_skipped: { empty_customer: 135_080, after_as_of: 0 }, // the dataset notes: 135,080 rows without CustomerID
    customers: 4372, // 4,372 customers, as the dataset notes say
    customers_scored: 4338, // the Python check: customers with an invoice of positive net
  });
  expect(summary.parameters.columns).toEqual({
    customer: 'CustomerID',
    order: 'InvoiceNo',
    date: 'InvoiceDate',
    amount: null,
    quantity: 'Quantity',
    price: 'UnitPrice',
  });
}, 60_000);
