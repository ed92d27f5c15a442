import { EventBook, type EventMap } from '../core/events.js';
import { parseConsent } from '../core/engagement.js';
import { UsageError } from '../errors.js';
import { findColumn, ORDER_COLUMN_NAMES, requireColumn, type ColumnSpec } from './columns.js';
import { openCsv, readWithSample, type CsvReadOptions, type Reject, type SourceFacts } from './csv-read.js';
import { detectDateFormat } from './date-format.js';
import { SAMPLE_ROWS } from './detect.js';
import { displayName } from './read-orders.js';
import { parseDay, type DateSpec } from './values.js';

export const EVENT_COLUMNS = {
  customer: { what: 'event customer', flag: '--event-customer-col', names: ['customerid', 'userid', 'visitorid', 'email', 'customer', 'user', 'personid', 'contactid', 'profileid', 'distinctid', 'emailaddress'] },
  event: { what: 'event type', flag: '--event-col', names: ['event', 'eventtype', 'eventname', 'type', 'action', 'activity', 'name'] },
  date: { what: 'event time', flag: '--event-date-col', names: ['timestamp', 'date', 'time', 'occurredat', 'createdat', 'eventtime', 'eventdate', 'datetime', 'sentat'] },
} as const satisfies Record<string, ColumnSpec>;

export const PROFILE_COLUMNS = {
  customer: { what: 'profile customer', flag: '--profile-customer-col', names: ORDER_COLUMN_NAMES.customer },
  email: { what: 'email', flag: '--email-col', names: ['email', 'emailaddress', 'customeremail', 'mail', 'e-mail'] },
  firstName: { what: 'first name', flag: '--first-name-col', names: ['firstname', 'givenname', 'first', 'forename'] },
  lastName: { what: 'last name', flag: '--last-name-col', names: ['lastname', 'surname', 'familyname', 'last'] },
  consent: {
    what: 'consent',
    flag: '--consent-col',
    names: ['acceptsmarketing', 'acceptsemailmarketing', 'emailmarketingconsent', 'marketingconsent', 'subscribed', 'consent', 'optin', 'emailoptin', 'newsletter'],
  },
} as const satisfies Record<string, ColumnSpec>;

/** Counts of one input's rows: read = used + skipped + rejected. */
export interface InputCounts {
  readonly rowsRead: number;
  readonly rowsUsed: number;
  readonly skippedEmptyCustomer: number;
  readonly rejected: number;
}

export interface EventsRead {
  readonly book: EventBook;
  readonly counts: InputCounts;
  readonly rejects: readonly Reject[];
  readonly dateFormat: string | undefined;
  readonly source: SourceFacts;
}

export interface EventReadOptions extends CsvReadOptions {
  readonly map: EventMap;
  readonly timeZone: string;
  readonly dateFormat?: string;
  readonly overrides: Partial<Record<keyof typeof EVENT_COLUMNS, string>>;
}

function fieldCountReject(file: string, line: number, raw: string, got: number, want: number): Reject {
  return { file, line, reason: 'field_count', message: `row has ${got} fields, the header has ${want}; check the delimiter and quoting of this row`, raw };
}

/** The date format of a column, told from a sample; a UsageError naming `flag` when day-first and month-first both fit. */
function sampleDateFormat(values: readonly string[], column: string, flag: string): string | undefined {
  const found = detectDateFormat(values);
  if ('format' in found) return found.format === 'yyyy-MM-dd' ? undefined : found.format;
  if ('ambiguous' in found) {
    throw new UsageError(
      `the dates in column ${JSON.stringify(column)} fit ${found.candidates.join(' and ')} alike (e.g. ${JSON.stringify(found.example)}); pass ${flag} ${found.candidates[0]}`,
    );
  }
  return found.nearest !== undefined && found.nearest !== 'yyyy-MM-dd' ? found.nearest : undefined;
}

