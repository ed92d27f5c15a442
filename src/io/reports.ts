import { formatDay } from '../core/dates.js';
import type { EventCounts } from '../core/events.js';
import { moneyToNumber } from '../core/money.js';
import type { SegmentParams } from '../core/params.js';
import type { CutPoints } from '../core/rfm.js';
import type { DimensionStats } from '../core/summary.js';
import type { Day, RowCounts } from '../core/types.js';
import { VERSION } from '../version.js';
import type { OrderColumns } from './columns.js';
import type { SourceFacts } from './csv-read.js';
import type { WrittenFile } from './output-dir.js';
import type { InputCounts } from './read-people.js';
import type { LeftOut } from './segment-files.js';

/** Everything summary.json says: a run's parameters and counts, and the statistics of every segment. */
export interface RunSummary {
  readonly input: string;
  readonly asOfSource: 'given' | 'day after the latest order';
  readonly params: SegmentParams;
  readonly header: readonly string[];
  readonly columns: OrderColumns;
  readonly counts: RowCounts;
  readonly orders: number;
  readonly scored: number;
  readonly unscored: number;
  readonly people?: number;
  readonly cuts: CutPoints;
  readonly stats: DimensionStats;
  readonly events?: { readonly input: string; readonly counts: InputCounts; readonly events: EventCounts };
  readonly profiles?: { readonly input: string; readonly counts: InputCounts; readonly columns: readonly string[] };
  readonly format: string;
  /** Per segment file of a mail format, who was left out, by reason. */
  readonly leftOut: Readonly<Record<string, LeftOut>>;
  /** What changed since --previous, as diffJson gives it. */
  readonly changes?: Record<string, unknown>;
}

const inputCounts = (c: InputCounts) => ({
  rows_read: c.rowsRead,
  rows_used: c.rowsUsed,
  rows_skipped: { empty_customer: c.skippedEmptyCustomer },
  rows_rejected: c.rejected,
});

/** summary.json: no clock in it, so the same input and options give the same bytes. */
export function summaryJson(v: RunSummary): string {
  const p = v.params;
  const col = (i: number | undefined) => (i === undefined ? null : v.header[i]);
  const segments = Object.fromEntries(
    Object.entries(v.stats).map(([d, list]) => [
      d,
      list.map((s) => ({
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
      rules: { fallback: p.rules.fallback, rules: p.rules.rules },
      scoring: p.scoring ?? null,
      frequency_counts: p.frequency ?? 'orders',
      abc: { a_below_percent: p.abc.a, b_below_percent: p.abc.b },
      lifecycle_windows_days: {
        new: p.windows.newDays,
        active: p.windows.activeDays,
        churn: p.windows.churnDays,
        frequent_periods: p.windows.frequentPeriods,
        frequent_period_days: p.windows.frequentPeriodDays,
      },
      ...(p.events
        ? {
            event_windows_days: {
              engagement: p.events.engagementDays,
              cart: p.events.cartDays,
              visits: p.events.visitDays,
              returning_visit_days: p.events.returningVisitDays,
            },
          }
        : {}),
      columns: {
        customer: col(v.columns.customer),
        order: col(v.columns.order),
        date: col(v.columns.date),
        amount: col(v.columns.amount),
        quantity: col(v.columns.quantity),
        price: col(v.columns.price),
      },
      format: v.format,
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
      ...(v.people === undefined ? {} : { people: v.people }),
    },
    ...(v.events
      ? {
          events: {
            input: v.events.input,
            ...inputCounts(v.events.counts),
            events_used: v.events.events.used,
            events_after_as_of: v.events.events.afterAsOf,
            events_unknown_type: v.events.events.unknownType,
            unknown_types: v.events.events.unknownNames,
            by_type: v.events.events.byType,
          },
        }
      : {}),
    ...(v.profiles ? { profiles: { input: v.profiles.input, ...inputCounts(v.profiles.counts), columns: v.profiles.columns } } : {}),
    segments,
    ...(Object.keys(v.leftOut).length > 0 ? { left_out: { by_file: v.leftOut, total: totalLeftOut(v.leftOut) } } : {}),
    ...(v.changes ? { changes: v.changes } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Left-out counts summed over every file (a person left out of two files counts twice). */
export function totalLeftOut(byFile: Readonly<Record<string, LeftOut>>): LeftOut | undefined {
  const files = Object.values(byFile);
  if (files.length === 0) return undefined;
  const total = { ...files[0]! };
  for (const f of files.slice(1)) for (const k of Object.keys(total) as (keyof LeftOut)[]) total[k] += f[k];
  return total;
}

export interface ManifestInput extends Partial<SourceFacts> {
  readonly role: string;
  readonly path: string;
  readonly rows: number;
}

/**
 * manifest.json: what ran, on what, and what it wrote, with hashes. The one output that holds the clock (start and end
 * time), so it differs between runs while every other file stays byte-identical.
 */
export function manifestJson(m: {
  argv: readonly string[];
  started: Date;
  finished: Date;
  asOf: Day;
  inputs: readonly ManifestInput[];
  outputs: readonly WrittenFile[];
}): string {
  const doc = {
    tool: 'rfmkit',
    version: VERSION,
    command: 'segment',
    arguments: m.argv,
    as_of: formatDay(m.asOf),
    started_at: m.started.toISOString(),
    finished_at: m.finished.toISOString(),
    inputs: m.inputs,
    outputs: m.outputs.map((f) => ({ path: f.path, bytes: f.bytes, rows: f.rows ?? null, sha256: f.sha256 })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
