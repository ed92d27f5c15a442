/**
 * An address as mail tools compare it: trimmed and lower-cased, all of it. RFC 5321 lets the part before the @ be
 * case-sensitive, but no mainstream provider treats it so, and Mailchimp and Klaviyo both match addresses without case.
 * Nothing else is rewritten (no dots or +tags removed: for some providers those are different mailboxes).
 * `normalizeEmail('  Ann.Lee@Example.COM ')` → `'ann.lee@example.com'`.
 */
export function normalizeEmail(text: string): string {
  return text.trim().toLowerCase();
}

/**
 * A pragmatic check that catches what exports get wrong (a name or phone in the email column, two addresses in one cell,
 * a missing domain) without rejecting real addresses: no whitespace anywhere, exactly one @, something before it, and a
 * domain of at least two dot-separated labels, none empty. It is not RFC 5322: quoted local parts and IP-literal domains
 * fail, and `a,b@c.de` passes; whether the address exists only the mail tool can tell.
 * `isValidEmail('ann@example.com')` → true; `isValidEmail('ann@localhost')` → false; `isValidEmail('ann@example..com')` → false.
 */
export function isValidEmail(email: string): boolean {
  if (/\s/.test(email)) return false;
  const at = email.indexOf('@');
  if (at <= 0 || email.indexOf('@', at + 1) >= 0) return false;
  const labels = email.slice(at + 1).split('.');
  return labels.length >= 2 && labels.every((label) => label !== '');
}

/** What a profile's email cell gives: a usable address (normalised), none at all, or text that is not an address. */
export type EmailCheck =
  | { readonly kind: 'ok'; readonly email: string }
  | { readonly kind: 'no_email' }
  | { readonly kind: 'invalid_email'; readonly email: string };

/**
 * An email cell normalised and checked; a missing or blank cell is no_email.
 * `checkEmail(' Bob@Shop.io')` → `{kind: 'ok', email: 'bob@shop.io'}`; `checkEmail('bob at shop')` → invalid_email.
 */
export function checkEmail(text: string | undefined): EmailCheck {
  const email = normalizeEmail(text ?? '');
  if (email === '') return { kind: 'no_email' };
  return isValidEmail(email) ? { kind: 'ok', email } : { kind: 'invalid_email', email };
}

/** Someone with a normalised, valid address. */
export interface EmailOwner {
  readonly customerId: string;
  readonly email: string;
}

export interface MergedEmails<T extends EmailOwner> {
  /** One owner per address, the first by customer id; sorted by customer id. */
  readonly kept: readonly T[];
  /** Every other owner of a kept address, with the customer id it merged into; sorted by customer id. */
  readonly duplicates: readonly { readonly owner: T; readonly keptId: string }[];
}

function byCustomerId(a: EmailOwner, b: EmailOwner): number {
  return a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0;
}

/**
 * One row per address, so that a mail tool gets each address once: of the owners sharing an address the one with the
 * smallest customer id (UTF-16 code unit order, as everywhere) is kept as it is, and the others are dropped, not blended
 * into it — their scores and segments describe other customers. Equal ids keep their input order. The input is not
 * changed; addresses must already be normalised (`checkEmail`).
 * `mergeDuplicateEmails([{customerId: 'b', email: 'x@y.z'}, {customerId: 'a', email: 'x@y.z'}])` keeps a, drops b into a.
 */
export function mergeDuplicateEmails<T extends EmailOwner>(owners: readonly T[]): MergedEmails<T> {
  const sorted = [...owners].sort(byCustomerId);
  const first = new Map<string, T>();
  const kept: T[] = [];
  const duplicates: { owner: T; keptId: string }[] = [];
  for (const owner of sorted) {
    const keeper = first.get(owner.email);
    if (keeper === undefined) {
      first.set(owner.email, owner);
      kept.push(owner);
    } else {
      duplicates.push({ owner, keptId: keeper.customerId });
    }
  }
  return { kept, duplicates };
}
