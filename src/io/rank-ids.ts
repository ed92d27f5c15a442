import { Worker } from 'node:worker_threads';
import { idRanks } from '../core/segment.js';

/** Below this many customers the ids are ranked where they are: a thread costs more than it saves. */
export const RANK_ASIDE_ABOVE = 100_000;

/**
 * `idRanks(ids)`, computed on another thread for large tables, so that sorting a million ids (about 1.5 s) overlaps
 * the scoring the command does meanwhile. The result is the same either way (test/io/rank-ids.test.ts).
 */
export function rankIdsAside(ids: readonly string[], above = RANK_ASIDE_ABOVE): Promise<Int32Array> {
  if (ids.length < above) return Promise.resolve(idRanks(ids));
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./rank-ids-worker.js', import.meta.url), { workerData: ids });
    worker.once('message', (ranks: Int32Array) => resolve(ranks));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`ranking worker stopped (exit code ${code})`))));
  });
}
