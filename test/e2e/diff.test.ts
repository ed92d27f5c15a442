import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rfmkit, tempDir } from './helpers.js';

/**
 * Two nightly runs a day apart. Day 1 (as of 2024-06-30): a (new), b (active), c (at risk), gone (churned).
 * Day 2 (as of 2024-07-01): a orders again, c orders after 150 days away, gone no longer in the export, d is new.
 */
const DAY1 = `customer_id,order_id,order_date,amount
a,1,2024-06-10,50
b,2,2024-04-20,80
b,3,2024-05-01,90
c,4,2024-01-31,40
gone,5,2023-01-01,10
`;
const DAY2 = `customer_id,order_id,order_date,amount
a,1,2024-06-10,50
a,6,2024-06-30,60
b,2,2024-04-20,80
b,3,2024-05-01,90
c,4,2024-01-31,40
c,7,2024-06-30,45
d,8,2024-06-30,30
`;

function twoDays() {
  const dir = tempDir();
  writeFileSync(join(dir, 'day1.csv'), DAY1);
  writeFileSync(join(dir, 'day2.csv'), DAY2);
  expect(rfmkit(['segment', 'day1.csv', '--as-of', '2024-06-30', '--out', 'run1', '-q'], { cwd: dir }).code).toBe(0);
  return dir;
}

const lifecycleChanges = (csv: string) => csv.trim().split('\n').filter((l) => l.includes(',lifecycle,'));

describe('what changed since the last run', () => {
  it('--previous writes changes.csv, entered and exited files, and the migration matrix', () => {
    const dir = twoDays();
    const run = rfmkit(['segment', 'day2.csv', '--as-of', '2024-07-01', '--out', 'run2', '--previous', 'run1'], { cwd: dir });
    expect(run.code).toBe(0);
    const changes = readFileSync(join(dir, 'run2/changes.csv'), 'utf8');
    expect(changes.split('\n')[0]).toBe('customer_id,dimension,from,to');
    expect(lifecycleChanges(changes)).toEqual([
      'a,lifecycle,new,active', // a second order: no longer exactly one
      'c,lifecycle,at_risk,active', // 150 days since 2024-01-31 is not over the 180-day churn window: active, not reactivated
      'd,lifecycle,,new', // new person: empty from
      'gone,lifecycle,churned,', // gone: empty to
    ]);
    const entered = (f: string) => readFileSync(join(dir, 'run2/segments/lifecycle', f), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(entered('entered/active.csv')).toEqual(['a', 'c']);
    expect(entered('exited/churned.csv')).toEqual(['gone']);
    expect(entered('entered/new.csv')).toEqual(['d']);
    expect(entered('exited/new.csv')).toEqual(['a']);
    expect(entered('entered/frequent.csv')).toEqual([]);
    const matrix = JSON.parse(readFileSync(join(dir, 'run2/summary.json'), 'utf8')).changes.lifecycle.matrix;
    expect(matrix).toEqual([
      { from: '', to: 'new', customers: 1 },
      { from: 'active', to: 'active', customers: 1 },
      { from: 'at_risk', to: 'active', customers: 1 },
      { from: 'churned', to: '', customers: 1 },
      { from: 'new', to: 'active', customers: 1 },
    ]);
    expect(run.stdout).toContain('lifecycle migration');
  });

  it('rfmkit diff OLD NEW gives the same changes', () => {
    const dir = twoDays();
    rfmkit(['segment', 'day2.csv', '--as-of', '2024-07-01', '--out', 'run2', '--previous', 'run1', '-q'], { cwd: dir });
    expect(rfmkit(['segment', 'day2.csv', '--as-of', '2024-07-01', '--out', 'plain', '-q'], { cwd: dir }).code).toBe(0);
    const run = rfmkit(['diff', 'run1', 'plain', '--out', 'd', '-q'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'd/changes.csv'), 'utf8')).toBe(readFileSync(join(dir, 'run2/changes.csv'), 'utf8'));
  });

  it('refuses runs made with other settings (exit 2) unless --force', () => {
    const dir = twoDays();
    expect(rfmkit(['segment', 'day2.csv', '--as-of', '2024-07-01', '--churn-days', '120', '--out', 'run2', '-q'], { cwd: dir }).code).toBe(0);
    const refused = rfmkit(['diff', 'run1', 'run2'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/different settings \(lifecycle_windows_days\.churn: 180 → 120\); pass --force/);
    expect(rfmkit(['diff', 'run1', 'run2', '--force', '-q'], { cwd: dir }).code).toBe(0);
  });

  it('a folder that is not a run is an input error', () => {
    const dir = twoDays();
    const run = rfmkit(['diff', 'run1', 'nowhere'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/nowhere: not an rfmkit output folder/);
  });
});
