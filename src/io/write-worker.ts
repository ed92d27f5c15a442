import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { HashedFile, hashFile } from './file-hash.js';

// Writes and hashes the files of an output folder off the main thread (see WriterThread in output-dir.ts). Messages
// come in the order the main thread sent them; a file's chunks are written in that order.

export type ToWriter =
  | { readonly kind: 'hash'; readonly id: number; readonly path: string }
  | { readonly kind: 'open'; readonly id: number; readonly path: string }
  | { readonly kind: 'data'; readonly id: number; readonly data: Uint8Array }
  | { readonly kind: 'close'; readonly id: number };

export type FromWriter =
  | { readonly kind: 'closed'; readonly id: number; readonly bytes: number; readonly sha256: string }
  | { readonly kind: 'hashed'; readonly id: number; readonly sha256: string }
  | { readonly kind: 'failed'; readonly message: string; readonly code?: string };

export interface WriterData {
  /** Chunks sent but not yet written (an Int32Array's buffer): the main thread waits while there are too many. */
  readonly inFlight: SharedArrayBuffer;
  /** Where buffers of `flushAt` bytes (the main thread's LineWriter buffers) go back once written, to be filled again. */
  readonly returns: MessagePort;
  readonly flushAt: number;
}

serve(workerData as WriterData);

function serve({ inFlight: shared, returns, flushAt }: WriterData): void {
  const port = parentPort!;
  const inFlight = new Int32Array(shared);
  const files = new Map<number, HashedFile>();
  let failed = false;
  /** After the first error nothing more is written; the main thread reports it. */
  const fail = (e: NodeJS.ErrnoException) => {
    failed = true;
    port.postMessage({ kind: 'failed', message: e.message, code: e.code } satisfies FromWriter);
  };

  port.on('message', (m: ToWriter) => {
    try {
      if (failed) return;
      if (m.kind === 'hash') {
        const id = m.id;
        hashFile(m.path).then(
          (sha256) => port.postMessage({ kind: 'hashed', id, sha256 } satisfies FromWriter),
          (err: NodeJS.ErrnoException) => fail(err),
        );
      } else if (m.kind === 'open') {
        files.set(m.id, new HashedFile(m.path));
      } else if (m.kind === 'data') {
        files.get(m.id)!.write(m.data);
        const buffer = m.data.buffer as ArrayBuffer;
        if (buffer.byteLength === flushAt) returns.postMessage(buffer, [buffer]);
      } else {
        const f = files.get(m.id)!;
        files.delete(m.id);
        port.postMessage({ kind: 'closed', id: m.id, ...f.close() } satisfies FromWriter);
      }
    } catch (err) {
      fail(err as NodeJS.ErrnoException);
    } finally {
      if (m.kind === 'data') {
        Atomics.sub(inFlight, 0, 1);
        Atomics.notify(inFlight, 0);
      }
    }
  });
}