/** Reads an events CSV (one row per event) into an EventBook; unusable rows are rejected, guest rows skipped. */
export async function readEvents(path: string, options: EventReadOptions): Promise<EventsRead> {
  const file = displayName(path);
  const csv = await openCsv(path, file, options);
  const { header, rejects } = csv;
  const customer = requireColumn(header, EVENT_COLUMNS.customer, options.overrides.customer);
  const event = requireColumn(header, EVENT_COLUMNS.event, options.overrides.event);
  const date = requireColumn(header, EVENT_COLUMNS.date, options.overrides.date);
  const book = new EventBook(options.map);
  let rowsRead = 0;
  let rowsUsed = 0;
  let empty = 0;
  const spec = await readWithSample(
    csv.rows,
    SAMPLE_ROWS,
    (sample): DateSpec => ({
      timeZone: options.timeZone,
      format: options.dateFormat ?? sampleDateFormat(sample.map((r) => r.fields[date] ?? ''), header[date]!, '--event-date-format'),
    }),
    ({ fields, line, raw }, dates) => {
      rowsRead++;
      if (fields.length !== header.length) return rejects.add(fieldCountReject(file, line, raw, fields.length, header.length));
      const id = fields[customer]!.trim();
      if (id === '') return void empty++;
      const day = parseDay(fields[date]!, dates);
      if (day === undefined) {
        return rejects.add({
          file,
          line,
          column: date + 1,
          reason: 'bad_date',
          message: `bad date ${JSON.stringify(fields[date])} in column ${JSON.stringify(header[date])}: expected ${dates.format ?? 'an ISO date or timestamp'}; pass --event-date-format`,
          raw,
        });
      }
      rowsUsed++;
      book.add({ customer: id, name: fields[event]!, day });
    },
  );
  const counts = { rowsRead: rowsRead + csv.badRecords(), rowsUsed, skippedEmptyCustomer: empty, rejected: rejects.count };
  return { book, counts, rejects: rejects.sorted(), dateFormat: spec.format, source: csv.source() };
}

/** One person's profile: their cells, and what rfmkit reads from them. */
export interface Profile {
  readonly values: readonly string[];
  readonly email?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly consent?: boolean;
}

export interface ProfilesRead {
  /** The columns passed through to every output row: the header without the customer id column. */
  readonly columns: readonly string[];
  /** Where in `columns` the email and the names are, when the profiles have them. */
  readonly emailColumn?: number;
  readonly firstNameColumn?: number;
  readonly lastNameColumn?: number;
  readonly byId: ReadonlyMap<string, Profile>;
  readonly counts: InputCounts;
  readonly rejects: readonly Reject[];
  readonly source: SourceFacts;
}

/** Reads a customers (profiles) CSV: one row per person; a second row for the same id is rejected. */
export async function readProfiles(path: string, options: CsvReadOptions & { overrides: Partial<Record<keyof typeof PROFILE_COLUMNS, string>> }): Promise<ProfilesRead> {
  const file = displayName(path);
  const csv = await openCsv(path, file, options);
  const { header, rejects } = csv;
  const id = requireColumn(header, PROFILE_COLUMNS.customer, options.overrides.customer);
  const find = (key: Exclude<keyof typeof PROFILE_COLUMNS, 'customer'>) => findColumn(header, PROFILE_COLUMNS[key], options.overrides[key]);
  const email = find('email');
  const firstName = find('firstName');
  const lastName = find('lastName');
  const consent = find('consent');
  const passed = header.flatMap((_, i) => (i === id ? [] : [i]));
  const byId = new Map<string, Profile>();
  let rowsRead = 0;
  let empty = 0;
  for await (const { fields, line, raw } of csv.rows) {
    rowsRead++;
    if (fields.length !== header.length) {
      rejects.add(fieldCountReject(file, line, raw, fields.length, header.length));
      continue;
    }
    const key = fields[id]!.trim();
    if (key === '') {
      empty++;
      continue;
    }
    if (byId.has(key)) {
      rejects.add({ file, line, column: id + 1, reason: 'duplicate_customer', message: `a second profile for customer ${JSON.stringify(key)}; the first is kept`, raw });
      continue;
    }
    const cell = (i: number | undefined) => (i === undefined ? undefined : fields[i]);
    const consentText = cell(consent);
    byId.set(key, {
      values: passed.map((i) => fields[i]!),
      email: cell(email),
      firstName: cell(firstName),
      lastName: cell(lastName),
      consent: consentText === undefined ? undefined : parseConsent(consentText),
    });
  }
  const counts = { rowsRead: rowsRead + csv.badRecords(), rowsUsed: byId.size, skippedEmptyCustomer: empty, rejected: rejects.count };
  const within = (i: number | undefined) => (i === undefined ? undefined : passed.indexOf(i) >= 0 ? passed.indexOf(i) : undefined);
  return {
    columns: passed.map((i) => header[i]!),
    emailColumn: within(email),
    firstNameColumn: within(firstName),
    lastNameColumn: within(lastName),
    byId,
    counts,
    rejects: rejects.sorted(),
    source: csv.source(),
  };
}
