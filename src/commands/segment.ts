import { Command, Option } from 'commander';
import { tmpdir } from 'node:os';
import { DEFAULT_EVENT_WINDOWS, parseEventMap, type EventMap, type EventWindows } from '../core/events.js';
import { MAIL_FORMATS, type MailFormat } from '../core/mail-format.js';
import { compileCustomSegments, customSegmentsOf, personRow, buyerRow, type CustomSegment } from '../core/custom.js';
import { ExpressionError, type Row } from '../core/expr.js';
import { DEFAULT_ABC, DEFAULT_BINS, DEFAULT_WINDOWS, type SegmentParams } from '../core/params.js';
import { PRESET_NAMES } from '../core/presets.js';
import { combinePeople, type Person } from '../core/people.js';
import { DIMENSIONS, scoreCustomers, type SegmentResult } from '../core/segment.js';
import { buyerSegmentation, peopleSegmentation, rowsIn, type Segmentation } from '../core/segmentation.js';
import { segmentationStats, type DimensionStats } from '../core/summary.js';
import type { Day } from '../core/types.js';
import { InputError, UsageError } from '../errors.js';
import { CUSTOMER_COLUMNS, PERSON_COLUMNS, csvLine, customerCells, customerLine, personCells, textCell, scoredLineWriter, type TextCell } from '../io/csv-out.js';
import type { Reject } from '../io/csv-read.js';
import type { RunDiff } from '../core/diff.js';
import { applyConfig, type ConfigExtras } from '../io/config.js';
import { diffJson, writeDiff } from '../io/run-folder.js';
import { compareRuns } from './diff.js';
import { progressBar } from './progress.js';
import { styleFor } from './terminal.js';
import { dayInZone } from '../io/date-format.js';
import { OutputDir } from '../io/output-dir.js';
import { readEvents, readProfiles, type ProfilesRead } from '../io/read-people.js';
import { displayName, inputSize, readOrders } from '../io/read-orders.js';
import { manifestJson, summaryJson, type ManifestInput, type RunSummary } from '../io/reports.js';
import { segmentLines, writeSegmentFiles, type LeftOut, type RowFormat } from '../io/segment-files.js';
import {
  chooseSegmentation,
  checkTimeZone,
  orderReadOptions,
  type OrderFlags,
  columnOptions,
  dateOptions,
  dialectOptions,
  formatRejectLimit,
  parseAbc,
  parseAsOf,
  parseRejectLimit,
  wholeNumber,
  withinRejectLimit,
  type RejectLimit,
} from './options.js';

const PEOPLE_DIMENSIONS: readonly string[] = ['rfm', 'abc', 'lifecycle', 'engagement', 'flags'];

/** `--select DIMENSION:SEGMENT`. */
interface Selection {
  readonly dimension: string;
  readonly segment: string;
}

function parseSelection(value: string, previous: Selection[] = []): Selection[] {
  const m = /^([a-z_]+):(.+)$/.exec(value.trim());
  if (!m) throw new UsageError(`--select ${JSON.stringify(value)}: expected DIMENSION:SEGMENT, e.g. lifecycle:at_risk or rfm:champions`);
  return [...previous, { dimension: m[1]!, segment: m[2]! }];
}

interface SegmentOptions extends OrderFlags {
  out: string;
  asOf?: string;
  bins: number;
  abc: { a: number; b: number };
  newDays: number;
  activeDays: number;
  churnDays: number;
  frequentPeriods: number;
  periodDays: number;
  quiet?: boolean;
  sanitize: boolean;
  maxRejects: RejectLimit;
  events?: string;
  customers?: string;
  eventMap?: EventMap;
  eventCustomerCol?: string;
  eventCol?: string;
  eventDateCol?: string;
  eventDateFormat?: string;
  profileCustomerCol?: string;
  emailCol?: string;
  firstNameCol?: string;
  lastNameCol?: string;
  consentCol?: string;
  engagementDays: number;
  cartDays: number;
  visitDays: number;
  format: MailFormat;
  select?: Selection[];
  config?: string;
  preset: string;
  configExtras?: ConfigExtras;
  previous?: string;
  force?: boolean;
}

