import { parentPort } from 'node:worker_threads';
import { readPart, type PartPlan } from './part.js';

// A worker thread reading one part of an orders file (see part.ts). Progress goes up as it reads; the result crosses
// back once, its typed arrays transferred rather than copied.

export type WorkerMessage =
  | { readonly kind: 'progress'; readonly bytes: number; readonly rows: number }
  | { readonly kind: 'outcome'; readonly outcome: ReturnType<typeof readPart> };

// The plan comes as the first message: the thread is started, and its modules loaded, while the header is still read.
const port = parentPort!;
port.once('message', (plan: PartPlan) => {
  const outcome = readPart(plan, (bytes, rows) => port.postMessage({ kind: 'progress', bytes, rows } satisfies WorkerMessage));
  const transfer = new Set<ArrayBuffer>(); // a set, in case two arrays share a buffer
  if (outcome.kind === 'done') {
    const r = outcome.result;
    for (const a of [r.facts.frequency, r.facts.monetary, r.facts.dayStart, r.facts.days, r.idEnds, ...(r.idKeys ? [r.idKeys.hi, r.idKeys.lo] : [])]) {
      transfer.add(a.buffer as ArrayBuffer);
    }
  }
  port.postMessage({ kind: 'outcome', outcome } satisfies WorkerMessage, [...transfer]);
});
