import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT, readTree, rfmkit, tempDir } from './helpers.js';

/** Big enough for the writer threads (over 50,000 customers): 120,000 orders of 60,000 customers. */
function orders(path: string): void {
  const lines = ['order_id,customer_id,order_date,amount'];
  for (let i = 0; i < 120_000; i++) lines.push(`O${i},C${(i * 7919) % 60_000},2024-0${1 + (i % 6)}-${String(1 + (i % 28)).padStart(2, '0')},${(i % 997) + 0.25}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function withoutManifest(tree: Record<string, string>): Record<string, string> {
  const { ['manifest.json']: _, ...rest } = tree;
  return rest;
}

it('writes the same files directly, the ordinary way, and where no WebAssembly memory can be had for direct writes', () => {
  const dir = tempDir();
  const input = join(dir, 'orders.csv');
  orders(input);
  const args = (out: string) => ['segment', input, '--out', join(dir, out), '--as-of', '2024-07-01', '-q'];
  expect(rfmkit(args('direct')).code).toBe(0);
  expect(rfmkit(args('buffered'), { env: { RFMKIT_BUFFERED_WRITES: '1' } }).code).toBe(0);
  // A limit on virtual memory leaves V8 no room to reserve a WebAssembly memory (the aligned buffer direct writes need).
  const limited = spawnSync('bash', ['-c', `ulimit -v 4000000 && exec "$0" "$@"`, process.execPath, join(ROOT, 'bin/rfmkit.js'), ...args('limited')], { encoding: 'utf8' });
  expect(limited.stderr).toBe('');
  expect(limited.status).toBe(0);
  const direct = withoutManifest(readTree(join(dir, 'direct')));
  expect(Object.keys(direct).length).toBeGreaterThan(20);
  expect(withoutManifest(readTree(join(dir, 'buffered')))).toEqual(direct);
  expect(withoutManifest(readTree(join(dir, 'limited')))).toEqual(direct);
  // The manifest lists the same files, sizes, rows and hashes.
  const outputs = (run: string) => JSON.parse(readTree(join(dir, run))['manifest.json']!).outputs;
  expect(outputs('buffered')).toEqual(outputs('direct'));
  expect(outputs('limited')).toEqual(outputs('direct'));
});
