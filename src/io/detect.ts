import { UsageError } from '../errors.js';
import type { OrderColumns } from './columns.js';
import { detectDateFormat } from './date-format.js';
import { detectDecimalMark, type DecimalMark } from './number-format.js';
import type { NumberRole, RowRules } from './row.js';

/** Data rows looked at to tell a column's date format and decimal mark. */
export const SAMPLE_ROWS = 10_000;

/** What the user fixed on the command line; the rest is told from the data. */
export interface FormatChoices {
  readonly dateFormat?: string;
  readonly decimal?: DecimalMark;
}

function columnValues(sample: readonly (readonly string[])[], column: number): string[] {
  return sample.flatMap((row) => (row[column] === undefined ? [] : [row[column]!]));
}

/**
 * The row rules with the date format and decimal marks told from a sample of rows: the one date format among the known
 * forms that reads every sampled date, and per number column the decimal mark its values prove. Where the data cannot tell
 * (every day ≤ 12 in `dd/MM` vs `MM/dd`, `1,234` everywhere) this throws a UsageError asking for the flag, never guessing.
 */
export function detectFormats(
  base: RowRules,
  header: readonly string[],
  sample: readonly (readonly string[])[],
  choices: FormatChoices,
): RowRules {
  const { columns } = base;
  const name = (i: number) => JSON.stringify(header[i]);
  let dateFormat = choices.dateFormat;
  if (dateFormat === undefined) {
    const found = detectDateFormat(columnValues(sample, columns.date));
    if ('format' in found) dateFormat = found.format === 'yyyy-MM-dd' ? undefined : found.format;
    else if ('ambiguous' in found) {
      throw new UsageError(
        `the dates in column ${name(columns.date)} fit ${found.candidates.join(' and ')} alike (e.g. ${JSON.stringify(found.example)}); ` +
          `pass ${found.candidates.map((c) => `--date-format ${c}`).join(' or ')}`,
      );
    } else if (found.nearest !== undefined && found.nearest !== 'yyyy-MM-dd') dateFormat = found.nearest;
  }
  const marks: Partial<Record<NumberRole, DecimalMark>> = {};
  for (const role of ['amount', 'quantity', 'price'] as const satisfies readonly (keyof OrderColumns & NumberRole)[]) {
    const column = columns[role];
    if (column === undefined) continue;
    if (choices.decimal !== undefined) {
      marks[role] = choices.decimal;
      continue;
    }
    const found = detectDecimalMark(columnValues(sample, column));
    if ('mark' in found) marks[role] = found.mark;
    else if ('ambiguous' in found) {
      throw new UsageError(
        `the numbers in column ${name(column)} could have either decimal mark (e.g. ${JSON.stringify(found.example)}); pass --decimal . or --decimal ,`,
      );
    } else if ('contradiction' in found) marks[role] = found.dot.count >= found.comma.count ? '.' : ',';
    else marks[role] = '.'; // nothing in the sample tells, and such values read the same either way
  }
  return { ...base, dates: { ...base.dates, format: dateFormat }, marks };
}
