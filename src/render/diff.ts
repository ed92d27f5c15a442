import type { ChalkInstance } from 'chalk';
import type { RunDiff } from '../core/diff.js';
import { compactTable } from './table.js';

const label = (s: string, empty: string) => (s === '' ? empty : s);

/** A migration matrix per dimension: rows are where people were, columns (numbered, with a legend) where they are. */
export function renderDiff(diff: RunDiff, order: Readonly<Record<string, readonly string[]>>, style: ChalkInstance): string {
  const lines: string[] = [`${style.bold('changes')}: ${diff.changes.length.toLocaleString('en-US')} (people × dimensions that moved)`];
  for (const [name, d] of diff.dimensions) {
    // Segments in the run's own order, then any others, then '' (not in that run).
    const rank = (x: string) => (x === '' ? Infinity : (order[name] ?? []).indexOf(x) < 0 ? 1e6 : (order[name] ?? []).indexOf(x));
    const sorted = (xs: string[]) => [...new Set(xs)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
    const froms = sorted(d.matrix.map((c) => c.from));
    const tos = sorted(d.matrix.map((c) => c.to));
    const count = new Map(d.matrix.map((c) => [`${c.from}\u0000${c.to}`, c.customers]));
    const t = compactTable(['from \\ to', ...tos.map((_, i) => String(i + 1))], style, ['left', ...tos.map(() => 'right' as const)]);
    for (const from of froms) {
      t.push([label(from, '(new)'), ...tos.map((to) => {
        const n = count.get(`${from}\u0000${to}`) ?? 0;
        return n === 0 ? '·' : from === to ? style.dim(String(n)) : String(n);
      })]);
    }
    lines.push('', style.bold(`${name} migration`), `  to: ${tos.map((to, i) => `${i + 1} ${label(to, '(gone)')}`).join(' · ')}`, t.toString());
  }
  return `${lines.join('\n')}\n`;
}
