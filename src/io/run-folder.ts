import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DiffDimension, RunDiff, RunValues } from '../core/diff.js';
import { InputError } from '../errors.js';
import { csvLine } from './csv-out.js';
import { openCsv } from './csv-read.js';
import type { OutputDir } from './output-dir.js';
import { fileName } from './segment-files.js';

/** An earlier run's output as diff needs it: its people's rows and values, and what its summary says. */
export interface RunFolder {
  readonly dir: string;
  readonly header: readonly string[];
  readonly rows: ReadonlyMap<string, readonly string[]>;
  readonly values: RunValues;
  readonly parameters: unknown;
  /** Segment names per dimension, from summary.json. */
  readonly segments: Readonly<Record<string, readonly string[]>>;
}

interface SummaryDoc {
  tool?: string;
  parameters?: Record<string, unknown>;
  segments?: Record<string, { segment: string }[]>;
}

/** Reads `dir/customers.csv` and `dir/summary.json` of a run; `customersPath` reads customers.csv from elsewhere (a run being written). */
export async function readRunFolder(dir: string, columns: readonly string[], customersPath = join(dir, 'customers.csv'), summaryText?: string): Promise<RunFolder> {
  let summary: SummaryDoc;
  try {
    summary = JSON.parse(summaryText ?? readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryDoc;
  } catch {
    throw new InputError('not an rfmkit output folder (no readable summary.json)', { file: dir });
  }
  if (summary.tool !== 'rfmkit') throw new InputError('not an rfmkit output folder (summary.json is not rfmkit’s)', { file: dir });
  const csv = await openCsv(customersPath, join(dir, 'customers.csv'), {});
  const index = new Map(csv.header.map((h, i) => [h, i]));
  const rows = new Map<string, readonly string[]>();
  const values = new Map<string, Record<string, string>>();
  for await (const { fields } of csv.rows) {
    const id = fields[0]!;
    rows.set(id, fields);
    values.set(id, Object.fromEntries(columns.flatMap((c) => (index.has(c) ? [[c, fields[index.get(c)!] ?? '']] : []))));
  }
  const { columns: _c, format: _f, ...comparable } = summary.parameters ?? {};
  const segments = Object.fromEntries(Object.entries(summary.segments ?? {}).map(([d, list]) => [d, list.map((s) => s.segment)]));
  return { dir, header: csv.header, rows, values, parameters: comparable, segments };
}

const CHANGE_COLUMNS = ['customer_id', 'dimension', 'from', 'to'];

/**
 * changes.csv and, per dimension and segment, `segments/<dimension>/entered/<segment>.csv` (the new run's rows) and
 * `exited/<segment>.csv` (the old run's rows); a file for every segment either run has.
 */
export function writeDiff(out: OutputDir, diff: RunDiff, before: RunFolder, after: RunFolder, dimensions: readonly DiffDimension[]): void {
  const changes = out.lines('changes.csv');
  changes.write(csvLine(CHANGE_COLUMNS));
  for (const c of diff.changes) changes.write(csvLine([c.customerId, c.dimension, c.from, c.to]));
  changes.close();
  for (const d of dimensions) {
    const dd = diff.dimensions.get(d.name)!;
    const names = [...new Set([...(after.segments[d.name] ?? []), ...(before.segments[d.name] ?? []), ...dd.entered.keys(), ...dd.exited.keys()])];
    for (const [way, run, ids] of [
      ['entered', after, dd.entered],
      ['exited', before, dd.exited],
    ] as const) {
      for (const name of names) {
        const w = out.lines(`segments/${d.name}/${way}/${fileName(d.name, name)}.csv`);
        w.write(csvLine(run.header));
        for (const id of ids.get(name) ?? []) w.write(csvLine(run.rows.get(id)!));
        w.close();
      }
    }
  }
}

/** The diff as summary.json gives it: per dimension, the migration matrix and how many entered and left each segment. */
export function diffJson(diff: RunDiff): Record<string, unknown> {
  return Object.fromEntries(
    [...diff.dimensions].map(([name, d]) => [
      name,
      {
        matrix: d.matrix,
        entered: Object.fromEntries([...d.entered].map(([s, ids]) => [s, ids.length])),
        exited: Object.fromEntries([...d.exited].map(([s, ids]) => [s, ids.length])),
      },
    ]),
  );
}
