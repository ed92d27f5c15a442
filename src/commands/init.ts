import { existsSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { DEFAULT_ABC, DEFAULT_BINS, DEFAULT_WINDOWS } from '../core/params.js';
import { DEFAULT_EVENT_WINDOWS } from '../core/events.js';
import { UsageError } from '../errors.js';
import { findOrderColumns } from '../io/columns.js';
import { CONFIG_FILE } from '../io/config.js';
import { openCsv, type CsvRow } from '../io/csv-read.js';
import { detectFormats } from '../io/detect.js';
import { displayName } from '../io/read-orders.js';

/** The detected column names and formats of an orders file, as config keys. */
async function detected(orders: string): Promise<Record<string, unknown>> {
  const csv = await openCsv(orders, displayName(orders), {});
  const columns = findOrderColumns(csv.header);
  const sample: CsvRow[] = [];
  for await (const row of csv.rows) if (sample.push(row) >= 1000) break;
  const rules = detectFormats({ columns, width: csv.header.length, dates: { timeZone: 'UTC' } }, csv.header, sample.map((r) => r.fields), {});
  const name = (i: number | undefined) => (i === undefined ? undefined : csv.header[i]);
  const found: Record<string, unknown> = {
    '// columns': `found in the header of ${orders}; change them if the guess is wrong`,
    customer_col: name(columns.customer),
    order_col: name(columns.order),
    date_col: name(columns.date),
    amount_col: name(columns.amount),
    quantity_col: name(columns.quantity),
    price_col: name(columns.price),
    date_format: rules.dates.format,
    delimiter: csv.delimiter === ',' ? undefined : csv.delimiter,
    decimal: Object.values(rules.marks ?? {}).includes(',') ? ',' : undefined,
  };
  return Object.fromEntries(Object.entries(found).filter(([, v]) => v !== undefined));
}

/** A starting config: every common setting at its default, with `//` keys as comments (JSON has none of its own). */
export function startingConfig(found: Record<string, unknown>): string {
  const doc = {
    '//': 'rfmkit settings. Every flag of `rfmkit segment` can be set here by its name (--date-format → date_format); flags win.',
    ...found,
    '// time': 'as_of: YYYY-MM-DD or "today"; without it, the day after the latest order',
    tz: 'UTC',
    '// scores': 'preset: default or rfm-r (the R package rfm); bins: scores per dimension',
    preset: 'default',
    bins: DEFAULT_BINS,
    abc: [DEFAULT_ABC.a, DEFAULT_ABC.b],
    '// lifecycle windows, in days': 'new ≤ new_days · active ≤ active_days · churned > churn_days',
    new_days: DEFAULT_WINDOWS.newDays,
    active_days: DEFAULT_WINDOWS.activeDays,
    churn_days: DEFAULT_WINDOWS.churnDays,
    frequent_periods: DEFAULT_WINDOWS.frequentPeriods,
    period_days: DEFAULT_WINDOWS.frequentPeriodDays,
    '// engagement windows, in days': 'used with --events or --customers',
    engagement_days: DEFAULT_EVENT_WINDOWS.engagementDays,
    cart_days: DEFAULT_EVENT_WINDOWS.cartDays,
    visit_days: DEFAULT_EVENT_WINDOWS.visitDays,
    '// output': 'format of segment files: generic, mailchimp or klaviyo',
    out: 'rfmkit-out',
    format: 'generic',
    '// segments': 'custom_segments: named conditions over any column of customers.csv; a person can be in several',
    custom_segments: [
      { name: 'vip_slipping', where: 'monetary >= 1000 and recency_days > 60' },
      { name: 'one_time_winback', where: 'frequency == 1 and recency_days between 30 and 60' },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

async function run(orders: string | undefined, opts: { config: string }): Promise<void> {
  if (existsSync(opts.config)) throw new UsageError(`${opts.config} exists; rfmkit init never overwrites a config (remove it, or pass --config OTHER.json)`);
  const found = orders === undefined ? {} : await detected(orders);
  writeFileSync(opts.config, startingConfig(found), { flag: 'wx' });
  process.stdout.write(`wrote ${opts.config}${orders ? ` with the columns found in ${orders}` : ''}\n`);
}

export function initCommand(): Command {
  return new Command('init')
    .description(`write a starting ${CONFIG_FILE} (columns found in ORDERS filled in); never overwrites`)
    .argument('[orders]', 'an orders CSV whose columns and formats to fill in')
    .option('--config <file>', 'where to write it', CONFIG_FILE)
    .addHelpText('after', `\nExamples:\n  rfmkit init\n  rfmkit init orders.csv\n\nExit codes: 0 written, 1 unreadable orders file, 2 the file exists or columns cannot be found.`)
    .action(run);
}
