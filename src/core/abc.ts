import type { AbcCutoffs } from './params.js';
import { ABC_CLASSES, type AbcClass, type Money } from './types.js';

/**
 * ABC (Pareto) classes, one per value, in input order. A customer is A while the revenue of all customers with strictly
 * higher revenue is below `a`% of the total positive revenue, B while it is below `b`%, else C. Equal revenue gives the
 * same class; revenue ≤ 0 is always C.
 * `abcClasses([50, 30, 10, 10], {a: 80, b: 95})` → ['A', 'A', 'B', 'B'] (higher sums 0, 50, 80, 80 of 100).
 */
export function abcClasses(monetary: ArrayLike<Money>, cutoffs: AbcCutoffs): AbcClass[] {
  return Array.from(abcClassIndex(monetary, cutoffs), (k) => ABC_CLASSES[k]!);
}

/**
 * abcClasses as indices into ABC_CLASSES (0 A, 1 B, 2 C): a byte per customer rather than a string. `sorted`: the same
 * values ascending, when the caller has them already.
 */
export function abcClassIndex(monetary: ArrayLike<Money>, cutoffs: AbcCutoffs, sorted: ArrayLike<Money> = Float64Array.from(monetary).sort()): Uint8Array {
  // A class depends on the value alone, so find the lowest value still A and still B on the values sorted natively
  // (a comparator sort of a million indices took half a second), then classify each value against those two.
  let total = 0;
  for (let k = 0; k < sorted.length; k++) if (sorted[k]! > 0) total += sorted[k]!;
  let lowestA = Infinity;
  let lowestB = Infinity;
  let higher = 0; // revenue of every customer with strictly higher revenue than the current group
  let i = sorted.length - 1; // from the highest value down
  while (i >= 0 && sorted[i]! > 0) {
    const value = sorted[i]!;
    let j = i;
    while (j >= 0 && sorted[j] === value) higher += sorted[j--]!;
    const before = higher - value * (i - j);
    if (before * 100 < cutoffs.a * total) lowestA = value;
    else if (before * 100 < cutoffs.b * total) lowestB = value;
    else break;
    i = j;
  }
  const classes = new Uint8Array(monetary.length);
  for (let k = 0; k < monetary.length; k++) {
    const m = monetary[k]!;
    classes[k] = m > 0 && m >= lowestA ? 0 : m > 0 && m >= lowestB ? 1 : 2;
  }
  return classes;
}
