import { Option } from 'commander';
import { parseIsoDay } from '../core/dates.js';
import type { AbcCutoffs, RuleSet, SegmentParams } from '../core/params.js';
import { isPresetName, PRESET_NAMES, PRESETS, type Preset } from '../core/presets.js';
import { ruleSetFrom, type ConfigExtras } from '../io/config.js';
import type { Day } from '../core/types.js';
import { UsageError } from '../errors.js';
import { checkDelimiter, type Delimiter } from '../io/dialect.js';
import type { DecimalMark } from '../io/number-format.js';
import type { ReadOrdersOptions } from '../io/read-orders.js';
import { checkEncoding, ENCODINGS, type Encoding } from '../io/source.js';
import { isKnownTimeZone } from '../io/values.js';

/** A whole number between min and max, or a UsageError that names the flag. */
export function wholeNumber(flag: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
      throw new UsageError(`${flag} ${JSON.stringify(value)}: expected a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

/** `--abc 80,95` → { a: 80, b: 95 }: two percentages, 0 < a < b ≤ 100. */
export function parseAbc(value: string): AbcCutoffs {
  const parts = value.split(',').map((p) => Number(p.trim()));
  const [a, b] = parts;
  if (parts.length !== 2 || a === undefined || b === undefined || !(a > 0 && a < b && b <= 100)) {
    throw new UsageError(`--abc ${JSON.stringify(value)}: expected two percentages A,B with 0 < A < B ≤ 100, e.g. 80,95`);
  }
  return { a, b };
}

/** `--as-of`: `YYYY-MM-DD`, or `today` (in --tz, read from the clock the caller passes). */
export function parseAsOf(value: string, today: () => Day): Day {
  if (value === 'today') return today();
  const day = parseIsoDay(value);
  if (day === undefined) throw new UsageError(`--as-of ${JSON.stringify(value)}: expected a date YYYY-MM-DD or "today"`);
  return day;
}

export function checkTimeZone(zone: string): string {
  if (!isKnownTimeZone(zone)) throw new UsageError(`--tz ${JSON.stringify(zone)}: not a time zone name; use e.g. UTC or Europe/Berlin`);
  return zone;
}

/** Column flags, shared by every command that reads orders. */
export function columnOptions(): Option[] {
  const col = (role: string, example: string) =>
    new Option(`--${role}-col <name>`, `column holding the ${role} (default: found from the header, e.g. ${example})`);
  return [
    col('customer', 'customer_id, CustomerID, email'),
    col('order', 'order_id, InvoiceNo'),
    col('date', 'order_date, InvoiceDate, created_at'),
    col('amount', 'amount, total, revenue'),
    col('quantity', 'Quantity; used with --price-col when there is no amount'),
    col('price', 'UnitPrice, price'),
  ];
}

/** Date flags, shared by every command that reads dates. */
export function dateOptions(): Option[] {
  return [
    new Option(
      '--date-format <pattern>',
      'date format: dd/MM/yyyy, MM/dd/yyyy, dd.MM.yyyy, d-MMM-yy, M/d/yyyy H:mm, excel-serial or any date-fns pattern (default: told from the data)',
    ),
    new Option('--tz <zone>', 'IANA time zone that timestamps with an offset are converted to before taking the day').default('UTC'),
  ];
}

/** `--max-rejects`: a count of rows (`25`) or a share of the rows read (`0.1%`). */
export type RejectLimit = { readonly rows: number } | { readonly percent: number };

export function parseRejectLimit(value: string): RejectLimit {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(value);
  if (m && m[2] === '%' && Number(m[1]) <= 100) return { percent: Number(m[1]) };
  if (m && m[2] === '' && Number.isInteger(Number(m[1]))) return { rows: Number(m[1]) };
  throw new UsageError(`--max-rejects ${JSON.stringify(value)}: expected a number of rows (25) or a percentage of the rows read (0.1%)`);
}

/** Whether `rejected` of `read` rows stays within the limit. */
export function withinRejectLimit(limit: RejectLimit, rejected: number, read: number): boolean {
  return 'rows' in limit ? rejected <= limit.rows : rejected * 100 <= limit.percent * read;
}

export function formatRejectLimit(limit: RejectLimit): string {
  return 'rows' in limit ? `${limit.rows} rows` : `${limit.percent}%`;
}

/** Input dialect flags, shared by every command that reads CSV. */
export function dialectOptions(): Option[] {
  return [
    new Option('--encoding <name>', `input encoding: ${ENCODINGS.join(', ')} (auto: a BOM, else UTF-8 if valid, else windows-1252)`)
      .default('auto')
      .argParser(checkEncoding),
    new Option('--delimiter <char>', 'field delimiter: , ; | or tab (default: detected from the header)').argParser(checkDelimiter),
    new Option('--decimal <mark>', 'decimal mark of amounts, . or , (default: told per column from the data)').choices(['.', ',']),
  ];
}

/** The rule set, scoring and frequency of a run: the preset's, with the config's rules and scoring in their place. */
export function chooseSegmentation(opts: { preset: string; bins: number; configExtras?: ConfigExtras }): Pick<SegmentParams, 'rules' | 'scoring' | 'frequency'> {
  if (!isPresetName(opts.preset)) throw new UsageError(`--preset ${JSON.stringify(opts.preset)}: expected one of ${PRESET_NAMES.join(', ')}`);
  const preset: Preset = PRESETS[opts.preset];
  const extras = opts.configExtras ?? {};
  const rules: RuleSet = ruleSetFrom(preset.rules, extras, opts.bins);
  if (rules.bins !== opts.bins) {
    throw new UsageError(
      `--bins ${opts.bins}: the ${preset.name} RFM segments are defined on ${rules.bins} scores per dimension and no rule set for ${opts.bins} was given; use --bins ${rules.bins} or give "rules" in a config file`,
    );
  }
  const scoring = { ...preset.scoring, ...extras.scoring };
  for (const [dimension, spec] of Object.entries(scoring)) {
    if (spec.kind === 'breaks' && spec.breaks.length !== opts.bins - 1) {
      throw new UsageError(`scoring.${dimension}: ${spec.breaks.length} break points make ${spec.breaks.length + 1} scores, but --bins is ${opts.bins}`);
    }
  }
  return { rules, scoring, frequency: preset.frequency };
}

/** The values of the shared column, date and dialect flags. */
export interface OrderFlags {
  customerCol?: string;
  orderCol?: string;
  dateCol?: string;
  amountCol?: string;
  quantityCol?: string;
  priceCol?: string;
  dateFormat?: string;
  tz: string;
  encoding: Encoding;
  delimiter?: Delimiter;
  decimal?: DecimalMark;
}

/** How to read the orders file, from the shared flags: every command that reads orders reads them alike. */
export function orderReadOptions(opts: OrderFlags): ReadOrdersOptions {
  return {
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
  };
}
