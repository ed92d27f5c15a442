import { describe, expect, it } from 'vitest';
import {
  LEFT_OUT_REASONS,
  MAIL_FORMATS,
  MAIL_TOOL_HEADS,
  formatForMail,
  unsubscribedEmails,
  type MailRecord,
  type MailTable,
} from '../../src/core/mail-format.js';

const COLUMNS = Object.freeze(['customer_id', 'rfm_segment']);

/** A record whose values are its id and a segment; name and consent fields only when given. */
function rec(customerId: string, email: string | undefined, more: Partial<MailRecord> = {}): MailRecord {
  return Object.freeze({ customerId, email, unsubscribed: false, values: Object.freeze([customerId, 'loyal']), ...more });
}

// One person per reason, given out of id order. Ids sort: a1 < b2 < c3 < d4 < e5 < f6 < g7 < h8.
const TABLE: MailTable = Object.freeze({
  columns: COLUMNS,
  records: Object.freeze([
    rec('h8', 'ann@shop.io'), //                                  duplicate of c3's address (after normalising)
    rec('c3', ' Ann@Shop.IO ', { firstName: ' Ann ', lastName: 'Lee' }), // kept: the first of ann@shop.io by id
    rec('a1', undefined), //                                      no_email: no cell
    rec('b2', '  '), //                                           no_email: blank
    rec('d4', 'not an email'), //                                 invalid_email
    rec('e5', 'eve@shop.io', { unsubscribed: true }), //           unsubscribed
    rec('f6', 'Eve@shop.io'), //                                  unsubscribed: shares e5's opted-out address
    rec('g7', 'gus@shop.io', { lastName: 'Gray' }), //             kept, no first name
  ]),
});

