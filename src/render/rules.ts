import type { ChalkInstance } from 'chalk';
import type { RuleSet, ScoreRange } from '../core/params.js';
import type { RuleCheck } from '../core/rules-check.js';
import { compactTable } from './table.js';

const bounds = (r: ScoreRange | undefined) => (r === undefined ? 'any' : r[0] === r[1] ? String(r[0]) : `${r[0]}–${r[1]}`);
const pct = (n: number, total: number) => `${((n * 100) / total).toFixed(1)}%`;

/** The active rule set as a table, with what each rule wins of the bins³ score cells, and the checker's findings. */
export function renderRules(rules: RuleSet, check: RuleCheck, source: string, style: ChalkInstance): string {
  const t = compactTable(['#', 'segment', 'R', 'F', 'M', 'cells won', 'share', 'matches'], style, ['right', 'left', 'left', 'left', 'left', 'right', 'right', 'right']);
  rules.rules.forEach((r, i) => {
    const c = check.rules[i]!;
    t.push([i + 1, r.name, bounds(r.r), bounds(r.f), bounds(r.m), c.cells, pct(c.cells, check.totalCells), c.matches]);
  });
  t.push(['', `${rules.fallback} (fallback)`, '', '', '', check.fallback.cells, pct(check.fallback.cells, check.totalCells), '']);
  const lines = [
    `${style.bold('rule set')} ${rules.name} (${source}) · ${check.bins} scores per dimension · ${check.totalCells} cells · first match wins`,
    t.toString(),
    '',
    style.bold('unreachable rules'),
  ];
  if (check.unreachable.length === 0) lines.push('  none');
  for (const u of check.unreachable) {
    lines.push(
      u.reason === 'shadowed'
        ? `  ${style.red(u.name)} (#${u.index + 1}): every cell it matches is won first by ${u.by.map((b) => `${b.name} (#${b.index + 1})`).join(', ')}`
        : `  ${style.red(u.name)} (#${u.index + 1}): its ranges hold no cell of 1 … ${check.bins}`,
    );
  }
  lines.push('', style.bold('overlaps') + ' (the earlier rule wins the shared cells)');
  if (check.overlaps.length === 0) lines.push('  none');
  for (const o of check.overlaps) lines.push(`  ${o.first.name} (#${o.first.index + 1}) and ${o.second.name} (#${o.second.index + 1}): ${o.cells} cells`);
  lines.push('', `fallback ${JSON.stringify(check.fallback.name)}: ${check.fallback.cells} of ${check.totalCells} cells (${pct(check.fallback.cells, check.totalCells)})`);
  return `${lines.join('\n')}\n`;
}
