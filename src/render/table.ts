import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';

/** A compact table (no lines between rows), coloured only when `style` is. */
export function compactTable(head: readonly string[], style: ChalkInstance, colAligns?: readonly ('left' | 'right')[]): Table.Table {
  return new Table({
    head: [...head],
    ...(colAligns ? { colAligns: [...colAligns] } : {}),
    style: { head: style.level > 0 ? ['cyan'] : [], border: style.level > 0 ? ['grey'] : [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
}