/**
 * With RFMKIT_TIMING set, each stage's end on standard error: seconds since start, resident and heap memory. For
 * benchmarks (`RFMKIT_TIMING=1 rfmkit segment …`); off by default, and never part of any output file.
 */
function stageClock(env: NodeJS.ProcessEnv): (stage: string) => void {
  if (!env.RFMKIT_TIMING) return () => undefined;
  const t0 = performance.now();
  return (stage) => {
    const m = process.memoryUsage();
    const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
    process.stderr.write(`timing: ${stage.padEnd(8)} ${((performance.now() - t0) / 1000).toFixed(2)} s  rss ${mb(m.rss)}  heap ${mb(m.heapUsed)}\n`);
  };
}

/** Today's calendar day in `zone`: the only place the segment command reads the clock. */
function today(zone: string): Day {
  return dayInZone(Date.now(), zone)!;
}

const REJECT_COLUMNS = ['file', 'line', 'column', 'reason', 'message', 'raw'] as const;

/** rejects.csv, header only when every row was used, so a job can always look. */
function writeRejects(out: OutputDir, rejects: readonly Reject[], text: TextCell): void {
  const w = out.lines('rejects.csv');
  w.write(csvLine(REJECT_COLUMNS));
  for (const r of rejects) w.write([text(r.file), r.line, r.column ?? '', r.reason, text(r.message), text(r.raw)].join(','));
  w.close();
}

/** Ends the run (exit 1) when more rows of an input were rejected than --max-rejects allows, naming the first of them. */
function checkRejects(rejects: readonly Reject[], rejected: number, rowsRead: number, file: string, limit: RejectLimit): void {
  if (withinRejectLimit(limit, rejected, rowsRead)) return;
  const first = rejects[0]!;
  const share = ((rejected * 100) / Math.max(1, rowsRead)).toPrecision(2);
  throw new InputError(
    `${first.message} (${rejected} of ${rowsRead} rows rejected, ${share}%, over --max-rejects ${formatRejectLimit(limit)})`,
    { file, line: first.line, column: first.column },
  );
}


function compileCustom(list: NonNullable<ConfigExtras['customSegments']>, columns: readonly string[]): CustomSegment[] {
  try {
    return compileCustomSegments(list, columns);
  } catch (err) {
    if (err instanceof ExpressionError) {
      const i = list.findIndex((c) => c.where === err.expression);
      throw new UsageError(`custom_segments[${i}] ${JSON.stringify(list[i]?.name)}: ${err.message}`);
    }
    throw err;
  }
}

/** A person's profile cells by column name, for expressions. */
function profileRecord(profiles: ProfilesRead | undefined, id: string): Record<string, string> {
  const values = profiles?.byId.get(id)?.values;
  if (!profiles || !values) return {};
  return Object.fromEntries(profiles.columns.map((c, i) => [c, values[i]!]));
}

/**
 * Adds the custom segments: a `custom` dimension (a person may be in several) and a `custom_segments` column with the
 * names joined by `|`. Each row's expressions are evaluated once.
 */
function withCustomSegments<T>(output: Output<T>, segments: readonly CustomSegment[], rowOf: (row: T) => Row): Output<T> {
  const names = new Map<T, string[]>();
  for (const row of output.seg.rows) names.set(row, customSegmentsOf(segments, rowOf(row)));
  const of = (row: T) => names.get(row) ?? [];
  return {
    seg: {
      ...output.seg,
      dimensions: [...output.seg.dimensions, { name: 'custom', segments: segments.map((s) => s.name), of }],
    },
    format: {
      ...output.format,
      columns: [...output.format.columns, 'custom_segments'],
      cells: (row) => [...output.format.cells(row), output.format.text(of(row).join('|'))],
      line: (row) => `${output.format.line(row)},${output.format.text(of(row).join('|'))}`,
      encode: undefined, // the buyers' encoder writes no custom_segments cell
    },
  };
}

/** A customer id that is an email address (the orders keyed by email) is the person's email; any other id is not. */
function emailFromId(id: string): string | undefined {
  return id.includes('@') ? id : undefined;
}

