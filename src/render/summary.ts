import type { ChalkInstance } from 'chalk';
import { formatDay } from '../core/dates.js';
import { formatMoney } from '../core/money.js';
import type { SegmentParams } from '../core/params.js';
import type { CutPoints } from '../core/rfm.js';
import type { Dimension } from '../core/segment.js';
import type { DimensionStats } from '../core/summary.js';
import { MONEY_SCALE, type RowCounts } from '../core/types.js';
import { compactTable } from './table.js';

export interface SummaryView {
  readonly input: string;
  readonly asOfSource: 'given' | 'day after the latest order';
  readonly params: SegmentParams;
  readonly counts: RowCounts;
  readonly orders: number;
  readonly scored: number;
  readonly unscored: number;
  readonly cuts: CutPoints;
  readonly stats: DimensionStats;
}

const TITLES: Readonly<Record<Dimension, string>> = {
  rfm: 'RFM segments',
  abc: 'ABC classes',
  lifecycle: 'Lifecycle states',
};

const int = (n: number): string => n.toLocaleString('en-US');
const pct = (share: number): string => `${(share * 100).toFixed(1)}%`;
const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function cutLine(label: string, cuts: readonly number[], scale = 1): string {
  return `  ${label.padEnd(10)} ${cuts.length === 0 ? '(no customers)' : cuts.map((c) => num(c / scale)).join(' · ')}`;
}

function statsTable(stats: DimensionStats[Dimension], style: ChalkInstance): string {
  const table = compactTable(
    ['segment', 'customers', '% cust.', 'revenue', '% rev.', 'R', 'F', 'M'],
    style,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  for (const s of stats) {
    table.push([
      s.segment,
      int(s.customers),
      pct(s.shareCustomers),
      formatMoney(s.revenue),
      pct(s.shareRevenue),
      s.meanR.toFixed(1),
      s.meanF.toFixed(1),
      s.meanM.toFixed(1),
    ]);
  }
  return table.toString();
}

/** The run's summary for the terminal: what was read, the parameters in force, and a table per dimension. */
export function renderSummary(v: SummaryView, style: ChalkInstance): string {
  const { counts, params } = v;
  const w = params.windows;
  const skipped = Object.entries(counts.skipped)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${int(n)} ${reason === 'empty_customer' ? 'without a customer id' : 'after the as-of day'}`);
  const lines = [
    `${style.bold('rfmkit segment')} ${v.input}`,
    `as of ${style.bold(formatDay(params.asOf))} (${v.asOfSource})`,
    `rows: ${int(counts.rowsRead)} read, ${int(counts.rowsUsed)} used` +
      (skipped.length ? `, skipped ${skipped.join(', ')}` : '') +
      (counts.rejected > 0 ? `, ${int(counts.rejected)} rejected (see rejects.csv)` : ''),
    `customers: ${int(v.scored)} scored` +
      (v.unscored > 0 ? `, ${int(v.unscored)} left out (no order with a positive net amount)` : '') +
      ` · orders: ${int(v.orders)}`,
    `cut points (type-7 quantiles at k/${params.bins}):`,
    cutLine('recency', v.cuts.recency),
    cutLine('frequency', v.cuts.frequency),
    cutLine('monetary', v.cuts.monetary, MONEY_SCALE),
    `lifecycle windows (days): new ≤ ${w.newDays} · active ≤ ${w.activeDays} · churned > ${w.churnDays} · ` +
      `frequent = an order in each of the last ${w.frequentPeriods} periods of ${w.frequentPeriodDays}`,
    `ABC: A below ${params.abc.a}% of revenue, B below ${params.abc.b}%, rule set: ${params.rules.name}`,
  ];
  for (const dimension of Object.keys(TITLES) as Dimension[]) {
    lines.push('', style.bold(TITLES[dimension]), statsTable(v.stats[dimension], style));
  }
  return `${lines.join('\n')}\n`;
}
