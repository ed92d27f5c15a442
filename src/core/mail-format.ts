import { checkEmail, mergeDuplicateEmails } from './email.js';

/** How a segment file is laid out: our columns as they are, or ready for a mail tool's import. */
export type MailFormat = 'generic' | 'mailchimp' | 'klaviyo';
export const MAIL_FORMATS: readonly MailFormat[] = ['generic', 'mailchimp', 'klaviyo'];

/**
 * The first three columns of each mail tool's file: the names its importer matches to the address and name fields
 * without asking (Mailchimp: "Email Address"; Klaviyo: "Email"). Every other column follows as a custom property.
 */
export const MAIL_TOOL_HEADS: Readonly<Record<Exclude<MailFormat, 'generic'>, readonly [string, string, string]>> = {
  mailchimp: ['Email Address', 'First Name', 'Last Name'],
  klaviyo: ['Email', 'First Name', 'Last Name'],
};

/** Why a person is not in a mail tool's file; each person left out is counted under the first reason that holds. */
export type LeftOutReason = 'no_email' | 'invalid_email' | 'unsubscribed' | 'duplicate_email';
export const LEFT_OUT_REASONS: readonly LeftOutReason[] = ['no_email', 'invalid_email', 'unsubscribed', 'duplicate_email'];

/** One person of a segment file: our values in column order, and what the profiles say about them. */
export interface MailRecord {
  readonly customerId: string;
  /** The profile's email cell as written; undefined or blank when there is none. */
  readonly email?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  /** From `isUnsubscribed`. */
  readonly unsubscribed: boolean;
  /** One text per column of the table, in its order. */
  readonly values: readonly string[];
}

export interface MailTable {
  /** Our column names, in order; they should not repeat the email and name fields, which records carry apart. */
  readonly columns: readonly string[];
  readonly records: readonly MailRecord[];
}

export interface MailOptions {
  /**
   * Normalised addresses unsubscribed anywhere, not only in this table (see `unsubscribedEmails`): someone who opted out
   * under one customer id must not be mailed under another that shares the address.
   */
  readonly suppressed?: ReadonlySet<string>;
}

/** A segment file as text cells: header, then rows. `leftOut` is all zeros for the generic format. */
export interface MailFile {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** rows.length + Σ leftOut = the number of records. */
  readonly leftOut: Readonly<Record<LeftOutReason, number>>;
}

/**
 * The normalised valid addresses of every unsubscribed record, to pass as `MailOptions.suppressed` for each segment file.
 * `unsubscribedEmails([{email: 'A@b.co', unsubscribed: true}])` → Set { 'a@b.co' }.
 */
export function unsubscribedEmails(records: Iterable<Pick<MailRecord, 'email' | 'unsubscribed'>>): Set<string> {
  const emails = new Set<string>();
  for (const r of records) {
    if (!r.unsubscribed) continue;
    const check = checkEmail(r.email);
    if (check.kind === 'ok') emails.add(check.email);
  }
  return emails;
}

function byCustomerId(a: MailRecord, b: MailRecord): number {
  return a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0;
}

function noneLeftOut(): Record<LeftOutReason, number> {
  return { no_email: 0, invalid_email: 0, unsubscribed: 0, duplicate_email: 0 };
}

/**
 * A segment file in a format, rows sorted by customer id (UTF-16 code unit order; equal ids keep their input order).
 * generic: our columns as they are, everybody in. mailchimp, klaviyo: MAIL_TOOL_HEADS (address normalised, names
 * trimmed, empty when unknown), then our columns; a person is left out and counted, first reason wins, when there is
 * no_email (missing or blank), an invalid_email (`isValidEmail`), when they are unsubscribed (their own flag, or their
 * address is unsubscribed by another record here or in `options.suppressed`), or for a duplicate_email (another person
 * with the same address and a smaller customer id is in the file: `mergeDuplicateEmails`).
 * Throws a RangeError when a record's values do not match the columns, or a column has a mail-tool head's name.
 */
export function formatForMail(table: MailTable, format: MailFormat, options: MailOptions = {}): MailFile {
  const { columns } = table;
  for (const r of table.records) {
    if (r.values.length !== columns.length) {
      throw new RangeError(`formatForMail: customer ${r.customerId} has ${r.values.length} values for ${columns.length} columns`);
    }
  }
  const records = [...table.records].sort(byCustomerId);
  if (format === 'generic') return { header: [...columns], rows: records.map((r) => [...r.values]), leftOut: noneLeftOut() };

  const heads = MAIL_TOOL_HEADS[format];
  const taken = new Set(heads.map((h) => h.toLowerCase()));
  const clash = columns.find((c) => taken.has(c.trim().toLowerCase()));
  if (clash !== undefined) throw new RangeError(`formatForMail: column "${clash}" would repeat one of ${format}'s own columns`);

  const leftOut = noneLeftOut();
  const valid: { customerId: string; email: string; record: MailRecord }[] = [];
  for (const record of records) {
    const check = checkEmail(record.email);
    if (check.kind === 'ok') valid.push({ customerId: record.customerId, email: check.email, record });
    else leftOut[check.kind]++;
  }
  const suppressed = new Set(options.suppressed);
  for (const v of valid) if (v.record.unsubscribed) suppressed.add(v.email);
  const mailable = valid.filter((v) => !suppressed.has(v.email));
  leftOut.unsubscribed = valid.length - mailable.length;
  const { kept, duplicates } = mergeDuplicateEmails(mailable);
  leftOut.duplicate_email = duplicates.length;
  return {
    header: [...heads, ...columns],
    rows: kept.map((k) => [k.email, (k.record.firstName ?? '').trim(), (k.record.lastName ?? '').trim(), ...k.record.values]),
    leftOut,
  };
}
