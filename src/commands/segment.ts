import { Command, Option } from 'commander';
import { dayFromParts, formatDay } from '../core/dates.js';
import { moneyToNumber } from '../core/money.js';
import { DEFAULT_ABC, DEFAULT_BINS, DEFAULT_RULES, DEFAULT_WINDOWS, type SegmentParams } from '../core/params.js';
import { DIMENSIONS, segmentOf, segmentOrders, type SegmentResult } from '../core/segment.js';
import { segmentStats, type DimensionStats } from '../core/summary.js';
import type { Day } from '../core/types.js';
import { InputError, UsageError } from '../errors.js';
import { CUSTOMER_COLUMNS, csvLine, customerLine, fileSafeName, textCell, type TextCell } from '../io/csv-out.js';
import { OutputDir, type LineWriter } from '../io/output-dir.js';
import type { Delimiter } from '../io/dialect.js';
import type { DecimalMark } from '../io/number-format.js';
import { displayName, readOrders, type OrdersRead, type Reject } from '../io/read-orders.js';
import type { Encoding } from '../io/source.js';
import { chooseStyle } from '../render/color.js';
import { renderSummary, type SummaryView } from '../render/summary.js';
import { VERSION } from '../version.js';
import {
  checkTimeZone,
  columnOptions,
  dateOptions,
  dialectOptions,
  formatRejectLimit,
  parseAbc,
  parseAsOf,
  parseRejectLimit,
  wholeNumber,
  withinRejectLimit,
  type RejectLimit,
} from './options.js';

interface SegmentOptions {
  out: string;
  asOf?: string;
  bins: number;
  abc: { a: number; b: number };
  dateFormat?: string;
  tz: string;
  customerCol?: string;
  orderCol?: string;
  dateCol?: string;
  amountCol?: string;
  quantityCol?: string;
  priceCol?: string;
  newDays: number;
  activeDays: number;
  churnDays: number;
  frequentPeriods: number;
  periodDays: number;
  quiet?: boolean;
  sanitize: boolean;
  encoding: Encoding;
  delimiter?: Delimiter;
  decimal?: DecimalMark;
  maxRejects: RejectLimit;
}

/** Today's calendar day in `zone`: the only place the segment command reads the clock. */
function today(zone: string): Day {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric' })
    .formatToParts(new Date())
    .reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.type]: Number(p.value) }), {});
  return dayFromParts(parts.year!, parts.month!, parts.day!)!;
}

