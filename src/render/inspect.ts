import type { ChalkInstance } from 'chalk';
import { formatDay } from '../core/dates.js';
import { formatMoney } from '../core/money.js';
import type { OrderColumns } from '../io/columns.js';
import type { OrdersRead } from '../io/read-orders.js';
import { compactTable } from './table.js';

export interface InspectView {
  readonly file: string;
  readonly read: OrdersRead;
  /** Problems to list at most. */
  readonly maxProblems: number;
}

const ROLES: readonly (keyof OrderColumns)[] = ['customer', 'order', 'date', 'amount', 'quantity', 'price'];
const int = (n: number): string => n.toLocaleString('en-US');

function describeBytes(read: OrdersRead): string {
  const s = read.source;
  if (!s) return '';
  const delimiter = s.delimiter === '\t' ? 'tab' : JSON.stringify(s.delimiter);
  return `${int(s.bytes)} bytes · ${s.encoding}${s.gzip ? ' · gzip' : ''} · delimiter ${delimiter}`;
}

/** What `rfmkit inspect` shows: how the file will be read, a few rows as read, and the problems found. */
export function renderInspect(v: InspectView, style: ChalkInstance): string {
  const { read } = v;
  const { counts, rules } = read;
  const roleOf = new Map<number, string>();
  for (const role of ROLES) {
    const i = read.columns[role];
    if (i !== undefined) roleOf.set(i, role);
  }
  const marks = Object.entries(rules.marks ?? {}).map(([role, mark]) => `${role} ${JSON.stringify(mark)}`);
  const skipped = Object.entries(counts.skipped).map(([reason, n]) => `${int(n)} ${reason}`);
  const lines = [
    `${style.bold('file')}      ${v.file}  ${describeBytes(read)}`,
    `${style.bold('columns')}   ${read.header.map((h, i) => `${JSON.stringify(h)}${roleOf.has(i) ? ` → ${style.cyan(roleOf.get(i)!)}` : ''}`).join(', ')}`,
    `${style.bold('amount')}    ${read.columns.amount !== undefined ? 'the amount column' : 'quantity × unit price'}; decimal mark: ${marks.join(', ')}`,
    `${style.bold('dates')}     ${rules.dates.format ?? 'ISO (yyyy-MM-dd, with or without a time) or yyyyMMdd'}; offsets moved to ${rules.dates.timeZone}`,
    `${style.bold('rows')}      ${int(counts.rowsRead)} read · ${int(counts.rowsUsed)} used · skipped ${skipped.join(', ')} · ${int(counts.rejected)} rejected`,
  ];
  if (read.preview.length > 0) {
    const t = compactTable(['line', 'customer', 'order', 'day', 'amount'], style, ['right', 'left', 'left', 'left', 'right']);
    for (const { line, order } of read.preview) t.push([line, order.customer, order.order, formatDay(order.day), formatMoney(order.amount)]);
    lines.push('', style.bold('first rows as read'), t.toString());
  }
  lines.push('', style.bold('problems'));
  if (read.rejects.length === 0) lines.push('  none');
  for (const r of read.rejects.slice(0, v.maxProblems)) lines.push(`  line ${r.line}${r.column ? `:${r.column}` : ''}: ${r.message}`);
  if (counts.rejected > v.maxProblems) lines.push(`  … and ${int(counts.rejected - v.maxProblems)} more`);
  return `${lines.join('\n')}\n`;
}
