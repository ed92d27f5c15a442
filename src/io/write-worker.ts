import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { HashedFile, hashFile } from './file-hash.js';
import { releaseBlock, routedBlock, threadSegmentWriters, type RoutedBlock, type SegmentFiles } from './output-dir.js';

// Writes and hashes the files of an output folder off the main thread (see WriterThread in output-dir.ts). Messages
// come in the order the main thread sent them; a file's chunks are written in that order.

export type ToWriter =
  | { readonly kind: 'hash'; readonly id: number; readonly path: string }
  | { readonly kind: 'open'; readonly id: number; readonly path: string }
  | { readonly kind: 'data'; readonly id: number; readonly data: Uint8Array }
  | { readonly kind: 'close'; readonly id: number }
  /** Segment files (`paths[d][s]`, closed as `files[d][s]`), written from routed blocks of lines (see SegmentFiles). */
  | { readonly kind: 'segments'; readonly id: number; readonly header: string; readonly paths: readonly (readonly string[])[]; readonly files: readonly (readonly number[])[] }
  | ({ readonly kind: 'route'; readonly id: number; readonly segments: readonly (Uint16Array | undefined)[] } & RoutedBlock)
  | { readonly kind: 'segments-close'; readonly id: number };

export type FromWriter =
  | { readonly kind: 'closed'; readonly id: number; readonly bytes: number; readonly sha256: string; readonly rows?: number }
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
  const segments = new Map<number, SegmentFiles>();
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
        files.set(m.id, new HashedFile(m.path, { direct: true }));
      } else if (m.kind === 'data') {
        files.get(m.id)!.write(m.data);
        const buffer = m.data.buffer as ArrayBuffer;
        if (buffer.byteLength === flushAt) returns.postMessage(buffer, [buffer]);
      } else if (m.kind === 'segments') {
        const ids = m.files;
        const closed = (d: number, s: number, bytes: number, rows: number, sha256: string) =>
          port.postMessage({ kind: 'closed', id: ids[d]![s]!, bytes, sha256, rows } satisfies FromWriter);
        segments.set(m.id, threadSegmentWriters(m.header, m.paths, closed));
      } else if (m.kind === 'route') {
        segments.get(m.id)!.route(routedBlock(m), m.segments);
      } else if (m.kind === 'segments-close') {
        segments.get(m.id)!.close();
        segments.delete(m.id);
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
      } else if (m.kind === 'route') {
        releaseBlock(m); // also after a failure: the main thread waits for the slot
      }
    }
  });
}
