import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderProgress } from '../../src/render/progress.js';

// Each case: where reading stands → the line drawn for it (plain style, 72 columns unless said).

describe('renderProgress', () => {
  it.each<[string, Parameters<typeof renderProgress>[0], string]>([
    [
      'a bar, the share, the bytes, rows per second and the time left',
      { bytes: 192_381_898, totalBytes: 384_763_796, rows: 5_000_000, elapsedMs: 2000 },
      '[██████████░░░░░░░░░░]   50%  192.4 of 384.8 MB  2.50M rows/s  0:02 left',
    ],
    ['MB/s when rows are not counted', { bytes: 100e6, totalBytes: 400e6, elapsedMs: 1000 }, '[██████░░░░░░░░░░░░░░░░]   25%  100.0 of 400.0 MB  100.0 MB/s  0:03 left'],
    ['no speed nor time left in the first half second', { bytes: 10e6, totalBytes: 400e6, rows: 1000, elapsedMs: 200 }, '[█░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░]    2%  10.0 of 400.0 MB'],
    ['done at the end, never over 100%', { bytes: 420e6, totalBytes: 400e6, rows: 10e6, elapsedMs: 4000 }, '[█████████████████████████]  100%  400.0 of 400.0 MB  2.50M rows/s  done'],
    ['no bar without a total (standard input)', { bytes: 12_345_678, rows: 300_000, elapsedMs: 1500 }, '12.3 MB read  200k rows/s'],
    ['GB for big files', { bytes: 1.5e9, totalBytes: 3e9, rows: 3e7, elapsedMs: 10_000 }, '[███████████░░░░░░░░░░░]   50%  1.50 of 3.00 GB  3.00M rows/s  0:10 left'],
    ['hours in the time left', { bytes: 1e6, totalBytes: 4e9, rows: 1000, elapsedMs: 1000 }, '[░░░░░░░░░░░░░░░░░░░]    0%  0.00 of 4.00 GB  1.00k rows/s  1:06:39 left'],
  ])('%s', (_, snapshot, line) => {
    expect(renderProgress(snapshot, { width: 72 })).toBe(line);
    if (snapshot.totalBytes !== undefined) expect(line.length).toBe(72); // the bar fills the width
  });

  it('takes a terminal that says it is 0 columns wide (a bare pty) as 80, as one that does not say', () => {
    const p = { bytes: 192e6, totalBytes: 384e6, rows: 5e6, elapsedMs: 2000 };
    expect(renderProgress(p, { width: 0 })).toBe(renderProgress(p, {}));
    expect(renderProgress(p, {}).length).toBe(80);
  });

  it('is never wider than the terminal, dropping the bar and then figures from the end', () => {
    const p = { bytes: 192e6, totalBytes: 384e6, rows: 5e6, elapsedMs: 2000 };
    for (const width of [100, 72, 50, 40, 30, 12, 5]) expect(renderProgress(p, { width }).length).toBeLessThanOrEqual(width);
    expect(renderProgress(p, { width: 40 })).toBe(' 50%  192.0 of 384.0 MB  2.50M rows/s');
  });

  it('draws # and - for terminals without block characters, and colours only the bar', () => {
    const p = { bytes: 1, totalBytes: 2, elapsedMs: 0 };
    expect(renderProgress(p, { width: 40, ascii: true })).toBe('[#########--------]   50%  0.0 of 0.0 MB');
    const coloured = renderProgress(p, { width: 40, style: new Chalk({ level: 1 }) });
    expect(coloured).toContain('\u001b[36m');
    expect(coloured.endsWith(']   50%  0.0 of 0.0 MB')).toBe(true);
  });
});