/** The people of one run cut into segments, and how they are written: buyers only, or everyone with events and profiles. */
interface Output<T> {
  readonly seg: Segmentation<T>;
  readonly format: RowFormat<T>;
}

/** Rows are the scored customers' indices (see buyerSegmentation). */
function buyersOutput(result: SegmentResult, text: TextCell): Output<number> {
  const at = (i: number) => result.customerAt(i);
  return {
    seg: buyerSegmentation(result),
    format: {
      columns: CUSTOMER_COLUMNS,
      cells: (i) => customerCells(at(i), text),
      line: (i) => customerLine(at(i), text),
      encode: scoredLineWriter(text, result.scored),
      mail: (i) => {
        const id = at(i).customerId;
        return { customerId: id, email: emailFromId(id), unsubscribed: false };
      },
      mailDrops: new Set(),
      text,
    },
  };
}

function peopleOutput(
  result: SegmentResult,
  people: readonly Person[],
  profiles: ProfilesRead | undefined,
  text: TextCell,
): Output<Person> {
  const own = new Set<string>([...CUSTOMER_COLUMNS, ...PERSON_COLUMNS]);
  // A profile column named like one of ours is written as profile_<name>, so no header repeats.
  const profileColumns = (profiles?.columns ?? []).map((c) => (own.has(c) ? `profile_${c}` : c));
  const blank = profileColumns.map(() => '');
  const cells = (p: Person) => [...personCells(p, text), ...(profiles?.byId.get(p.customerId)?.values.map(text) ?? blank)];
  const drops = new Set<string>();
  if (profiles) {
    for (const i of [profiles.emailColumn, profiles.firstNameColumn, profiles.lastNameColumn]) {
      if (i !== undefined) drops.add(profileColumns[i]!);
    }
  }
  return {
    seg: peopleSegmentation(result, people),
    format: {
      columns: [...CUSTOMER_COLUMNS, ...PERSON_COLUMNS, ...profileColumns],
      cells,
      line: (p) => cells(p).join(','),
      mail: (p) => {
        const profile = profiles?.byId.get(p.customerId);
        return {
          customerId: p.customerId,
          email: profile?.email ?? emailFromId(p.customerId),
          firstName: profile?.firstName,
          lastName: profile?.lastName,
          unsubscribed: p.unsubscribed,
        };
      },
      mailDrops: drops,
      text,
    },
  };
}

/** The rows that `--select` picks: in any of the selected segments, each once, in row order. */
function selectedRows<T>(seg: Segmentation<T>, picks: readonly Selection[]): T[] {
  const chosen = new Set<T>();
  for (const pick of picks) {
    const rows = rowsIn(seg, pick.dimension, pick.segment);
    if (rows === undefined) {
      const d = seg.dimensions.find((x) => x.name === pick.dimension);
      const known = d ? d.segments.join(', ') : seg.dimensions.map((x) => x.name).join(', ');
      throw new UsageError(`--select ${pick.dimension}:${pick.segment}: no such ${d ? 'segment; the segments are' : 'dimension; the dimensions are'} ${known}`);
    }
    for (const r of rows) chosen.add(r);
  }
  return seg.rows.filter((r) => chosen.has(r));
}

