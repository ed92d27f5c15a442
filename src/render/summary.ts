import type { ChalkInstance } from 'chalk';
import { formatDay } from '../core/dates.js';
import { formatMoney } from '../core/money.js';
import type { DimensionStats } from '../core/summary.js';
import { MONEY_SCALE } from '../core/types.js';
import { totalLeftOut, type RunSummary } from '../io/reports.js';
import { compactTable } from './table.js';

const TITLES: Readonly<Record<string, string>> = {
  rfm: 'RFM segments',
  abc: 'ABC classes',
  lifecycle: 'Lifecycle states',
  engagement: 'Engagement',
  flags: 'Flags',
  custom: 'Custom segments',
};

const int = (n: number): string => n.toLocaleString('en-US');
const pct = (share: number): string => `${(share * 100).toFixed(1)}%`;
const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function cutLine(label: string, cuts: readonly number[], scale = 1): string {
  return `  ${label.padEnd(10)} ${cuts.length === 0 ? '(no customers)' : cuts.map((c) => num(c / scale)).join(' · ')}`;
}

function statsTable(stats: NonNullable<DimensionStats[string]>, style: ChalkInstance): string {
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
export function renderSummary(v: RunSummary, style: ChalkInstance): string {
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
      (v.unscored > 0 ? `, ${int(v.unscored)} without an order of positive net amount` : '') +
      ` · orders: ${int(v.orders)}` +
      (v.people === undefined ? '' : ` · people in all: ${int(v.people)}`),
  ];
  if (v.events) {
    const e = v.events.events;
    lines.push(
      `events: ${v.events.input}: ${int(v.events.counts.rowsRead)} rows, ${int(e.used)} used, ${int(e.afterAsOf)} after the as-of day, ` +
        `${int(e.unknownType)} of unknown type` +
        (e.unknownNames.length ? ` (${e.unknownNames.slice(0, 5).map((u) => `${JSON.stringify(u.name)} ×${int(u.count)}`).join(', ')})` : '') +
        (v.events.counts.rejected ? `, ${int(v.events.counts.rejected)} rejected` : ''),
    );
  }
  if (v.profiles) {
    lines.push(`profiles: ${v.profiles.input}: ${int(v.profiles.counts.rowsUsed)} people` + (v.profiles.counts.rejected ? `, ${int(v.profiles.counts.rejected)} rejected` : ''));
  }
  lines.push(
    `cut points (type-7 quantiles at k/${params.bins}):`,
    cutLine('recency', v.cuts.recency),
    cutLine('frequency', v.cuts.frequency),
    cutLine('monetary', v.cuts.monetary, MONEY_SCALE),
    `lifecycle windows (days): new ≤ ${w.newDays} · active ≤ ${w.activeDays} · churned > ${w.churnDays} · ` +
      `frequent = an order in each of the last ${w.frequentPeriods} periods of ${w.frequentPeriodDays}`,
  );
  if (params.events) {
    const e = params.events;
    lines.push(
      `event windows (days): engagement ${e.engagementDays} · cart ${e.cartDays} · visits ${e.visitDays} (returning: visits on ≥ ${e.returningVisitDays} days)`,
    );
  }
  lines.push(`ABC: A below ${params.abc.a}% of revenue, B below ${params.abc.b}% · rule set: ${params.rules.name}`);
  for (const [dimension, stats] of Object.entries(v.stats)) {
    lines.push('', style.bold(TITLES[dimension] ?? dimension), statsTable(stats, style));
  }
  const left = totalLeftOut(v.leftOut);
  if (left) {
    const reasons = Object.entries(left).filter(([, n]) => n > 0);
    lines.push('', `${v.format} files: left out ${reasons.length ? reasons.map(([r, n]) => `${int(n)} ${r}`).join(', ') : 'nobody'} (per file in summary.json)`);
  }
  return `${lines.join('\n')}\n`;
}
