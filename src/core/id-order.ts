/**
 * Customer ids in UTF-16 code unit order (JavaScript's `<` on strings, the same on every machine), fast for a million
 * ids: the order every output is written in.
 */

/** Code units radix-sorted; ids that agree on all of them are then put in order by comparison. */
const RADIX_UNITS = 16;

/**
 * The indices of `ids` in id order (ids unique): `idOrder(['b', 'a', 'c'])` → [1, 0, 2].
 *
 * Ids whose first RADIX_UNITS code units are all below 255 (Latin-1: nearly every real id) are sorted by a
 * least-significant-digit radix sort over those units, an id's end sorting before any unit; the few groups that still
 * tie (long ids sharing a prefix) are sorted by comparison. That is several times faster than V8's comparison sort of a
 * million strings, which took about 1.5 s. Other ids are sorted by comparison.
 */
export function idOrder(ids: readonly string[]): Int32Array {
  const n = ids.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = ids[i - 1]! < ids[i]!;
  if (sorted) return identity(n); // an export sorted by customer costs one pass
  let longest = 0;
  for (let i = 0; i < n; i++) if (ids[i]!.length > longest) longest = ids[i]!.length;
  const width = Math.min(longest, RADIX_UNITS);
  // keys[i * width + k] = unit k of id i, plus 1; 0 past the id's end.
  const keys = new Uint8Array(n * width);
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    const end = Math.min(id.length, width);
    for (let k = 0; k < end; k++) {
      const unit = id.charCodeAt(k);
      if (unit >= 255) return comparisonOrder(ids);
      keys[i * width + k] = unit + 1;
    }
  }
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let spare = new Int32Array(n);
  const count = new Int32Array(257);
  for (let k = width - 1; k >= 0; k--) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[keys[i * width + k]! + 1]!++; // counts need no order: read keys in place
    if (count.includes(n)) continue; // every id has the same unit here: nothing moves
    for (let b = 1; b < 257; b++) count[b]! += count[b - 1]!;
    for (let i = 0; i < n; i++) {
      const id = order[i]!;
      spare[count[keys[id * width + k]!]!++] = id;
    }
    [order, spare] = [spare, order];
  }
  // Ids longer than `width` may tie on every unit sorted: put each such run in order by comparison.
  for (let i = 0; i < n && longest > width; ) {
    let j = i + 1;
    while (j < n && sameKey(keys, width, order[i]!, order[j]!)) j++;
    if (j - i > 1) {
      const run = Array.from(order.subarray(i, j)).sort((a, b) => (ids[a]! < ids[b]! ? -1 : 1));
      order.set(run, i);
    }
    i = j;
  }
  return order;
}

function sameKey(keys: Uint8Array, width: number, a: number, b: number): boolean {
  for (let k = 0; k < width; k++) if (keys[a * width + k] !== keys[b * width + k]) return false;
  return true;
}

/** idOrder by V8's sort of the bare strings (its native comparison), for ids outside Latin-1. */
function comparisonOrder(ids: readonly string[]): Int32Array {
  const at = new Map<string, number>();
  ids.forEach((id, i) => at.set(id, i));
  return Int32Array.from([...ids].sort(), (id) => at.get(id)!);
}

function identity(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}
