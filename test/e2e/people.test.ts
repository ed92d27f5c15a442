import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, rfmkit, tempDir } from './helpers.js';

const ORDERS = join(ROOT, 'fixtures/orders.csv');
const EVENTS = join(ROOT, 'fixtures/events.csv');
const PROFILES = join(ROOT, 'fixtures/customers.csv');
const ARGS = ['--events', EVENTS, '--customers', PROFILES, '--as-of', '2024-07-01'];

function segment(extra: string[] = []) {
  const out = join(tempDir(), 'out');
  const run = rfmkit(['segment', ORDERS, ...ARGS, '--out', out, ...extra]);
  const rows = (file: string) => readFileSync(join(out, file), 'utf8').trim().split('\n').map((l) => l.split(','));
  return { run, out, rows };
}

describe('events and profiles, one person per rule and boundary (as of 2024-07-01)', () => {
  const { run, rows } = segment();
  const table = rows('customers.csv');
  const header = table[0]!;
  const person = new Map(table.slice(1).map((r) => [r[0]!, Object.fromEntries(header.map((h, i) => [h, r[i]]))]));

  it('exits 0', () => expect([run.code, run.stderr]).toEqual([0, '']));

  it.each([
    // id, lifecycle, engagement, cart_abandoner, unsubscribed, opens, clicks, visits — why
    ['C01', 'new', 'active', 'false', 'false', '1', '0', '0'], // open 11 days ago and an order 16 days ago
    ['C04', 'active', 'none', 'false', 'false', '0', '0', '0'], // no events at all
    ['C05', 'at_risk', 'semi_active', 'false', 'false', '0', '1', '0'], // a click, but the last order 151 days ago
    ['C06', 'churned', 'passive', 'false', 'false', '0', '0', '0'], // sent, never opened
    ['C12', 'churned', 'passive', 'false', 'false', '0', '0', '0'], // open exactly 90 days ago is outside; a send 89 days ago inside
    ['C10', 'active', 'active', 'false', 'false', '1', '0', '0'], // "Opened Email" 89 days ago, an order 30 days ago
    ['C09', 'active', 'none', 'false', 'false', '0', '0', '0'], // cart 2 days ago, bought the day after
    ['C03', 'frequent', 'none', 'true', 'false', '0', '0', '0'], // cart 5 days ago, last order the day before
    ['C11', 'new', 'none', 'false', 'false', '0', '0', '0'], // "Added to Cart" exactly 7 days ago: outside
    ['C02', 'reactivated', 'none', 'false', 'false', '0', '0', '0'], // unsubscribed, then subscribed again
    ['C07', 'at_risk', 'none', 'false', 'true', '0', '0', '0'], // subscribed, then unsubscribed
    ['C08', 'registered', 'none', 'false', 'false', '0', '0', '0'], // only a refund: a non-buyer with a profile
    ['P01', 'registered', 'none', 'false', 'true', '0', '0', '0'], // profile only, accepts_marketing "no"
    ['S01', 'registered', 'none', 'false', 'false', '0', '0', '0'], // a "register" event half a year ago
    ['V01', 'returning_visitor', 'none', 'false', 'false', '0', '0', '2'], // page_view and session_start on two days
    ['V02', 'visitor', 'none', 'false', 'false', '0', '0', '2'], // two visits on one day
    ['V03', 'visitor', 'none', 'false', 'false', '0', '0', '1'], // the second visit exactly 7 days ago is outside
  ])('%s', (id, lifecycle, engagement, cart, unsubscribed, opens, clicks, visits) => {
    expect(person.get(id)).toMatchObject({
      lifecycle_state: lifecycle,
      engagement,
      cart_abandoner: cart,
      unsubscribed,
      email_opens_90d: opens,
      email_clicks_90d: clicks,
      visits_7d: visits,
    });
  });

  it('leaves out who has no known event and no order: an unknown type, an event after the as-of day', () => {
    expect([...person.keys()]).toHaveLength(17);
    expect(person.has('U01')).toBe(false);
    expect(person.has('V04')).toBe(false);
  });

  it('passes the profile columns through, after the computed ones', () => {
    expect(header.slice(-11)).toEqual(['engagement', 'cart_abandoner', 'unsubscribed', 'email_opens_90d', 'email_clicks_90d', 'visits_7d', 'email', 'first_name', 'last_name', 'accepts_marketing', 'country']);
    expect(person.get('P01')).toMatchObject({ first_name: 'Eve', country: 'IT', r_score: '' });
  });

  it('writes engagement and flag segment files', () => {
    expect(rows('segments/flags/cart_abandoner.csv').slice(1).map((r) => r[0])).toEqual(['C03']);
    expect(rows('segments/engagement/passive.csv').slice(1).map((r) => r[0])).toEqual(['C06', 'C12']);
    expect(rows('segments/lifecycle/returning_visitor.csv').slice(1).map((r) => r[0])).toEqual(['V01']);
  });
});

