import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../temp.js';

// The writer thread runs the built dist/io/write-worker.js, so this imports the built module (`npm test` builds first).
type OutputDirModule = typeof import('../../src/io/output-dir.js');
const { OutputDir } = (await import(pathToFileURL(join(import.meta.dirname, '../../dist/io/output-dir.js')).href)) as OutputDirModule;

function target(): string {
  return join(tempDir('outdir'), 'out');
}

/** Lines of every shape a writer meets: short, non-ASCII, empty, and one longer than its buffer (1 MiB). */
const LINES = ['id,name', 'a,1', 'é,ünïcode', '', 'x'.repeat(1_500_000), ...Array.from({ length: 30_000 }, (_, i) => `c${i},${'y'.repeat(i % 90)}`)];

/** Writes the LINES to two files, and to four more in turns; `threads` writer threads, or none (0). */
async function writeAll(threads: number): Promise<{ dir: string; written: unknown }> {
  const path = target();
  const out = new OutputDir(path, process.pid);
  if (threads > 0) out.writeInBackground(threads);
  const all = out.lines('all.csv');
  const copy = out.lines('sub/copy.csv');
  const turns = [0, 1, 2, 3].map((k) => out.lines(`turns/${k}.csv`));
  LINES.forEach((line, i) => turns[i % 4]!.write(line));
  for (const line of LINES) all.write(line);
  // The same lines encoded, some one at a time and the rest as one run of bytes.
  const encoded = LINES.map((line) => Buffer.from(`${line}\n`));
  for (const bytes of encoded.slice(0, 10)) copy.writeBytes(bytes);
  copy.writeBytes(Buffer.concat(encoded.slice(10)), LINES.length - 10);
  all.close();
  copy.close();
  for (const t of turns) t.close();
  await out.settle();
  out.text('summary.json', '{"tool":"rfmkit"}\n');
  const written = out.written;
  out.commit();
  return { dir: path, written };
}

/** Blocks of lines for SegmentFiles.route: sizes that leave a block empty, or make it outgrow its slot (2 MiB, 16,384 lines). */
const BLOCK_SIZES = [3, 0, 1, 20_000, 500, 2_000, 30_000];
const ROUTED = BLOCK_SIZES.flatMap((n, b) => Array.from({ length: n }, (_, k) => `r${b}-${k},${k % 7 === 0 ? 'ünï' : 'x'.repeat(k % 120)}`));
/** Line i's segment in each dimension: five segments, one, and three (the last never used). */
const SEGMENT_OF = [(i: number) => (i * 7) % 5, () => 0, (i: number) => (i % 3 === 0 ? 0 : 1)];
const SEGMENT_PATHS = [[0, 1, 2, 3, 4].map((s) => `segments/a/${s}.csv`), ['segments/b/only.csv'], ['segments/c/0.csv', 'segments/c/1.csv', 'segments/c/2.csv']];

/** Routes ROUTED through `out.segments`, with an all-lines file as one more dimension; `threads` writer threads, or none. */
async function routeAll(threads: number): Promise<{ dir: string; written: unknown }> {
  const path = target();
  const out = new OutputDir(path, process.pid);
  if (threads > 0) out.writeInBackground(threads);
  const files = out.segments('id,text', [...SEGMENT_PATHS, ['all.csv']]);
  let row = 0;
  for (const n of BLOCK_SIZES) {
    const lines = ROUTED.slice(row, row + n).map((l) => Buffer.from(`${l}\n`));
    const bytes = Buffer.concat(lines);
    const ends = new Uint32Array(Math.max(1, n));
    lines.reduce((end, l, k) => (ends[k] = end + l.length), 0);
    const segments = SEGMENT_OF.map((of) => Uint16Array.from({ length: n }, (_, k) => of(row + k)));
    files.route({ bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.length), ends, count: n }, [...segments, undefined]);
    row += n;
  }
  files.close();
  await out.settle();
  const written = out.written;
  out.commit();
  return { dir: path, written };
}

