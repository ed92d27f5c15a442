import { styleFor } from './terminal.js';

/** Redraws at most this often, and only once a run has taken this long: short runs never show a bar. */
const REDRAW_MS = 100;
const SHOW_AFTER_MS = 2000;

export interface Progress {
  readonly onProgress?: (bytes: number, rows?: number) => void;
  /** Clears the bar, if one was drawn. */
  done(): void;
}

/**
 * A progress bar on `stream` for reading a file of `totalBytes`: only on a terminal, only after two seconds, never for
 * standard input (no size). The one place that reads the clock for it.
 */
export async function progressBar(stream: NodeJS.WriteStream, totalBytes: number | undefined, env: NodeJS.ProcessEnv): Promise<Progress> {
  if (!stream.isTTY || totalBytes === undefined) return { done: () => undefined };
  const { renderProgress } = await import('../render/progress.js');
  const started = Date.now();
  let drawnAt = 0;
  let drawn = false;
  const style = await styleFor(stream, env);
  return {
    onProgress: (bytes, rows) => {
      const now = Date.now();
      if (now - started < SHOW_AFTER_MS || now - drawnAt < REDRAW_MS) return;
      drawnAt = now;
      drawn = true;
      const line = renderProgress({ bytes, totalBytes, rows, elapsedMs: now - started }, { width: stream.columns, style, ascii: env.TERM === 'dumb' });
      stream.write(`\r${line}`);
    },
    done: () => {
      if (drawn) stream.write('\r\u001b[K');
    },
  };
}