async function run(input: string, opts: SegmentOptions, cmd: Command): Promise<void> {
  const started = new Date();
  const stage = stageClock(process.env);
  const scoringChoice = chooseSegmentation(opts);
  const tz = checkTimeZone(opts.tz);
  const givenAsOf = opts.asOf === undefined ? undefined : parseAsOf(opts.asOf, () => today(tz));
  const picks = opts.select ?? [];
  const extended = opts.events !== undefined || opts.customers !== undefined;
  const dimensions = [...(extended ? PEOPLE_DIMENSIONS : DIMENSIONS), ...(opts.configExtras?.customSegments?.length ? ['custom'] : [])];
  for (const p of picks) {
    if (!dimensions.includes(p.dimension)) {
      throw new UsageError(
        `--select ${p.dimension}:${p.segment}: no such dimension; the dimensions are ${dimensions.join(', ')}` +
          (extended ? '' : ' (engagement and flags need --events or --customers)'),
      );
    }
  }
  // With --select the people go to standard output; the folder is written only when --out is given too.
  const writeFolder = picks.length === 0 || cmd.getOptionValueSource('out') === 'cli' || opts.previous !== undefined;
  const out = writeFolder ? new OutputDir(opts.out, process.pid) : undefined;
  const report = picks.length > 0 ? process.stderr : process.stdout;
  try {
    const dialect = { encoding: opts.encoding, delimiter: opts.delimiter };
    const progress = await progressBar(process.stderr, await inputSize(input), process.env);
    const read = await readOrders(input, {
      ...orderReadOptions(opts),
      asOf: givenAsOf,
      frequency: scoringChoice.frequency,
      onProgress: progress.onProgress,
      // A file big enough for several readers is hashed for the manifest after them, on the writer thread, while this
      // thread scores (hashing while they read took a core from them); not at all when no folder is written.
      deferHash: true,
      // Standard input, a pipe or gzip: copied for the fast reader beside the output, or in TMPDIR without a folder.
      spoolDir: out ? out.scratch : tmpdir(),
    }).finally(() => progress.done());
    stage('read');
    let inputHash: Promise<string> | undefined;
    if (out && read.source?.sha256 === undefined) {
      out.writeInBackground();
      inputHash = out.hashFile(input);
      inputHash.catch(() => undefined); // awaited for the manifest; an error shows there
    }
    checkRejects(read.rejects, read.counts.rejected, read.counts.rowsRead, displayName(input), opts.maxRejects);
    if (read.counts.rowsUsed === 0) {
      throw new InputError(`no usable order rows (${read.counts.rowsRead} read); nothing to segment`, { file: displayName(input) });
    }
    const events = opts.events === undefined
      ? undefined
      : await readEvents(opts.events, {
          ...dialect,
          map: opts.eventMap ?? new Map(),
          timeZone: tz,
          dateFormat: opts.eventDateFormat,
          overrides: { customer: opts.eventCustomerCol, event: opts.eventCol, date: opts.eventDateCol },
        });
    if (events) checkRejects(events.rejects, events.counts.rejected, events.counts.rowsRead, displayName(opts.events!), opts.maxRejects);
    const profiles = opts.customers === undefined
      ? undefined
      : await readProfiles(opts.customers, {
          ...dialect,
          overrides: { customer: opts.profileCustomerCol, email: opts.emailCol, firstName: opts.firstNameCol, lastName: opts.lastNameCol, consent: opts.consentCol },
        });
    if (profiles) checkRejects(profiles.rejects, profiles.counts.rejected, profiles.counts.rowsRead, displayName(opts.customers!), opts.maxRejects);

    const eventWindows: EventWindows = {
      ...DEFAULT_EVENT_WINDOWS,
      engagementDays: opts.engagementDays,
      cartDays: opts.cartDays,
      visitDays: opts.visitDays,
    };
    const params: SegmentParams = {
      asOf: givenAsOf ?? read.latestDay! + 1,
      bins: opts.bins,
      ...scoringChoice,
      abc: opts.abc,
      windows: {
        newDays: opts.newDays,
        activeDays: opts.activeDays,
        churnDays: opts.churnDays,
        frequentPeriods: opts.frequentPeriods,
        frequentPeriodDays: opts.periodDays,
      },
      ...(extended ? { events: eventWindows } : {}),
    };
    const result = scoreCustomers(read.customers, params);
    stage('score');
    const eventFacts = events?.book.facts(params.asOf, eventWindows);
    const text = textCell(opts.sanitize);
    const plain: Output<number> | Output<Person> = extended
      ? peopleOutput(
          result,
          combinePeople({
            result,
            orderCustomers: read.customers.customerIds,
            events: eventFacts?.people ?? [],
            profiles: profiles?.byId ?? new Map(),
            asOf: params.asOf,
            windows: eventWindows,
          }),
          profiles,
          text,
        )
      : buyersOutput(result, text);
    const custom = opts.configExtras?.customSegments ?? [];
    const output =
      custom.length === 0
        ? (plain as Output<unknown>)
        : withCustomSegments(plain as Output<unknown>, compileCustom(custom, plain.format.columns), (row) =>
            extended ? personRow(row as Person, params.asOf, profileRecord(profiles, (row as Person).customerId)) : buyerRow(result.customerAt(row as number), params.asOf),
          );
    // The input's hash is awaited for the manifest, not here: it may still be running on a writer thread, alongside
    // the statistics and the formatting of lines (waiting here left this thread idle for up to 40 ms).
    const orders: ManifestInput = { role: 'orders', path: displayName(input), rows: read.counts.rowsRead, ...read.source };
    const others: ManifestInput[] = [
      ...(events ? [{ role: 'events', path: displayName(opts.events!), rows: events.counts.rowsRead, ...events.source }] : []),
      ...(profiles ? [{ role: 'customers', path: displayName(opts.customers!), rows: profiles.counts.rowsRead, ...profiles.source }] : []),
    ];
    const inputs = inputHash?.then((sha256) => [{ ...orders, sha256 }, ...others]) ?? Promise.resolve([orders, ...others]);
    inputs.catch(() => undefined); // awaited for the manifest; an error shows there
    await emit(output, {
      out,
      picks,
      report,
      opts,
      finish: (stats, leftOut) => ({
        input: displayName(input),
        asOfSource: givenAsOf === undefined ? 'day after the latest order' : 'given',
        params,
        header: read.header,
        columns: read.columns,
        counts: read.counts,
        orders: read.customers.orders,
        scored: result.count,
        unscored: result.unscored,
        ...(extended ? { people: output.seg.rows.length } : {}),
        cuts: result.cuts,
        stats,
        ...(events && eventFacts ? { events: { input: displayName(opts.events!), counts: events.counts, events: eventFacts.counts } } : {}),
        ...(profiles ? { profiles: { input: displayName(opts.customers!), counts: profiles.counts, columns: profiles.columns } } : {}),
        format: opts.format,
        leftOut,
      }),
      rejects: [...read.rejects, ...(events?.rejects ?? []), ...(profiles?.rejects ?? [])],
      inputs,
      asOf: params.asOf,
      started,
      stage,
    });
  } finally {
    out?.discard();
  }
}

