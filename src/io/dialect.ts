import { UsageError } from '../errors.js';

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** `--delimiter`: one of `,` `;` `|`, or tab written as `\t`, `tab` or a real tab. */
export function checkDelimiter(value: string): Delimiter {
  const v = value === '\\t' || value.toLowerCase() === 'tab' ? '\t' : value;
  if (!(DELIMITERS as readonly string[]).includes(v)) {
    throw new UsageError(`--delimiter ${JSON.stringify(value)}: expected one of , ; | or tab`);
  }
  return v as Delimiter;
}

/** The header line of a text: everything before the first line break outside quotes. */
export function firstLine(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) return text.slice(0, i);
  }
  return text;
}

/**
 * The delimiter of a CSV, told from its header line: the candidate that occurs most often outside quotes, `,` on a
 * tie or when none occurs (a one-column file). `detectDelimiter('id;date;"a,b"')` → `';'`.
 */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const c of headerLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best: Delimiter = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}