describe('segment files a mail tool takes as they are', () => {
  it.each([
    ['mailchimp', 'Email Address,First Name,Last Name,customer_id'],
    ['klaviyo', 'Email,First Name,Last Name,customer_id'],
  ])('%s', (format, head) => {
    const { run, rows, out } = segment(['--format', format]);
    expect(run.code).toBe(0);
    const b = rows('segments/abc/B.csv');
    expect(b[0]!.slice(0, 4).join(',')).toBe(head);
    // C02's " Bob@Example.com " is trimmed and lower-cased; C05 has no profile and no email in its id: left out.
    expect(b.slice(1).map((r) => r.slice(0, 4).join(','))).toEqual(['bob@example.com,Bob,Stone,C02', 'ann@example.com,Ann,Lee-Dup,C03']);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.left_out.by_file['segments/abc/B.csv']).toEqual({ no_email: 1, invalid_email: 0, unsubscribed: 0, duplicate_email: 0 });
    // lifecycle active is C04, C09 (no email) and C10 (not an email address): an empty file, header only.
    expect(rows('segments/lifecycle/active.csv')).toHaveLength(1);
    expect(run.stdout).toMatch(/left out .*no_email/);
  });
});

describe('--select writes one CSV to standard output', () => {
  it('the people of the selected segments, each once; tables to standard error; no folder without --out', () => {
    const dir = tempDir();
    const run = rfmkit(['segment', ORDERS, ...ARGS, '--select', 'lifecycle:registered', '--select', 'flags:unsubscribed', '--format', 'klaviyo'], { cwd: dir });
    expect(run.code).toBe(0);
    // registered: C08, P01, S01; unsubscribed: C07, P01. Unsubscribed people and those without an email are left out.
    expect(run.stdout.trim().split('\n').map((l) => l.split(',').slice(0, 4).join(','))).toEqual(['Email,First Name,Last Name,customer_id', 'dora@example.com,Dora,Diaz,C08']);
    expect(run.stderr).toContain('Lifecycle states');
    expect(existsSync(join(dir, 'rfmkit-out'))).toBe(false);
  });

  it('a closed pipe ends the run quietly with exit 0', () => {
    // 30,000 customers: far more output than a pipe holds, so the writer meets the closed pipe.
    const dir = tempDir();
    const big = join(dir, 'big.csv');
    writeFileSync(big, `customer_id,order_date,amount\n${Array.from({ length: 30_000 }, (_, i) => `c${i},2024-01-0${1 + (i % 9)},${i % 50}.5`).join('\n')}\n`);
    const script = `"${process.execPath}" "${join(ROOT, 'bin/rfmkit.js')}" segment "${big}" --select abc:C | head -c 100 > /dev/null; echo "\${PIPESTATUS[0]}"`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: dir });
    expect(r.stdout.trim()).toBe('0');
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  });

  it.each([
    [['--select', 'rfm:nope'], /--select rfm:nope: no such segment; the segments are champions, loyal/],
    [['--select', 'engagement:active'], /no such dimension; the dimensions are rfm, abc, lifecycle \(engagement and flags need --events or --customers\)/],
    [['--select', 'lifecycle'], /expected DIMENSION:SEGMENT/],
  ])('%j exits 2', (args, message) => {
    const run = rfmkit(['segment', ORDERS, ...args], { cwd: tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
