import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// Temporary folders for tests, removed when the test file is done (each test file loads this module afresh): a CI run
// makes about a thousand of them, which used to stay in $TMPDIR.
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder in $TMPDIR, named `rfmkit-<what>-…`, removed after the test file. */
export function tempDir(what = 'test'): string {
  const dir = mkdtempSync(join(tmpdir(), `rfmkit-${what}-`));
  made.push(dir);
  return dir;
}
