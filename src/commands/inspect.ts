import { tmpdir } from 'node:os';
import { Command } from 'commander';
import { displayName, readOrders } from '../io/read-orders.js';
import { styleFor } from './terminal.js';
import { columnOptions, dateOptions, dialectOptions, orderReadOptions, wholeNumber, type OrderFlags } from './options.js';

interface InspectOptions extends OrderFlags {
  rows: number;
}

async function run(input: string, opts: InspectOptions): Promise<void> {
  const read = await readOrders(input, { ...orderReadOptions(opts), preview: opts.rows, spoolDir: tmpdir() });
  const { renderInspect } = await import('../render/inspect.js');
  process.stdout.write(renderInspect({ file: displayName(input), read, maxProblems: 20 }, await styleFor(process.stdout, process.env)));
}

export function inspectCommand(): Command {
  const cmd = new Command('inspect')
    .description('show how an orders file will be read: encoding, delimiter, columns, date and number formats, rows, problems; writes nothing')
    .argument('<orders>', 'orders CSV file (or .gz), or - for standard input')
    .option('-n, --rows <n>', 'rows to show as read', wholeNumber('--rows', 0, 1000), 5);
  for (const o of [...columnOptions(), ...dateOptions(), ...dialectOptions()]) cmd.addOption(o);
  cmd.addHelpText(
    'after',
    `
Examples:
  rfmkit inspect orders.csv
  rfmkit inspect export.csv.gz --rows 10
  rfmkit inspect orders.csv --date-format dd/MM/yyyy --decimal ,

Exit codes: 0 read (problems are listed, not fatal), 1 unreadable input, 2 columns or formats that cannot be told.`,
  );
  return cmd.action(run);
}