function summaryJson(v: SummaryView, read: OrdersRead, stats: DimensionStats): string {
  const p = v.params;
  const names = read.header;
  const col = (i: number | undefined) => (i === undefined ? null : names[i]);
  const segments = Object.fromEntries(
    DIMENSIONS.map((d) => [
      d,
      stats[d].map((s) => ({
        segment: s.segment,
        customers: s.customers,
        share_customers: s.shareCustomers,
        revenue: Number(moneyToNumber(s.revenue).toFixed(2)),
        share_revenue: s.shareRevenue,
        mean_r: s.meanR,
        mean_f: s.meanF,
        mean_m: s.meanM,
      })),
    ]),
  );
  const doc = {
    tool: 'rfmkit',
    version: VERSION,
    command: 'segment',
    input: v.input,
    as_of: formatDay(p.asOf),
    as_of_source: v.asOfSource,
    parameters: {
      bins: p.bins,
      rule_set: p.rules.name,
      abc: { a_below_percent: p.abc.a, b_below_percent: p.abc.b },
      lifecycle_windows_days: {
        new: p.windows.newDays,
        active: p.windows.activeDays,
        churn: p.windows.churnDays,
        frequent_periods: p.windows.frequentPeriods,
        frequent_period_days: p.windows.frequentPeriodDays,
      },
      columns: {
        customer: col(read.columns.customer),
        order: col(read.columns.order),
        date: col(read.columns.date),
        amount: col(read.columns.amount),
        quantity: col(read.columns.quantity),
        price: col(read.columns.price),
      },
    },
    cut_points: {
      quantile: 'type 7',
      recency_days: v.cuts.recency,
      frequency: v.cuts.frequency,
      monetary: v.cuts.monetary.map(moneyToNumber),
    },
    counts: {
      rows_read: v.counts.rowsRead,
      rows_used: v.counts.rowsUsed,
      rows_skipped: v.counts.skipped,
      rows_rejected: v.counts.rejected,
      orders: v.orders,
      customers: v.scored + v.unscored,
      customers_scored: v.scored,
      customers_unscored: v.unscored,
    },
    segments,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

interface ManifestFacts {
  readonly argv: readonly string[];
  readonly started: Date;
  readonly input: string;
  readonly read: OrdersRead;
  readonly asOf: Day;
  readonly out: OutputDir;
}

/**
 * manifest.json: what ran, on what, and what it wrote, with hashes. The one output that holds the clock (start and end
 * time), so it differs between runs while every other file stays byte-identical.
 */
function manifestJson(m: ManifestFacts): string {
  const doc = {
    tool: 'rfmkit',
    version: VERSION,
    command: 'segment',
    arguments: m.argv,
    as_of: formatDay(m.asOf),
    started_at: m.started.toISOString(),
    finished_at: new Date().toISOString(),
    inputs: [{ role: 'orders', path: displayName(m.input), rows: m.read.counts.rowsRead, ...m.read.source }],
    outputs: m.out.written.map((f) => ({ path: f.path, bytes: f.bytes, rows: f.rows ?? null, sha256: f.sha256 })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** customers.csv and one file per segment of every dimension, each row formatted once. */
function writeCustomerFiles(out: OutputDir, result: SegmentResult, sanitize: boolean): number {
  const text = textCell(sanitize);
  const header = csvLine(CUSTOMER_COLUMNS);
  const all = out.lines('customers.csv');
  all.write(header);
  const writers = DIMENSIONS.map((d) => {
    const byName = new Map<string, LineWriter>();
    for (const name of result.segments[d]) {
      const w = out.lines(`segments/${d}/${d === 'abc' ? name : fileSafeName(name)}.csv`);
      w.write(header);
      byName.set(name, w);
    }
    return byName;
  });
  for (const c of result.customers) {
    const line = customerLine(c, text);
    all.write(line);
    DIMENSIONS.forEach((d, i) => writers[i]!.get(segmentOf(c, d))!.write(line));
  }
  all.close();
  let files = 1;
  for (const byName of writers) {
    for (const w of byName.values()) {
      w.close();
      files++;
    }
  }
  return files;
}

const REJECT_COLUMNS = ['file', 'line', 'column', 'reason', 'message', 'raw'] as const;

/** rejects.csv, header only when every row was used, so a job can always look. */
function writeRejects(out: OutputDir, rejects: readonly Reject[], text: TextCell): void {
  const w = out.lines('rejects.csv');
  w.write(csvLine(REJECT_COLUMNS));
  for (const r of rejects) w.write([text(r.file), r.line, r.column ?? '', r.reason, text(r.message), text(r.raw)].join(','));
  w.close();
}

/** Ends the run (exit 1) when more rows were rejected than --max-rejects allows, naming the first of them. */
function checkRejects(read: OrdersRead, input: string, limit: RejectLimit): void {
  const { rejected, rowsRead } = read.counts;
  if (withinRejectLimit(limit, rejected, rowsRead)) return;
  const first = read.rejects[0]!;
  const share = ((rejected * 100) / Math.max(1, rowsRead)).toPrecision(2);
  throw new InputError(
    `${first.message} (${rejected} of ${rowsRead} rows rejected, ${share}%, over --max-rejects ${formatRejectLimit(limit)})`,
    { file: displayName(input), line: first.line, column: first.column },
  );
}

function checkRuleSet(bins: number): SegmentParams['rules'] {
  if (bins !== DEFAULT_RULES.bins) {
    throw new UsageError(
      `--bins ${bins}: the default RFM segments are defined on ${DEFAULT_RULES.bins} scores per dimension and no rule set for ${bins} was given; use --bins ${DEFAULT_RULES.bins}`,
    );
  }
  return DEFAULT_RULES;
}

async function run(input: string, opts: SegmentOptions): Promise<void> {
  const started = new Date();
  const rules = checkRuleSet(opts.bins);
  const tz = checkTimeZone(opts.tz);
  const givenAsOf = opts.asOf === undefined ? undefined : parseAsOf(opts.asOf, () => today(tz));
  const out = new OutputDir(opts.out, process.pid);
  try {
    const read = await readOrders(input, {
      overrides: {
        customer: opts.customerCol,
        order: opts.orderCol,
        date: opts.dateCol,
        amount: opts.amountCol,
        quantity: opts.quantityCol,
        price: opts.priceCol,
      },
      dates: { format: opts.dateFormat, timeZone: tz },
      asOf: givenAsOf,
      encoding: opts.encoding,
      delimiter: opts.delimiter,
      decimal: opts.decimal,
    });
    checkRejects(read, input, opts.maxRejects);
    if (read.counts.rowsUsed === 0) {
      throw new InputError(`no usable order rows (${read.counts.rowsRead} read); nothing to segment`, { file: displayName(input) });
    }
    const params: SegmentParams = {
      asOf: givenAsOf ?? read.latestDay! + 1,
      bins: opts.bins,
      rules,
      abc: opts.abc,
      windows: {
        newDays: opts.newDays,
        activeDays: opts.activeDays,
        churnDays: opts.churnDays,
        frequentPeriods: opts.frequentPeriods,
        frequentPeriodDays: opts.periodDays,
      },
    };
    const result = segmentOrders(read.table, params);
    const stats = segmentStats(result);
    const view: SummaryView = {
      input: displayName(input),
      asOfSource: givenAsOf === undefined ? 'day after the latest order' : 'given',
      params,
      counts: read.counts,
      orders: read.table.orderDay.length,
      scored: result.customers.length,
      unscored: result.unscored,
      cuts: result.cuts,
      stats,
    };
    const files = writeCustomerFiles(out, result, opts.sanitize);
    writeRejects(out, read.rejects, textCell(opts.sanitize));
    out.text('summary.json', summaryJson(view, read, stats));
    out.text('manifest.json', manifestJson({ argv: process.argv.slice(2), started, input, read, asOf: params.asOf, out }));
    out.commit();
    if (!opts.quiet) {
      process.stdout.write(renderSummary(view, chooseStyle(process.stdout, process.env)));
      process.stdout.write(`\nwrote ${opts.out}/: customers.csv, ${files - 1} segment files, summary.json\n`);
    }
  } finally {
    out.discard();
  }
}

export function segmentCommand(): Command {
  const days = (flag: string) => wholeNumber(flag, 1, 100_000);
  const cmd = new Command('segment')
    .description('score customers from an orders CSV: RFM scores and segments, ABC classes, lifecycle states')
    .argument('<orders>', 'orders CSV file, or - for standard input; header row required')
    .option('-o, --out <dir>', 'output folder, replaced as a whole when the run succeeds', 'rfmkit-out')
    .option('--as-of <date>', 'day the analysis is made on, YYYY-MM-DD or "today" (default: the day after the latest order)')
    .addOption(new Option('--bins <n>', 'scores per dimension, 2 to 10').default(DEFAULT_BINS).argParser(wholeNumber('--bins', 2, 10)))
    .addOption(
      new Option('--abc <a,b>', 'ABC cut-offs in percent of revenue: A below a, B below b').default(DEFAULT_ABC, '80,95').argParser(parseAbc),
    )
    .addOption(new Option('--new-days <n>', 'lifecycle: new = one order, first at most n days ago').default(DEFAULT_WINDOWS.newDays).argParser(days('--new-days')))
    .addOption(new Option('--active-days <n>', 'lifecycle: active = last order at most n days ago').default(DEFAULT_WINDOWS.activeDays).argParser(days('--active-days')))
    .addOption(new Option('--churn-days <n>', 'lifecycle: churned = last order more than n days ago').default(DEFAULT_WINDOWS.churnDays).argParser(days('--churn-days')))
    .addOption(new Option('--frequent-periods <n>', 'lifecycle: frequent = an order in each of the last n periods').default(DEFAULT_WINDOWS.frequentPeriods).argParser(wholeNumber('--frequent-periods', 1, 100)))
    .addOption(new Option('--period-days <n>', 'lifecycle: length of a frequent period in days').default(DEFAULT_WINDOWS.frequentPeriodDays).argParser(days('--period-days')))
    .option('-q, --quiet', 'print nothing on success')
    .option('--no-sanitize', "write text cells as they are, even those a spreadsheet would run as a formula (default: prefix them with ')");
  cmd.addOption(
    new Option('--max-rejects <n|n%>', 'rows that may be rejected (listed in rejects.csv) before the run fails: a count or a percentage of rows read')
      .default(parseRejectLimit('0.1%'), '0.1%')
      .argParser(parseRejectLimit),
  );
  for (const o of [...columnOptions(), ...dateOptions(), ...dialectOptions()]) cmd.addOption(o);
  cmd.addHelpText(
    'after',
    `
Examples:
  rfmkit segment orders.csv
  rfmkit segment orders.csv --as-of 2024-07-01 --out segments-2024-07
  rfmkit segment online-retail.csv --customer-col CustomerID --order-col InvoiceNo
  gzip -dc export.csv.gz | rfmkit segment - --date-format dd/MM/yyyy --tz Europe/Berlin

Writes into --out: customers.csv, segments/{rfm,abc,lifecycle}/<segment>.csv, rejects.csv, summary.json, manifest.json.
Exit codes: 0 done, 1 input or data problem, 2 usage or configuration problem.`,
  );
  return cmd.action(run);
}
