import { Command } from 'commander';
import type { Delimiter } from '../io/dialect.js';
import type { DecimalMark } from '../io/number-format.js';
import { displayName, readOrders } from '../io/read-orders.js';
import type { Encoding } from '../io/source.js';
import { chooseStyle } from '../render/color.js';
import { renderInspect } from '../render/inspect.js';
import { checkTimeZone, columnOptions, dateOptions, dialectOptions, wholeNumber } from './options.js';

interface InspectOptions {
  rows: number;
  dateFormat?: string;
  tz: string;
  encoding: Encoding;
  delimiter?: Delimiter;
  decimal?: DecimalMark;
  customerCol?: string;
  orderCol?: string;
  dateCol?: string;
  amountCol?: string;
  quantityCol?: string;
  priceCol?: string;
}

async function run(input: string, opts: InspectOptions): Promise<void> {
  const read = await readOrders(input, {
    overrides: {
      customer: opts.customerCol,
      order: opts.orderCol,
      date: opts.dateCol,
      amount: opts.amountCol,
      quantity: opts.quantityCol,
      price: opts.priceCol,
    },
    dates: { format: opts.dateFormat, timeZone: checkTimeZone(opts.tz) },
    encoding: opts.encoding,
    delimiter: opts.delimiter,
    decimal: opts.decimal,
    preview: opts.rows,
  });
  process.stdout.write(renderInspect({ file: displayName(input), read, maxProblems: 20 }, chooseStyle(process.stdout, process.env)));
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