interface EmitContext {
  readonly out: OutputDir | undefined;
  readonly picks: readonly Selection[];
  readonly report: NodeJS.WriteStream;
  readonly opts: SegmentOptions;
  readonly finish: (stats: DimensionStats, leftOut: Readonly<Record<string, LeftOut>>) => RunSummary;
  readonly rejects: readonly Reject[];
  readonly inputs: Promise<readonly ManifestInput[]>;
  readonly asOf: Day;
  readonly started: Date;
  readonly stage: (name: string) => void;
}

/** From this many rows on, the files are written and hashed on a thread of their own (its start costs about 30 ms). */
export const BACKGROUND_WRITE_ROWS = 50_000;

/** Writes the folder (when there is one), the selection (when asked for) and the summary on the terminal. */
async function emit<T>(output: Output<T>, ctx: EmitContext): Promise<void> {
  const { out, opts } = ctx;
  const stats = segmentationStats(output.seg);
  ctx.stage('stats');
  let files = 0;
  let leftOut: Readonly<Record<string, LeftOut>> = {};
  let changes: { diff: RunDiff; order: Record<string, readonly string[]> } | undefined;
  if (out) {
    if (output.seg.rows.length >= BACKGROUND_WRITE_ROWS) out.writeInBackground();
    ({ files, leftOut } = writeSegmentFiles(out, output.seg, output.format, opts.format));
    writeRejects(out, ctx.rejects, output.format.text);
    ctx.stage('format');
    await out.settle();
    ctx.stage('written');
    if (opts.previous !== undefined) {
      const compared = await compareRuns(opts.previous, out.path, opts.force === true, out.file('customers.csv'), summaryJson(ctx.finish(stats, leftOut)));
      writeDiff(out, compared.diff, compared.before, compared.after, compared.dimensions);
      changes = compared;
      await out.settle();
    }
    out.text('summary.json', summaryJson({ ...ctx.finish(stats, leftOut), ...(changes ? { changes: diffJson(changes.diff) } : {}) }));
    out.text('manifest.json', manifestJson({ argv: process.argv.slice(2), started: ctx.started, finished: new Date(), asOf: ctx.asOf, inputs: await ctx.inputs, outputs: out.written }));
    out.commit();
    ctx.stage('committed');
  }
  let selectionLeftOut: LeftOut | undefined;
  if (ctx.picks.length > 0) {
    const picked = segmentLines(selectedRows(output.seg, ctx.picks), output.format, opts.format);
    selectionLeftOut = picked.leftOut;
    await writeOut(process.stdout, picked.lines);
  }
  if (opts.quiet) return;
  const summary = ctx.finish(stats, selectionLeftOut ? { ...leftOut, '<stdout>': selectionLeftOut } : leftOut);
  const [{ renderSummary }, style] = await Promise.all([import('../render/summary.js'), styleFor(ctx.report, process.env)]);
  ctx.report.write(renderSummary(summary, style));
  if (changes) {
    const { renderDiff } = await import('../render/diff.js');
    ctx.report.write(`\n${renderDiff(changes.diff, changes.order, style)}`);
  }
  if (out) ctx.report.write(`\nwrote ${opts.out}/: customers.csv, ${files} segment files, rejects.csv, summary.json, manifest.json\n`);
}

