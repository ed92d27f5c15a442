import { parentPort, workerData } from 'node:worker_threads';
import { idRanks } from '../core/segment.js';

// Ranks customer ids off the main thread (see rank-ids.ts); the ranks go back transferred, not copied.
const ranks = idRanks(workerData as string[]);
parentPort!.postMessage(ranks, [ranks.buffer as ArrayBuffer]);
