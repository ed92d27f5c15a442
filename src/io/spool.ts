import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { writeFully } from './file-hash.js';
import { ioError, openBytes, type InputTap } from './source.js';

/**
 * A copy of an input that the fast reader cannot read where it is (standard input, a pipe, a gzip file) as a plain file
 * it can: the bytes as they come, gzip undone. The copy sits in a private folder of its own (mode 0700) and goes with it.
 */
export interface Spool {
  /** The copy: read it, then `remove` it. */
  readonly path: string;
  readonly gzip: boolean;
  /** Counted and hashed the bytes as given, for the manifest. */
  readonly tap: InputTap;
  remove(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs `cleanup` when the process is stopped by a signal (Ctrl-C, a job's timeout), then lets the signal end it as it
 * would have: a copy of a whole input must not stay behind in $TMPDIR. Returns the function that takes this back.
 */
function cleanUpOnSignal(cleanup: () => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    release();
    cleanup();
    process.kill(process.pid, signal);
  };
  const release = () => {
    for (const s of SIGNALS) process.off(s, handler);
  };
  for (const s of SIGNALS) process.on(s, handler);
  return release;
}

/**
 * Copies `path` (or `-`) into a new private folder in `dir`. A read error (missing file, damaged gzip) is the InputError
 * reading it otherwise gives; a write error (a full disk) says where the copy was going. `onBytes` hears the bytes read
 * of the input as given.
 */
export async function spoolInput(path: string, file: string, dir: string, onBytes?: (rawBytes: number) => void): Promise<Spool> {
  let folder: string;
  try {
    folder = mkdtempSync(join(dir, '.rfmkit-spool-'));
  } catch (err) {
    throw new UsageError(`cannot make a folder for a copy of ${file} in ${dir} (${(err as NodeJS.ErrnoException).code}); set TMPDIR or --out to a folder you can write`);
  }
  const release = cleanUpOnSignal(() => rmSync(folder, { recursive: true, force: true }));
  const remove = () => {
    release();
    rmSync(folder, { recursive: true, force: true });
  };
  const copy = join(folder, 'input.csv');
  try {
    const source = await openBytes(path, file);
    const fd = openSync(copy, 'wx', 0o600);
    try {
      for await (const chunk of source.bytes) {
        try {
          writeFully(fd, chunk);
        } catch (err) {
          throw new InputError(`cannot write a copy of the input in ${dir} (${(err as NodeJS.ErrnoException).code}); free some space, or set TMPDIR or --out elsewhere`, { file });
        }
        onBytes?.(source.tap.bytes);
      }
    } finally {
      closeSync(fd);
    }
    return { path: copy, gzip: source.gzip, tap: source.tap, remove };
  } catch (err) {
    remove();
    throw ioError(err, file);
  }
}