describe('formatForMail', () => {
  it('knows three formats and four reasons, in a fixed order', () => {
    expect(MAIL_FORMATS).toEqual(['generic', 'mailchimp', 'klaviyo']);
    expect(LEFT_OUT_REASONS).toEqual(['no_email', 'invalid_email', 'unsubscribed', 'duplicate_email']);
  });

  it('generic: our columns as they are, everybody in, sorted by customer id', () =>
    expect(formatForMail(TABLE, 'generic')).toEqual({
      header: ['customer_id', 'rfm_segment'],
      rows: ['a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7', 'h8'].map((id) => [id, 'loyal']),
      leftOut: { no_email: 0, invalid_email: 0, unsubscribed: 0, duplicate_email: 0 },
    }));

  // The kept people and the reasons are the same for both tools; only the first three header names differ.
  it.each([
    ['mailchimp', ['Email Address', 'First Name', 'Last Name']],
    ['klaviyo', ['Email', 'First Name', 'Last Name']],
  ] as const)('%s: %j first, then our columns; people left out by reason', (format, heads) => {
    expect(MAIL_TOOL_HEADS[format]).toEqual(heads);
    expect(formatForMail(TABLE, format)).toEqual({
      header: [...heads, 'customer_id', 'rfm_segment'],
      rows: [
        ['ann@shop.io', 'Ann', 'Lee', 'c3', 'loyal'], // address normalised, name trimmed
        ['gus@shop.io', '', 'Gray', 'g7', 'loyal'], //  no first name: empty
      ],
      // a1, b2 · d4 · e5, f6 · h8 — with the 2 rows, 8 records
      leftOut: { no_email: 2, invalid_email: 1, unsubscribed: 2, duplicate_email: 1 },
    });
  });

  it('checks the reasons in order: no_email, invalid_email, unsubscribed, duplicate_email', () => {
    const t: MailTable = {
      columns: COLUMNS,
      records: [
        rec('a', undefined, { unsubscribed: true }), // no_email beats unsubscribed
        rec('b', 'bad@', { unsubscribed: true }), //    invalid_email beats unsubscribed
        rec('c', 'x@y.zz'),
        rec('d', 'x@y.zz', { unsubscribed: true }), //  d opted out, so c's copy of the address is out too: both unsubscribed, not duplicate
      ],
    };
    expect(formatForMail(t, 'klaviyo')).toMatchObject({ rows: [], leftOut: { no_email: 1, invalid_email: 1, unsubscribed: 2, duplicate_email: 0 } });
  });

  it('leaves out addresses unsubscribed elsewhere (options.suppressed)', () => {
    const everyone = [...TABLE.records, rec('z9', 'gus@shop.io', { unsubscribed: true })]; // z9 is in another segment file
    const suppressed = unsubscribedEmails(everyone);
    expect([...suppressed].sort()).toEqual(['eve@shop.io', 'gus@shop.io']);
    expect(formatForMail(TABLE, 'mailchimp', { suppressed })).toMatchObject({
      rows: [['ann@shop.io', 'Ann', 'Lee', 'c3', 'loyal']], // g7 is gone
      leftOut: { no_email: 2, invalid_email: 1, unsubscribed: 3, duplicate_email: 1 },
    });
  });

  it('keeps the first of a duplicate address by customer id, not by input order', () => {
    const t: MailTable = { columns: COLUMNS, records: [rec('b', 'x@y.zz', { firstName: 'Bea' }), rec('a', 'X@Y.ZZ', { firstName: 'Al' })] };
    expect(formatForMail(t, 'klaviyo').rows).toEqual([['x@y.zz', 'Al', '', 'a', 'loyal']]);
  });

  it('accounts for every record: rows + left out = records, in every format', () => {
    for (const format of MAIL_FORMATS) {
      const { rows, leftOut } = formatForMail(TABLE, format);
      expect(rows.length + Object.values(leftOut).reduce((a, b) => a + b, 0)).toBe(TABLE.records.length);
    }
  });

  it('works with no columns of ours and with no records', () => {
    expect(formatForMail({ columns: [], records: [{ customerId: 'a', email: 'a@b.cd', unsubscribed: false, values: [] }] }, 'klaviyo')).toMatchObject({
      header: ['Email', 'First Name', 'Last Name'],
      rows: [['a@b.cd', '', '']],
    });
    expect(formatForMail({ columns: COLUMNS, records: [] }, 'mailchimp').rows).toEqual([]);
  });

  it('does not change its input', () => {
    const records = [rec('b', 'b@c.de'), rec('a', 'a@c.de')];
    const before = JSON.stringify(records);
    formatForMail({ columns: COLUMNS, records }, 'mailchimp');
    formatForMail({ columns: COLUMNS, records }, 'generic');
    expect(JSON.stringify(records)).toBe(before);
  });

  it.each([
    ['mailchimp', ['email address', 'x']], // any case, as the importer matches it
    ['klaviyo', ['Email']],
    ['klaviyo', [' First Name ']],
  ] as const)('%s refuses a column %j that repeats its own', (format, columns) =>
    expect(() => formatForMail({ columns, records: [] }, format)).toThrow(RangeError),
  );

  it('lets generic and the other tool have such a column', () => {
    expect(formatForMail({ columns: ['Email'], records: [] }, 'generic').header).toEqual(['Email']);
    expect(formatForMail({ columns: ['Email'], records: [] }, 'mailchimp').header).toEqual(['Email Address', 'First Name', 'Last Name', 'Email']);
  });

  it('refuses a record whose values do not match the columns', () =>
    expect(() => formatForMail({ columns: COLUMNS, records: [{ ...rec('a', 'a@b.cd'), values: ['a'] }] }, 'generic')).toThrow(
      'formatForMail: customer a has 1 values for 2 columns',
    ));
});

describe('unsubscribedEmails', () => {
  it('collects the normalised valid addresses of unsubscribed records only', () =>
    expect(
      unsubscribedEmails([
        { email: ' A@B.cd ', unsubscribed: true },
        { email: 'c@d.ef', unsubscribed: false }, // still subscribed
        { email: 'not valid', unsubscribed: true }, // nothing to suppress
        { email: undefined, unsubscribed: true },
      ]),
    ).toEqual(new Set(['a@b.cd'])));
});
