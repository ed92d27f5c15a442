import { join } from 'node:path';
import { Command } from 'commander';
import { DIFF_DIMENSIONS, diffRuns, settingDifferences, type DiffDimension, type RunDiff } from '../core/diff.js';
import { UsageError } from '../errors.js';
import { OutputDir } from '../io/output-dir.js';
import { diffJson, readRunFolder, writeDiff, type RunFolder } from '../io/run-folder.js';
import { styleFor } from './terminal.js';
import { VERSION } from '../version.js';

/** Reads both runs, refuses runs made with other settings unless `force`, and diffs the dimensions both have. */
export async function compareRuns(
  oldDir: string,
  newDir: string,
  force: boolean,
  newCustomers?: string,
  newSummary?: string,
): Promise<{ diff: RunDiff; before: RunFolder; after: RunFolder; dimensions: DiffDimension[]; order: Record<string, readonly string[]> }> {
  const columns = DIFF_DIMENSIONS.map((d) => d.column);
  const before = await readRunFolder(oldDir, columns);
  const after = await readRunFolder(newDir, columns, newCustomers ?? join(newDir, 'customers.csv'), newSummary);
  const differences = settingDifferences(before.parameters, after.parameters);
  if (differences.length > 0 && !force) {
    throw new UsageError(`the runs were made with different settings (${differences.join('; ')}); pass --force to compare them anyway`);
  }
  const dimensions = DIFF_DIMENSIONS.filter((d) => before.header.includes(d.column) && after.header.includes(d.column));
  const order = Object.fromEntries(dimensions.map((d) => [d.name, [...(after.segments[d.name] ?? []), ...(before.segments[d.name] ?? [])]]));
  return { diff: diffRuns(before.values, after.values, dimensions), before, after, dimensions, order };
}

async function run(oldDir: string, newDir: string, opts: { out: string; force?: boolean; quiet?: boolean }): Promise<void> {
  const out = new OutputDir(opts.out, process.pid);
  try {
    const { diff, before, after, dimensions, order } = await compareRuns(oldDir, newDir, opts.force === true);
    writeDiff(out, diff, before, after, dimensions);
    const doc = { tool: 'rfmkit', version: VERSION, command: 'diff', old: oldDir, new: newDir, changes: diffJson(diff) };
    out.text('summary.json', `${JSON.stringify(doc, null, 2)}\n`);
    out.commit();
    if (!opts.quiet) {
      const { renderDiff } = await import('../render/diff.js');
      process.stdout.write(renderDiff(diff, order, await styleFor(process.stdout, process.env)));
    }
  } finally {
    out.discard();
  }
}

export function diffCommand(): Command {
  return new Command('diff')
    .description('what changed between two runs: changes.csv, entered/exited files per segment, migration matrices')
    .argument('<old>', 'an earlier run’s output folder')
    .argument('<new>', 'a later run’s output folder')
    .option('-o, --out <dir>', 'output folder, replaced as a whole when the run succeeds', 'rfmkit-diff')
    .option('--force', 'compare runs made with different settings (bins, rules, windows)')
    .option('-q, --quiet', 'print nothing on success')
    .addHelpText(
      'after',
      `
Examples:
  rfmkit diff out-2024-06-30 out-2024-07-01
  rfmkit diff yesterday today --out changes-today

Writes into --out: changes.csv (customer_id, dimension, from, to), segments/<dimension>/entered/<segment>.csv,
segments/<dimension>/exited/<segment>.csv and summary.json (migration matrices).
Exit codes: 0 done, 1 a folder that is not an rfmkit output, 2 runs with different settings (without --force).`,
    )
    .action(run);
}
