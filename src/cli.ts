import { Command, CommanderError } from 'commander';
import { diffCommand } from './commands/diff.js';
import { initCommand } from './commands/init.js';
import { inspectCommand } from './commands/inspect.js';
import { rulesCommand } from './commands/rules.js';
import { segmentCommand } from './commands/segment.js';
import { InputError, UsageError } from './errors.js';
import { VERSION } from './version.js';

// date-fns reads patterns into local time; UTC has no daylight-saving gaps, so a written date is always kept as written.
process.env.TZ = 'UTC';

const COMMANDS = [segmentCommand, inspectCommand, rulesCommand, initCommand, diffCommand];

function program(): Command {
  const root = new Command('rfmkit')
    .description('Turn order exports into customer segments: RFM scores, ABC classes and lifecycle states.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const make of COMMANDS) root.addCommand(make().exitOverride());
  return root;
}

/** Runs the command line; the one place that turns outcomes into exit codes. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof InputError || err instanceof UsageError) {
      process.stderr.write(`rfmkit: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

// A closed pipe downstream (`rfmkit … | head`) is not a failure.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
