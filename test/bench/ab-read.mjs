// Compares the fast reader of two or more builds in one process, alternating, so that the host's load falls on all of
// them alike: reads the file in two parts one after another on this thread (what each worker does, without threads),
// several rounds, and prints each build's minimum and median. A tool for deciding whether a change to src/io/fast pays;
// the first round of each build includes its compilation. Nothing here is a test.
//
//   git worktree add /tmp/before HEAD~1 && (cd /tmp/before && npm ci && npm run build)
//   npm run build && node test/bench/ab-read.mjs /tmp/rfmkit-bench/orders-10000000.csv /tmp/before/dist dist
//
// ROUNDS=n sets the rounds (default 5). The two parts read a byte range each (rings that grow, one part after the
// other); RANGES=0 has each read the whole file for its customers instead, as a file is read when ranges do not work out.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, ...builds] = process.argv.slice(2);
if (!file || builds.length === 0) {
  console.error('usage: node test/bench/ab-read.mjs <orders.csv> <dist> [<dist> …]');
  process.exit(2);
}
const readers = await Promise.all(builds.map((d) => import(pathToFileURL(path.resolve(d, 'io/fast/read-fast.js')).href)));
const times = builds.map(() => []);
const rounds = Number(process.env.ROUNDS ?? 5);
for (let round = 0; round < rounds; round++) {
  for (let b = 0; b < builds.length; b++) {
    const options = { overrides: {}, dates: {}, deferHash: true };
    const r = await readers[b].readOrdersFast(file, options, { workers: 2, threads: false, minBytesForWorkers: 0, ranges: process.env.RANGES !== '0' });
    if (r.kind !== 'read') throw new Error(`${builds[b]}: the fast reader declined: ${r.reason}`);
    times[b].push(r.partsMs / 1000);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const [b, d] of builds.entries()) {
  console.log(`${d}: min ${Math.min(...times[b]).toFixed(2)} s, median ${median(times[b]).toFixed(2)} s (${times[b].map((t) => t.toFixed(2)).join(' ')})`);
}
