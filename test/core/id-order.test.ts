import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiIdOrder, idOrder } from '../../src/core/id-order.js';

/** The order by V8's comparison of the bare strings: what idOrder must give. */
function byComparison(ids: readonly string[]): number[] {
  return ids.map((_, i) => i).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
}

describe('idOrder: UTF-16 code unit order', () => {
  const ids = ['b', 'a', 'C10', 'C9', 'é', 'Z', '', 'ab'];

  it('orders ids by code units: shorter first on a shared prefix, upper case before lower', () => {
    // Sorted: '', 'C10', 'C9', 'Z', 'a', 'ab', 'b', 'é'.
    expect([...idOrder(ids)]).toEqual([6, 2, 3, 5, 1, 7, 0, 4]);
    expect([...idOrder(ids)]).toEqual(byComparison(ids));
  });

  it('ids already in order stay as they are', () => expect([...idOrder(['a', 'b', 'c'])]).toEqual([0, 1, 2]));

  it('long ids that share the radix-sorted prefix are put in order by comparison', () => {
    const long = ['customer-0000000000-b', 'customer-0000000000-a', 'customer-0000000000', 'customer-000000000', 'x'];
    expect([...idOrder(long)]).toEqual(byComparison(long));
  });

  it('ids beyond Latin-1 (and surrogate pairs, which sort by their code units) are sorted by comparison', () => {
    const wide = ['日本', '😀', '\uffff', 'a', 'Ω', '\u00fe'];
    expect([...idOrder(wide)]).toEqual(byComparison(wide));
  });

  it('agrees with comparison on any unique ids', () => {
    const unit = fc.oneof(
      fc.constantFrom('a', 'b', 'A', '0', '9', '-', '@', '.', ' ', '\u00e9', '\u00fe', '\u00ff', '\u0000'),
      fc.constantFrom('\u0100', '\u4e00', '\ud83d\ude00', '\uffff'),
    );
    const id = fc.oneof(
      fc.array(unit, { maxLength: 6 }).map((u) => u.join('')),
      // Long ids that mostly share a prefix: the radix sort leaves them to comparison.
      fc.array(fc.constantFrom('a', 'b'), { maxLength: 4 }).map((u) => `prefix-shared-by-all-${u.join('')}`),
    );
    fc.assert(
      fc.property(fc.uniqueArray(id, { maxLength: 60 }), (list) => {
        expect([...idOrder(list)]).toEqual(byComparison(list));
      }),
      { numRuns: 500 },
    );
  });
});

describe('asciiIdOrder: the same order from ASCII bytes', () => {
  /** The ids as one buffer and where each starts (and the last ends). */
  function packed(ids: readonly string[]): { bytes: Uint8Array; starts: Int32Array } {
    const starts = new Int32Array(ids.length + 1);
    ids.forEach((id, i) => (starts[i + 1] = starts[i]! + id.length));
    return { bytes: Buffer.from(ids.join(''), 'latin1'), starts };
  }

  it('agrees with idOrder on any unique ASCII ids: short, long with a shared prefix, prefixes of one another, sorted', () => {
    const unit = fc.constantFrom('a', 'b', 'A', 'Z', '0', '9', '-', '@', ' ', '~', '\u0001', '\u007f');
    const id = fc.oneof(
      fc.array(unit, { minLength: 1, maxLength: 6 }).map((u) => u.join('')),
      fc.array(fc.constantFrom('a', 'b'), { maxLength: 4 }).map((u) => `prefix-shared-by-all-${u.join('')}`),
    );
    fc.assert(
      // `room`: none, too small (new arrays), or big enough and full of other bytes (the sort writes over it).
      fc.property(fc.uniqueArray(id, { maxLength: 60 }), fc.boolean(), fc.constantFrom(undefined, -1, 0, 40), (list, sortFirst, spare) => {
        const ids = sortFirst ? [...list].sort() : list;
        const { bytes, starts } = packed(ids);
        const room = spare === undefined ? undefined : new Uint8Array(Math.max(0, 24 * ids.length + spare)).fill(0xa5).buffer;
        expect([...asciiIdOrder(bytes, starts, ids.length, room)]).toEqual([...idOrder(ids)]);
      }),
      { numRuns: 500 },
    );
  });

  it('reads ids where they lie in a bigger buffer', () => {
    // 'ab', 'C9', 'C10' after two bytes that are no id's
    expect([...asciiIdOrder(Buffer.from('xxabC9C10', 'latin1'), Int32Array.from([2, 4, 6, 9]), 3)]).toEqual([2, 1, 0]);
  });
});
