import type { AbcCutoffs } from './params.js';
import type { AbcClass, Money } from './types.js';

/**
 * ABC (Pareto) classes, one per value, in input order. A customer is A while the revenue of all customers with strictly
 * higher revenue is below `a`% of the total positive revenue, B while it is below `b`%, else C. Equal revenue gives the
 * same class; revenue ≤ 0 is always C.
 * `abcClasses([50, 30, 10, 10], {a: 80, b: 95})` → ['A', 'A', 'B', 'B'] (higher sums 0, 50, 80, 80 of 100).
 */
export function abcClasses(monetary: readonly Money[], cutoffs: AbcCutoffs): AbcClass[] {
  const order = monetary.map((_, i) => i).sort((x, y) => monetary[y]! - monetary[x]!);
  let total = 0;
  for (const m of monetary) if (m > 0) total += m;
  const classes: AbcClass[] = new Array<AbcClass>(monetary.length).fill('C');
  let higher = 0; // revenue of every customer with strictly higher revenue than the current group
  let i = 0;
  while (i < order.length) {
    const value = monetary[order[i]!]!;
    if (value <= 0) break;
    let j = i;
    let group = 0;
    while (j < order.length && monetary[order[j]!] === value) group += monetary[order[j++]!]!;
    const cls: AbcClass = higher * 100 < cutoffs.a * total ? 'A' : higher * 100 < cutoffs.b * total ? 'B' : 'C';
    for (let k = i; k < j; k++) classes[order[k]!] = cls;
    higher += group;
    i = j;
  }
  return classes;
}
