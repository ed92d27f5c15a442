import type { ChalkInstance } from 'chalk';
import { PLAIN } from './color.js';

/** Where reading an input stands. The caller reads the clock and counts; this module only draws. */
export interface ProgressSnapshot {
  /** Bytes of input read so far. */
  readonly bytes: number;
  /** Size of the input in bytes; undefined when not known (standard input, a gzip stream). */
  readonly totalBytes?: number;
  /** Data rows read so far; undefined when not counted (the line then shows MB/s). */
  readonly rows?: number;
  /** Milliseconds since reading began. */
  readonly elapsedMs: number;
}

export interface ProgressLook {
  /** Columns the line may take (the terminal's width); the bar takes what the figures leave. Default (and for 0) 80. */
  readonly width?: number;
  readonly style?: ChalkInstance;
  /** `#` and `-` instead of block characters, for terminals without them (TERM=dumb). */
  readonly ascii?: boolean;
}

/** Speeds and times left are shown only after this long: the first blocks read say little about the rest. */
const SETTLE_MS = 500;
const MIN_BAR = 10;

/** `1234` → `1.2k`, `2_630_000` → `2.63M`: three significant digits. */
function compact(n: number): string {
  const [value, unit] = n >= 1e9 ? [n / 1e9, 'G'] : n >= 1e6 ? [n / 1e6, 'M'] : n >= 1e3 ? [n / 1e3, 'k'] : [n, ''];
  return `${value >= 100 || unit === '' ? Math.round(value) : value.toPrecision(3)}${unit}`;
}

/** Bytes in MB (10^6 bytes), or in GB when `unitOf` is 10^9 or more, without the unit: `184_000_000` → `184.0`. */
function amount(bytes: number, unitOf: number): string {
  return unitOf >= 1e9 ? (bytes / 1e9).toFixed(2) : (bytes / 1e6).toFixed(1);
}

/** `184_000_000` → `184.0 MB`. */
function size(bytes: number): string {
  return `${amount(bytes, bytes)} ${bytes >= 1e9 ? 'GB' : 'MB'}`;
}

/** `65` → `1:05`, `3725` → `1:02:05`. */
function clock(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * One progress line, without a line break (write it after a `\r` to redraw it in place):
 * `renderProgress({ bytes: 182e6, totalBytes: 384.8e6, rows: 4.7e6, elapsedMs: 1800 }, { width: 72 })` →
 * `[███████████████▏ …░░░]  47%  182.0 of 384.8 MB  2.61M rows/s  0:02 left` (the bar as wide as the rest allows).
 * Without a total there is no bar, percentage or time left: `182.0 MB read  2.61M rows/s`. Never wider than `width`.
 */
export function renderProgress(p: ProgressSnapshot, look: ProgressLook = {}): string {
  const width = look.width || 80; // 0: a terminal that does not say how wide it is (a bare pty)
  const style = look.style ?? PLAIN;
  const seconds = p.elapsedMs / 1000;
  const settled = p.elapsedMs >= SETTLE_MS && p.bytes > 0;
  const speed = !settled
    ? ''
    : p.rows !== undefined
      ? `${compact(p.rows / seconds)} rows/s`
      : `${(p.bytes / 1e6 / seconds).toFixed(1)} MB/s`;
  const total = p.totalBytes !== undefined && p.totalBytes > 0 ? p.totalBytes : undefined;
  if (total === undefined) {
    return fit([`${size(p.bytes)} read`, speed], width);
  }
  const done = Math.min(1, Math.max(0, p.bytes / total));
  const left = settled && done < 1 ? `${clock((seconds / done) * (1 - done))} left` : done >= 1 ? 'done' : '';
  const figures = [`${String(Math.floor(done * 100)).padStart(3)}%`, `${amount(Math.min(p.bytes, total), total)} of ${size(total)}`, speed, left];
  const text = figures.filter((f) => f !== '').join('  ');
  const barWidth = width - text.length - 4; // "[" + bar + "]" + two spaces
  if (barWidth < MIN_BAR) return fit(figures, width);
  const filled = Math.round(done * barWidth);
  const [on, off] = look.ascii ? ['#', '-'] : ['█', '░'];
  return `[${style.cyan(on.repeat(filled))}${style.dim(off.repeat(barWidth - filled))}]  ${text}`;
}

/** The figures that fit in `width`, dropping from the end. */
function fit(figures: readonly string[], width: number): string {
  const shown = figures.filter((f) => f !== '');
  while (shown.length > 1 && shown.join('  ').length > width) shown.pop();
  const line = shown.join('  ');
  return line.length > width ? line.slice(0, Math.max(0, width)) : line;
}
