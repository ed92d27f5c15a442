// Deterministic synthetic orders files for the benchmark. They live outside the repository (hundreds of MB)
// and are generated once, then reused while their sidecar .json still matches.
// Usage on its own: node test/bench/generate.mjs [1m,10m]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

// Bump when the output format or distribution changes, so cached files are regenerated.
const VERSION = 1;
export const BENCH_DIR = path.join(os.tmpdir(), 'rfmkit-bench');
export const SIZES = { '1m': 1_000_000, '2m': 2_000_000, '5m': 5_000_000, '10m': 10_000_000 };

// mulberry32: tiny, fast, and the same sequence on every platform, which makes the files byte-identical.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generate(file, rows) {
  const random = mulberry32(0x5eed + rows);
  const customers = Math.floor(rows / 10);
  // 2021-07-01 .. 2024-06-30 (three years), formatted once rather than per row.
  const days = [];
  for (let t = Date.UTC(2021, 6, 1); t <= Date.UTC(2024, 5, 30); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  const fd = fs.openSync(file, 'w');
  let chunk = 'order_id,customer_id,order_date,amount\n';
  for (let i = 0; i < rows; i++) {
    // Exports are usually chronological, so dates rise with the order id.
    const day = days[Math.floor((i * days.length) / rows)];
    const customer = Math.floor(random() * customers);
    // Squaring skews amounts towards small baskets (5.00 .. ~500.00); ~2% of rows are refunds.
    const u = random();
    let cents = 500 + Math.floor(u * u * 49_500);
    if (random() < 0.02) cents = -Math.floor(cents / 2);
    const abs = Math.abs(cents);
    const rest = abs % 100;
    chunk += `O${String(i + 1).padStart(10, '0')},C${String(customer).padStart(7, '0')},${day},${cents < 0 ? '-' : ''}${(abs - rest) / 100}.${rest < 10 ? '0' : ''}${rest}\n`;
    // ~160 KB per write: few syscalls, yet the string is short-lived enough for the young-generation GC;
    // multi-MB concatenated strings made generation ~5x slower.
    if ((i & 0xfff) === 0xfff) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
}

/** Path of the orders file with `rows` rows, generating it only when no valid cached copy exists. */
export function ensureOrdersFile(rows, dir = BENCH_DIR, log = console.error) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `orders-${rows}.csv`);
  const metaFile = `${file}.json`;
  try {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    if (meta.version === VERSION && meta.rows === rows && meta.bytes === fs.statSync(file).size) return file;
  } catch {} // no usable cache: regenerate
  log(`generating ${file} (${rows.toLocaleString('en-US')} rows)…`);
  const started = performance.now();
  // Write under a temporary name so an interrupted run never leaves a truncated file that looks valid.
  const partial = `${file}.${process.pid}.partial`;
  generate(partial, rows);
  fs.renameSync(partial, file);
  const bytes = fs.statSync(file).size;
  fs.writeFileSync(metaFile, JSON.stringify({ version: VERSION, rows, bytes }) + '\n');
  log(`  ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

/** `file` gzipped beside it (`file.gz`, zlib's default level, as `gzip` makes it), made once per version of `file`. */
export function ensureGzipFile(file, log = console.error) {
  const gz = `${file}.gz`;
  const metaFile = `${gz}.json`;
  const source = fs.statSync(file).size;
  try {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    if (meta.version === VERSION && meta.source === source && meta.bytes === fs.statSync(gz).size) return gz;
  } catch {} // no usable cache: make it
  log(`gzipping ${file}…`);
  const partial = `${gz}.${process.pid}.partial`;
  fs.writeFileSync(partial, zlib.gzipSync(fs.readFileSync(file)));
  fs.renameSync(partial, gz);
  fs.writeFileSync(metaFile, JSON.stringify({ version: VERSION, source, bytes: fs.statSync(gz).size }) + '\n');
  return gz;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  for (const size of (process.argv[2] ?? '1m,10m').split(',')) {
    if (!SIZES[size]) throw new Error(`unknown size ${size}; use ${Object.keys(SIZES).join(',')}`);
    console.log(ensureOrdersFile(SIZES[size]));
  }
}
