import { Chalk, type ChalkInstance } from 'chalk';

/**
 * The one place that decides colour: on only for a terminal, never with NO_COLOR (any value) or TERM=dumb.
 * Render functions take the returned Chalk and stay plain strings in tests (level 0).
 */
export function chooseStyle(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): ChalkInstance {
  const on = stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  return new Chalk({ level: on ? 1 : 0 });
}

export const PLAIN: ChalkInstance = new Chalk({ level: 0 });