/** Lines to a stream in big pieces, waiting when it is full, so a slow pipe does not pile everything up in memory. */
async function writeOut(stream: NodeJS.WriteStream, lines: readonly string[]): Promise<void> {
  const piece = 10_000;
  for (let i = 0; i < lines.length; i += piece) {
    const ok = stream.write(`${lines.slice(i, i + piece).join('\n')}\n`);
    if (!ok) await new Promise((resolve) => stream.once('drain', resolve));
  }
}

export function segmentCommand(): Command {
  const days = (flag: string) => wholeNumber(flag, 1, 100_000);
  const cmd = new Command('segment')
    .description('score customers from an orders CSV: RFM scores and segments, ABC classes, lifecycle states')
    .argument('<orders>', 'orders CSV file, or - for standard input; header row required')
    .option('-o, --out <dir>', 'output folder, replaced as a whole when the run succeeds', 'rfmkit-out')
    .option('--as-of <date>', 'day the analysis is made on, YYYY-MM-DD or "today" (default: the day after the latest order)')
    .addOption(new Option('--bins <n>', 'scores per dimension, 2 to 10').default(DEFAULT_BINS).argParser(wholeNumber('--bins', 2, 10)))
    .addOption(
      new Option('--abc <a,b>', 'ABC cut-offs in percent of revenue: A below a, B below b').default(DEFAULT_ABC, '80,95').argParser(parseAbc),
    )
    .addOption(new Option('--new-days <n>', 'lifecycle: new = one order, first at most n days ago').default(DEFAULT_WINDOWS.newDays).argParser(days('--new-days')))
    .addOption(new Option('--active-days <n>', 'lifecycle: active = last order at most n days ago').default(DEFAULT_WINDOWS.activeDays).argParser(days('--active-days')))
    .addOption(new Option('--churn-days <n>', 'lifecycle: churned = last order more than n days ago').default(DEFAULT_WINDOWS.churnDays).argParser(days('--churn-days')))
    .addOption(new Option('--frequent-periods <n>', 'lifecycle: frequent = an order in each of the last n periods').default(DEFAULT_WINDOWS.frequentPeriods).argParser(wholeNumber('--frequent-periods', 1, 100)))
    .addOption(new Option('--period-days <n>', 'lifecycle: length of a frequent period in days').default(DEFAULT_WINDOWS.frequentPeriodDays).argParser(days('--period-days')))
    .option('-q, --quiet', 'print nothing on success')
    .option('--no-sanitize', "write text cells as they are, even those a spreadsheet would run as a formula (default: prefix them with ')");
  cmd.addOption(
    new Option('--max-rejects <n|n%>', 'rows that may be rejected (listed in rejects.csv) before the run fails: a count or a percentage of rows read')
      .default(parseRejectLimit('0.1%'), '0.1%')
      .argParser(parseRejectLimit),
  );
  for (const o of [...columnOptions(), ...dateOptions(), ...dialectOptions()]) cmd.addOption(o);
  cmd
    .option('--events <file>', 'events CSV: one row per event (visits, signups, carts, email sends, opens, clicks, subscriptions)')
    .option('--customers <file>', 'customer profiles CSV: one row per person; its columns pass through to every output row')
    .addOption(new Option('--event-map <raw=type,...>', 'more event names, e.g. "pv=visit,newsletter_open=email_open"').argParser(parseEventMap))
    .option('--event-customer-col <name>', 'events: the person column (default: found, e.g. customer_id, user_id, visitor_id, email)')
    .option('--event-col <name>', 'events: the event type column (default: found, e.g. event, event_type, type, action)')
    .option('--event-date-col <name>', 'events: the time column (default: found, e.g. timestamp, date, occurred_at)')
    .option('--event-date-format <format>', 'events: date format, as --date-format (default: told from the data)')
    .option('--profile-customer-col <name>', 'profiles: the customer id column (default: found as for orders)')
    .option('--email-col <name>', 'profiles: the email column (default: found, e.g. email, email_address)')
    .option('--first-name-col <name>', 'profiles: the first name column (default: found, e.g. first_name)')
    .option('--last-name-col <name>', 'profiles: the last name column (default: found, e.g. last_name)')
    .option('--consent-col <name>', 'profiles: the marketing consent column (default: found, e.g. accepts_marketing, subscribed, consent)')
    .addOption(new Option('--engagement-days <n>', 'engagement window: opens, clicks, sends and orders in the last n days').default(DEFAULT_EVENT_WINDOWS.engagementDays).argParser(days('--engagement-days')))
    .addOption(new Option('--cart-days <n>', 'cart_abandoner: an add_to_cart in the last n days with no order since').default(DEFAULT_EVENT_WINDOWS.cartDays).argParser(days('--cart-days')))
    .addOption(new Option('--visit-days <n>', 'returning_visitor and visits_7d: visits in the last n days').default(DEFAULT_EVENT_WINDOWS.visitDays).argParser(days('--visit-days')))
    .addOption(new Option('--format <name>', 'segment files for a mail tool: generic (our columns), mailchimp, klaviyo').choices(MAIL_FORMATS).default('generic'))
    .option('--previous <dir>', 'an earlier run’s output folder: also write changes.csv and segments/<dimension>/entered|exited/')
    .option('--force', 'with --previous: compare with a run made with other settings')
    .option('--config <file>', `settings file (JSON); every flag can be set there, flags win (default: ./rfmkit.config.json when present)`)
    .addOption(new Option('--preset <name>', `rule set and scoring: ${PRESET_NAMES.join(', ')} (rfm-r: the R package rfm 0.3.0)`).default('default'))
    .addOption(
      new Option('--select <dimension:segment>', 'write just these people as one CSV to standard output (repeatable); the folder only with --out').argParser(parseSelection),
    );
  cmd.addHelpText(
    'after',
    `
Examples:
  rfmkit segment orders.csv
  rfmkit segment orders.csv --as-of 2024-07-01 --out segments-2024-07
  rfmkit segment online-retail.csv --customer-col CustomerID --order-col InvoiceNo
  gzip -dc export.csv.gz | rfmkit segment - --date-format dd/MM/yyyy --tz Europe/Berlin
  rfmkit segment orders.csv --events events.csv --customers customers.csv --format klaviyo
  rfmkit segment orders.csv --customers customers.csv --select lifecycle:at_risk --format mailchimp > at-risk.csv

Writes into --out: customers.csv, segments/<dimension>/<segment>.csv, rejects.csv, summary.json, manifest.json.
Dimensions: rfm, abc, lifecycle; with --events or --customers also engagement and flags (cart_abandoner, unsubscribed).
Exit codes: 0 done, 1 input or data problem, 2 usage or configuration problem.`,
  );
  cmd.hook('preAction', (self) => {
    self.setOptionValue('configExtras', applyConfig(self, self.opts<SegmentOptions>().config, process.cwd()));
  });
  return cmd.action(run);
}
