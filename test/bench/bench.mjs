// Throughput benchmark for `rfmkit segment` on synthetic orders files. Run through `npm run bench` so dist/ is fresh.
// Options: --sizes 1m,10m (also 2m, 5m)   --runs N (default 5 for 1m, 3 for the others)   --keep (leave each run's output dir in place)
//          --inputs file,stdin,gzip (default: all three; stdin is the file piped in, gzip the file gzipped beside it)
// This reports numbers; it asserts nothing about timing. It fails only when a run does.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SIZES, ensureGzipFile, ensureOrdersFile } from './generate.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'bin', 'rfmkit.js');
const TIME = '/usr/bin/time';
// Fixed so every run scores the same data the same way, whatever today's date is.
const AS_OF = '2024-07-01';
const DEFAULT_RUNS = { '1m': 5, '2m': 3, '5m': 3, '10m': 3 };

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1m,10m' },
    inputs: { type: 'string', default: 'file,stdin,gzip' },
    runs: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const INPUTS = ['file', 'stdin', 'gzip'];
const inputs = opts.inputs.split(',').map((s) => s.trim().toLowerCase());
for (const i of inputs) if (!INPUTS.includes(i)) fail(`unknown input "${i}"; choose from ${INPUTS.join(',')}`);
const sizes = opts.sizes.split(',').map((s) => s.trim().toLowerCase());
for (const s of sizes) if (!SIZES[s]) fail(`unknown size "${s}"; choose from ${Object.keys(SIZES).join(',')}`);
const runsOverride = opts.runs === undefined ? undefined : Number(opts.runs);
if (runsOverride !== undefined && !(Number.isInteger(runsOverride) && runsOverride > 0)) fail(`--runs must be a positive integer, got "${opts.runs}"`);
if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) fail('dist/cli.js is missing; run `npm run bench` (it builds first) or `npm run build`');

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

// BSD/macOS time has no -f/-o, so probe rather than trusting that the path exists.
function gnuTimeWorks() {
  const probe = path.join(os.tmpdir(), `rfmkit-bench-time-probe-${process.pid}`);
  const r = spawnSync(TIME, ['-f', '%M', '-o', probe, 'true'], { stdio: 'ignore' });
  const ok = r.status === 0 && fs.existsSync(probe) && /^\d+\s*$/.test(fs.readFileSync(probe, 'utf8'));
  fs.rmSync(probe, { force: true });
  return ok;
}
const measureRss = gnuTimeWorks();

/**
 * One run into a fresh output dir: wall seconds and peak RSS in KiB (undefined without GNU time). `input`: the file
 * named, the file on standard input (`-`), or its gzip named.
 */
function runOnce(file, input) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rfmkit-bench-run-'));
  // A not-yet-existing subdirectory, so the CLI's own directory creation is part of what is measured.
  const out = path.join(dir, 'out');
  const rssFile = path.join(dir, 'time.txt');
  const cliArgs = [CLI, 'segment', input === 'stdin' ? '-' : input === 'gzip' ? ensureGzipFile(file) : file, '--out', out, '--as-of', AS_OF];
  const stdin = input === 'stdin' ? fs.openSync(file, 'r') : 'ignore';
  const [cmd, args] = measureRss ? [TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...cliArgs]] : [process.execPath, cliArgs];
  const started = process.hrtime.bigint();
  // stdout is piped, not inherited, so terminal rendering speed does not leak into the timing.
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: [stdin, 'pipe', 'pipe'], maxBuffer: 256 * 2 ** 20, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (typeof stdin === 'number') fs.closeSync(stdin);
  if (r.error || r.status !== 0) {
    console.error(`bench: run failed (${r.error?.message ?? (r.signal ? `signal ${r.signal}` : `exit code ${r.status}`)}): ${[cmd, ...args].join(' ')}`);
    if (r.stdout) console.error(`--- stdout (last 4000 chars) ---\n${r.stdout.slice(-4000)}`);
    console.error(`--- stderr ---\n${r.stderr || '(empty)'}`);
    if (measureRss && fs.existsSync(rssFile)) console.error(`--- ${TIME} ---\n${fs.readFileSync(rssFile, 'utf8')}`);
    console.error(`(output dir left at ${dir})`);
    process.exit(1);
  }
  // Exit code 0 with nothing written would make a meaningless (and flattering) number.
  for (const name of ['customers.csv', 'summary.json']) {
    if (!fs.existsSync(path.join(out, name))) fail(`run exited 0 but wrote no ${name} in ${out}`);
  }
  // GNU time prints %M on the last line (after any "Command exited..." notice).
  const rssKiB = measureRss ? Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : undefined;
  if (opts.keep) console.error(`  kept ${out}`);
  else fs.rmSync(dir, { recursive: true, force: true });
  return { seconds, rssKiB };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b), mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

// Generate everything first so generation never overlaps a timed run.
const files = sizes.map((size) => ({ size, rows: SIZES[size], file: ensureOrdersFile(SIZES[size]) }));
if (inputs.includes('gzip')) for (const f of files) ensureGzipFile(f.file);

const rowsOut = [];
for (const { size, rows, file } of files) for (const input of inputs) {
  // MB and MB/s are of the CSV text, whichever way it comes in.
  const bytes = fs.statSync(file).size;
  const name = input === 'stdin' ? `${path.basename(file)} on stdin` : input === 'gzip' ? `${path.basename(file)}.gz` : path.basename(file);
  const runs = runsOverride ?? DEFAULT_RUNS[size];
  const results = [];
  for (let i = 1; i <= runs; i++) {
    const r = runOnce(file, input);
    console.error(`${name} run ${i}/${runs}: ${r.seconds.toFixed(2)} s${r.rssKiB === undefined ? '' : `, peak RSS ${fmt((r.rssKiB * 1024) / 1e6)} MB`}`);
    results.push(r);
  }
  const secs = median(results.map((r) => r.seconds));
  const peak = measureRss ? Math.max(...results.map((r) => r.rssKiB)) : undefined;
  const mb = bytes / 1e6;
  const rss = peak === undefined ? 'n/a' : fmt((peak * 1024) / 1e6);
  rowsOut.push([name, fmt(rows), fmt(mb, 1), String(runs), secs.toFixed(2), fmt(rows / secs), fmt(mb / secs, 1), rss]);
}

const cpus = os.cpus();
console.log(`node ${process.version} · ${cpus[0]?.model.trim() ?? 'unknown CPU'} · ${cpus.length} cores · ${os.platform()} ${os.arch()}`);
console.log(`measured: node bin/rfmkit.js segment <file | - < file | file.gz> --out <fresh tmp dir> --as-of ${AS_OF} (files in ${path.dirname(files[0].file)})`);
console.log(`peak RSS: ${measureRss ? 'GNU time %M of the node process (worker_threads share it, child processes would not)' : `n/a, ${TIME} is missing or not GNU time`}; MB = 10^6 bytes\n`);
const header = ['input', 'rows', 'MB', 'runs', 'median wall (s)', 'rows/s', 'MB/s', 'peak RSS (MB)'];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
for (const r of rowsOut) console.log(`| ${r.join(' | ')} |`);
