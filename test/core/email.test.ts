import { describe, expect, it } from 'vitest';
import { checkEmail, isValidEmail, mergeDuplicateEmails, normalizeEmail } from '../../src/core/email.js';

describe('normalizeEmail: trimmed and lower-cased, nothing else', () => {
  it.each([
    ['  Ann.Lee@Example.COM ', 'ann.lee@example.com'],
    ['\tbob@shop.io\n', 'bob@shop.io'],
    ['first.last+tag@gmail.com', 'first.last+tag@gmail.com'], // dots and +tags are kept
    ['ÉLODIE@exemple.fr', 'élodie@exemple.fr'],
    ['', ''],
  ])('%j → %j', (text, email) => expect(normalizeEmail(text)).toBe(email));
});

describe('isValidEmail: one @, a local part, a dotted domain, no whitespace', () => {
  it.each([
    ['ann@example.com', true],
    ['a@b.co', true], //                       shortest sensible form
    ['first.last+tag@mail.example.co.uk', true],
    ["o'brien@example.ie", true],
    ['ann@localhost', false], //               domain without a dot
    ['ann@.com', false], //                    empty first label
    ['ann@example.', false], //                empty last label
    ['ann@example..com', false], //            empty label in the middle
    ['@example.com', false], //                no local part
    ['ann@', false], //                        no domain
    ['ann.example.com', false], //             no @
    ['ann@b@example.com', false], //           two @
    ['ann@example.com;bob@example.com', false], // two addresses in one cell
    ['ann lee@example.com', false], //         a space
    ['ann@example.com ', false], //            untrimmed: normalise first
    ['ann@exa\u00a0mple.com', false], //       a no-break space is whitespace too
    ['Ann Lee', false], //                     a name in the email column
    ['', false],
  ])('%j → %s', (email, expected) => expect(isValidEmail(email)).toBe(expected));
});

describe('checkEmail', () => {
  it.each([
    [' Bob@Shop.io', { kind: 'ok', email: 'bob@shop.io' }],
    [undefined, { kind: 'no_email' }], //         no email column or cell
    ['', { kind: 'no_email' }],
    ['   ', { kind: 'no_email' }], //             blank after trimming
    ['Bob at Shop', { kind: 'invalid_email', email: 'bob at shop' }],
    ['bob@shop', { kind: 'invalid_email', email: 'bob@shop' }],
  ])('%j → %j', (text, expected) => expect(checkEmail(text)).toEqual(expected));
});

describe('mergeDuplicateEmails: one owner per address, the smallest customer id', () => {
  const owner = (customerId: string, email: string) => Object.freeze({ customerId, email });

  it('keeps the first by customer id, whatever the input order, and says where the others went', () => {
    const input = Object.freeze([owner('c9', 'x@y.zz'), owner('c2', 'q@r.st'), owner('c10', 'x@y.zz'), owner('c1', 'x@y.zz')]);
    expect(mergeDuplicateEmails(input)).toEqual({
      // ids in code unit order: c1 < c10 < c2 < c9 (text, not numbers)
      kept: [owner('c1', 'x@y.zz'), owner('c2', 'q@r.st')],
      duplicates: [
        { owner: owner('c10', 'x@y.zz'), keptId: 'c1' },
        { owner: owner('c9', 'x@y.zz'), keptId: 'c1' },
      ],
    });
  });

  it('keeps the kept owner as it is (no fields blended in) and does not change the input', () => {
    const a = Object.freeze({ customerId: 'a', email: 'x@y.zz', firstName: '' });
    const b = Object.freeze({ customerId: 'b', email: 'x@y.zz', firstName: 'Bea' });
    const input = Object.freeze([b, a]);
    const { kept } = mergeDuplicateEmails(input);
    expect(kept[0]).toBe(a); //      the same object, its empty name not filled from b
    expect(input).toEqual([b, a]);
  });

  it('treats addresses as exact text: normalise before merging', () =>
    expect(mergeDuplicateEmails([owner('a', 'X@y.zz'), owner('b', 'x@y.zz')]).duplicates).toEqual([]));

  it('keeps equal ids in input order', () => {
    const first = owner('a', 'x@y.zz');
    const second = owner('a', 'x@y.zz');
    const { kept, duplicates } = mergeDuplicateEmails([first, second]);
    expect(kept[0]).toBe(first);
    expect(duplicates[0]!.owner).toBe(second);
  });

  it('handles nobody', () => expect(mergeDuplicateEmails([])).toEqual({ kept: [], duplicates: [] }));
});