describe('OutputDir', () => {
  it('routes blocks of lines to segment files the same on writer threads as on the calling thread', async () => {
    const here = await routeAll(0);
    const runs = [here, await routeAll(1), await routeAll(2), await routeAll(3)];
    const expected = new Map<string, string[]>([['all.csv', ROUTED]]);
    SEGMENT_PATHS.forEach((paths, d) => paths.forEach((p, s) => expected.set(p, ROUTED.filter((_, i) => SEGMENT_OF[d]!(i) === s))));
    // Closed in dimension order, then segment order: so listed.
    expect((here.written as { path: string }[]).map((f) => f.path)).toEqual([...SEGMENT_PATHS.flat(), 'all.csv']);
    for (const run of runs) {
      expect(run.written).toEqual(here.written);
      for (const [file, lines] of expected) {
        const bytes = readFileSync(join(run.dir, file));
        expect(bytes.toString('utf8')).toBe(`${['id,text', ...lines].join('\n')}\n`);
        const listed = (run.written as { path: string; sha256: string; rows: number; bytes: number }[]).find((f) => f.path === file)!;
        expect(listed).toEqual({ path: file, bytes: bytes.length, rows: lines.length, sha256: createHash('sha256').update(bytes).digest('hex') });
      }
    }
  });

  it('reports a segment file a writer thread cannot write when settling, and routes every block all the same', async () => {
    const out = new OutputDir(target(), process.pid);
    out.writeInBackground(2);
    writeFileSync(out.file('blocked'), 'a file where a folder should be');
    const files = out.segments('h', [['ok.csv'], ['blocked/no.csv']]);
    // More blocks than the shared slots: a thread that has failed must still free them, or this would wait for ever.
    for (let b = 0; b < 12; b++) {
      const bytes = Buffer.from('a\n');
      files.route({ bytes, view: new DataView(bytes.buffer, bytes.byteOffset, 2), ends: Uint32Array.of(2), count: 1 }, [undefined, undefined]);
    }
    files.close();
    await expect(out.settle()).rejects.toThrow(/blocked/);
    out.discard();
  });

  it('writes the same bytes, sizes, row counts and hashes on one or more writer threads as on the calling thread', async () => {
    const direct = await writeAll(0);
    const backgrounds = [await writeAll(1), await writeAll(2), await writeAll(3)];
    for (const background of backgrounds) expect(background.written).toEqual(direct.written);
    expect((direct.written as unknown[]).length).toBe(7);
    const expected = `${LINES.join('\n')}\n`;
    for (const run of [direct, ...backgrounds]) {
      const turns = [0, 1, 2, 3].map((k) => readFileSync(join(run.dir, `turns/${k}.csv`), 'utf8'));
      expect(turns).toEqual([0, 1, 2, 3].map((k) => `${LINES.filter((_, i) => i % 4 === k).join('\n')}\n`));
      for (const file of ['all.csv', 'sub/copy.csv']) {
        const bytes = readFileSync(join(run.dir, file));
        expect(bytes.toString('utf8')).toBe(expected);
        const listed = (run.written as { path: string; sha256: string; rows: number }[]).find((f) => f.path === file)!;
        expect(listed.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
        expect(listed.rows).toBe(LINES.length - 1);
      }
    }
  });

  it('reports a file the writer thread cannot write when settling, and commits nothing', async () => {
    const path = target();
    const out = new OutputDir(path, process.pid);
    out.writeInBackground();
    writeFileSync(out.file('blocker'), 'a file where a folder should be');
    const w = out.lines('blocker/inside.csv');
    w.write('a');
    w.close();
    await expect(out.settle()).rejects.toThrow(/blocker/);
    out.discard();
  });

  it('hashes an input file for the manifest, on the writer thread or not', async () => {
    const input = join(tempDir('hash'), 'in.csv');
    const bytes = Buffer.from('x'.repeat(5_000_000) + 'é\n');
    writeFileSync(input, bytes);
    const expected = createHash('sha256').update(bytes).digest('hex');
    for (const background of [false, true]) {
      const out = new OutputDir(target(), process.pid);
      if (background) out.writeInBackground();
      await expect(out.hashFile(input)).resolves.toBe(expected);
      out.discard();
    }
  });

  it('will not list or commit files that are still being written', async () => {
    const out = new OutputDir(target(), process.pid);
    out.writeInBackground();
    const w = out.lines('a.csv');
    w.write('a');
    w.close();
    expect(() => out.written).toThrow(/settle/);
    expect(() => out.commit()).toThrow(/settle/);
    await out.settle();
    expect(out.written.map((f) => f.path)).toEqual(['a.csv']);
    out.commit();
  });
});
