import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { idRanks } from '../../src/core/segment.js';

// The worker is the built dist/io/rank-ids-worker.js, as the command runs it, so this imports the built module
// (`npm test` builds first).
type RankModule = typeof import('../../src/io/rank-ids.js');
const built = import(pathToFileURL(join(import.meta.dirname, '../../dist/io/rank-ids.js')).href) as Promise<RankModule>;

describe('rankIdsAside', () => {
  const ids = ['b', 'a', 'C10', 'C9', 'é', 'Z', '', 'ab'];
  // Sorted by code units: '', 'C10', 'C9', 'Z', 'a', 'ab', 'b', 'é'.
  const expected = Int32Array.from([6, 4, 1, 2, 7, 3, 0, 5]);

  it('ranks ids by UTF-16 code units', () => expect(idRanks(ids)).toEqual(expected));

  it('gives the same ranks on another thread', async () => {
    const { rankIdsAside } = await built;
    await expect(rankIdsAside(ids, 0)).resolves.toEqual(expected);
  });

  it('ranks small tables where they are', async () => {
    const { rankIdsAside } = await built;
    await expect(rankIdsAside(ids)).resolves.toEqual(expected);
  });
});
