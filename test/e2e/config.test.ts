import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, rfmkit, tempDir } from './helpers.js';

const ORDERS = join(ROOT, 'fixtures/orders.csv');
const RFM_R = join(ROOT, '../shared/data/rfm-r/rfm_data_orders.csv');

function withConfig(config: unknown, args: string[], cwd = tempDir()) {
  writeFileSync(join(cwd, 'rfmkit.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  const run = rfmkit(args, { cwd });
  const read = (f: string) => readFileSync(join(cwd, f), 'utf8');
  return { run, read, cwd };
}

const customerColumn = (csv: string, column: string) => {
  const [head, ...rows] = csv.trim().split('\n').map((l) => l.split(','));
  const i = head!.indexOf(column);
  return Object.fromEntries(rows.map((r) => [r[0], r[i]]));
};

describe('rfmkit.config.json', () => {
  it('sets what flags set, and flags win over it', () => {
    const { run, read, cwd } = withConfig({ as_of: '2024-07-01', abc: [70, 90], out: 'from-config' }, ['segment', ORDERS, '-q']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(read('from-config/summary.json'));
    expect(summary.parameters.abc).toEqual({ a_below_percent: 70, b_below_percent: 90 });
    // C06 (999.99): the 6,500.00 above it is 73% of 8,869.23, under 80% (A) but not under 70% (B).
    expect(customerColumn(read('from-config/customers.csv'), 'abc_class').C06).toBe('B');
    const flagged = rfmkit(['segment', ORDERS, '-q', '--abc', '80,95', '--out', 'flag'], { cwd });
    expect(flagged.code).toBe(0);
    expect(customerColumn(read('flag/customers.csv'), 'abc_class').C06).toBe('A');
  });

  it.each([
    [{ binz: 3 }, /rfmkit\.config\.json: binz: unknown key; allowed: abc, active_days/],
    [{ bins: 'five' }, /bins: "five": expected a whole number from 2 to 10/],
    [{ sanitize: 'yes' }, /sanitize: expected true or false, got string "yes"/],
    [{ format: 'outlook' }, /format: expected one of generic, mailchimp, klaviyo/],
    [{ rules: { rules: [{ name: 'x', r: [0, 2] }] } }, /rules\.rules\[0\]\.r: expected \[low, high\], whole scores from 1 to 10/],
    [{ rules: { rules: [{ name: 'x', r: [4, 9] }] } }, /rules: "x" uses scores above --bins 5/],
    [{ rules: { rules: [{ name: 'x', q: [1, 2] }] } }, /rules\.rules\[0\]\.q: unknown key; allowed: name, r, f, m/],
    [{ custom_segments: [{ name: 'x', where: 'monetary >= and 1' }] }, /custom_segments\[0\] "x": monetary >= and 1: expected a value at position 12/],
    [{ custom_segments: [{ name: 'x', where: 'spend > 5' }] }, /custom_segments\[0\] "x": .*spend/],
    [{ scoring: { frequency: { breaks: [3, 2] } } }, /scoring\.frequency\.breaks: expected ascending break points/],
    ['{ "bins": 5,', /rfmkit\.config\.json|JSON/],
  ])('%j → exit 2 naming the key', (config, message) => {
    const { run } = withConfig(config, ['segment', ORDERS, '-q']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('custom segments', () => {
  it('puts a person in every segment whose condition holds', () => {
    const config = {
      as_of: '2024-07-01',
      custom_segments: [
        { name: 'vip_slipping', where: 'monetary >= 500 and recency_days > 60' },
        { name: 'one_time_winback', where: 'frequency == 1 and recency_days between 30 and 400' },
        { name: 'steady', where: 'avg_days_between_orders <= 40 and not (abc_class == "C")' },
      ],
    };
    const { run, read } = withConfig(config, ['segment', ORDERS, '-q']);
    expect(run.code).toBe(0);
    const custom = customerColumn(read('rfmkit-out/customers.csv'), 'custom_segments');
    expect(custom).toMatchObject({
      C06: 'vip_slipping|one_time_winback', // 999.99, 396 days, one order
      C07: 'one_time_winback', // one order, 113 days
      C11: 'one_time_winback', // one order, exactly 30 days: between is inclusive
      C01: '', // one order, 16 days
      C03: 'steady', // orders 2024-04-15 … 2024-06-25: 71 days over 2 gaps = 35.5, class B
      C10: '', // gaps average 79.5 days
    });
    expect(read('rfmkit-out/segments/custom/one_time_winback.csv').trim().split('\n').slice(1).map((l) => l.split(',')[0])).toEqual(['C06', 'C07', 'C11']);
  });
});

describe('fixed break points', () => {
  it('scores frequency by breaks [2, 3, 5, 10] and recency by day breaks [30, 90, 180, 365]', () => {
    const { run, read } = withConfig(
      { as_of: '2024-07-01', scoring: { frequency: { breaks: [2, 3, 5, 10] }, recency: { breaks: [30, 90, 180, 365] } } },
      ['segment', ORDERS, '-q'],
    );
    expect(run.code).toBe(0);
    const f = customerColumn(read('rfmkit-out/customers.csv'), 'f_score');
    const r = customerColumn(read('rfmkit-out/customers.csv'), 'r_score');
    expect([f.C01, f.C02, f.C03]).toEqual(['1', '2', '3']); // 1 order < 2; 2 orders; 3 orders
    expect([r.C11, r.C04, r.C07, r.C12, r.C06]).toEqual(['5', '4', '3', '2', '1']); // 30, 61, 113, 181, 396 days
  });
});

describe('the rfm-r preset reproduces the R package rfm on its own sample data', () => {
  it("Abbey O'Reilly, as the package's README publishes (analysis date 2006-12-31)", () => {
    const out = join(tempDir(), 'out');
    const run = rfmkit(['segment', RFM_R, '--preset', 'rfm-r', '--as-of', '2006-12-31', '--out', out, '-q']);
    expect(run.code).toBe(0);
    const abbey = readFileSync(join(out, 'customers.csv'), 'utf8').split('\n').find((l) => l.startsWith("Abbey O'Reilly,"))!.split(',');
    // recency_days 205, transaction_count 6, amount 472, scores R3 F4 M3 (rfm_score 343); 0.3.0 rules: Potential Loyalist
    expect([abbey[3], abbey[4], abbey[5], abbey[10], abbey[11]]).toEqual(['205', '6', '472.00', '343', 'Potential Loyalist']);
  });

  it('with the package test’s segment ranges: Champions = 158 customers, 1,234 orders, revenue 120,178', () => {
    const ranges = [
      ['Champions', [4, 5], [4, 5], [4, 5]], ['Loyal Customers', [2, 5], [3, 5], [3, 5]], ['Potential Loyalist', [3, 5], [1, 3], [1, 3]],
      ['New Customers', [4, 5], [1, 1], [1, 1]], ['Promising', [3, 4], [1, 1], [1, 1]], ['Need Attention', [2, 3], [2, 3], [2, 3]],
      ['About To Sleep', [2, 3], [1, 2], [1, 2]], ['At Risk', [1, 2], [2, 5], [2, 5]], ["Can't Lose Them", [1, 1], [4, 5], [4, 5]],
      ['Lost', [1, 2], [1, 2], [1, 2]],
    ] as const;
    const config = { preset: 'rfm-r', as_of: '2006-12-31', rules: { fallback: 'Others', rules: ranges.map(([name, r, f, m]) => ({ name, r, f, m })) } };
    const { run, read } = withConfig(config, ['segment', RFM_R, '-q']);
    expect(run.code).toBe(0);
    const champions = JSON.parse(read('rfmkit-out/summary.json')).segments.rfm.find((s: { segment: string }) => s.segment === 'Champions');
    expect(champions).toMatchObject({ customers: 158, revenue: 120178 });
    const orders = read('rfmkit-out/segments/rfm/champions.csv').trim().split('\n').slice(1).reduce((n, l) => n + Number(l.split(',')[4]), 0);
    expect(orders).toBe(1234);
  });
});

describe('rfmkit rules', () => {
  it('shows the default grid: every rule reachable, no overlap, nothing to the fallback', () => {
    const run = rfmkit(['rules', '--check'], { cwd: tempDir() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/│ +1 │ champions +│ 5 +│ 4–5 │ any │ +10 │ +8\.0% │/); // 1 R × 2 F × 5 M cells
    expect(run.stdout).toContain('unreachable rules\n  none');
    expect(run.stdout).toContain('fallback "others": 0 of 125 cells (0.0%)');
  });

  it('finds a shadowed rule, and --check exits 1', () => {
    const config = { rules: { fallback: 'rest', rules: [{ name: 'recent', r: [4, 5] }, { name: 'best', r: [5, 5], f: [5, 5] }, { name: 'old', r: [1, 2] }] } };
    const { run } = withConfig(config, ['rules', '--check']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('best (#2): every cell it matches is won first by recent (#1)');
    expect(run.stdout).toContain('recent (#1) and best (#2): 5 cells');
    expect(run.stdout).toContain('fallback "rest": 25 of 125 cells (20.0%)'); // R = 3
    expect(run.stderr).toMatch(/1 rule\(s\) no score cell reaches: best/);
  });
});

describe('rfmkit init', () => {
  it('writes a starting config with the columns found, and never overwrites it', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'orders.csv'), 'Invoice;Client;Date;Total\n1;a;05.03.2024;1.234,50\n2;b;17.03.2024;12,00\n');
    expect(rfmkit(['init', 'orders.csv'], { cwd }).code).toBe(0);
    const config = JSON.parse(readFileSync(join(cwd, 'rfmkit.config.json'), 'utf8'));
    expect(config).toMatchObject({ customer_col: 'Client', order_col: 'Invoice', amount_col: 'Total', date_format: 'dd.MM.yyyy', delimiter: ';', decimal: ',' });
    const again = rfmkit(['init'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists; rfmkit init never overwrites/);
    // The written config is a valid one: segment runs with it as it is.
    const run = rfmkit(['segment', 'orders.csv', '-q'], { cwd });
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(existsSync(join(cwd, 'rfmkit-out/segments/custom/vip_slipping.csv'))).toBe(true);
  });
});
