import type { ChalkInstance } from 'chalk';

/**
 * The style (colours or none) for `stream`: see chooseStyle. The rendering modules (chalk, cli-table3 and rfmkit's
 * renderers, about 25 ms to load) are loaded by the commands when they draw something, not at every start: a nightly
 * run that prints nothing, or prints only at the end, does its work meanwhile.
 */
export async function styleFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Promise<ChalkInstance> {
  const { chooseStyle } = await import('../render/color.js');
  return chooseStyle(stream, env);
}
