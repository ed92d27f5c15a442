import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT, readTree, rfmkit, tempDir } from './helpers.js';

/** A file big enough that a run takes a while: 200,000 orders of 20,000 customers. */
function bigOrders(path: string): void {
  const lines = ['order_id,customer_id,order_date,amount'];
  for (let i = 0; i < 200_000; i++) {
    const day = 1 + (i % 28);
    lines.push(`O${i},C${(i * 7919) % 20_000},2024-0${1 + (i % 6)}-${String(day).padStart(2, '0')},${(i % 997) + 0.5}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function withoutManifest(tree: Record<string, string>): Record<string, string> {
  const { ['manifest.json']: _, ...rest } = tree;
  return rest;
}

it('a run killed at any moment leaves the previous output whole, or the new one whole', async () => {
  const dir = tempDir();
  const big = join(dir, 'big.csv');
  bigOrders(big);
  const out = join(dir, 'out');
  expect(rfmkit(['segment', join(ROOT, 'fixtures/orders.csv'), '--out', out, '-q']).code).toBe(0);
  const before = withoutManifest(readTree(out));
  const fresh = join(dir, 'fresh');
  expect(rfmkit(['segment', big, '--out', fresh, '-q']).code).toBe(0);
  const after = withoutManifest(readTree(fresh));

  const outcomes = new Set<string>();
  for (const delay of [50, 150, 300, 500, 800, 1200, 2000, 3000]) {
    const child = spawn(process.execPath, [join(ROOT, 'bin/rfmkit.js'), 'segment', big, '--out', out, '-q'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, delay));
    child.kill('SIGKILL');
    await exited;
    // The next run cleans up what a killed one left; here a no-op run on the same target does that part.
    rfmkit(['segment', join(dir, 'missing.csv'), '--out', out, '-q']);
    const now = withoutManifest(readTree(out));
    const whole = JSON.stringify(now) === JSON.stringify(before) ? 'before' : JSON.stringify(now) === JSON.stringify(after) ? 'after' : 'broken';
    outcomes.add(whole);
    expect(whole, `killed after ${delay} ms`).not.toBe('broken');
    if (whole === 'after') break;
  }
  expect(outcomes.has('before')).toBe(true);
  expect(readdirSync(dir).filter((n) => n.includes('rfmkit-tmp'))).toEqual([]);
}, 60_000);
