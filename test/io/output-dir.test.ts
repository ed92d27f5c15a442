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

describe('OutputDir', () => {
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
