/**
 * Type-7 quantile of ascending values, as R's `quantile` and numpy's default: h = (n−1)p, then linear interpolation
 * between the values at floor(h) and floor(h)+1. `quantileSorted([1, 2, 3, 4], 0.5)` → 2.5.
 * Precondition: `sorted` is ascending and not empty, 0 ≤ p ≤ 1.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError('quantileSorted: needs at least one value');
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  if (lo + 1 >= sorted.length) return below;
  const above = sorted[lo + 1]!;
  return below === above ? below : below + (h - lo) * (above - below);
}

/**
 * Cut points at k/bins, k = 1 … bins−1, of ascending values: `cutPointsSorted([1, 2, 3, 4, 5], 2)` → [3].
 * h = (n−1)·k/bins is split into whole and fraction with integer arithmetic: as a float, 90 × 0.7 is 62.99999999999999
 * and would put the cut just below x[63].
 */
export function cutPointsSorted(sorted: ArrayLike<number>, bins: number): number[] {
  if (sorted.length === 0) throw new RangeError('cutPointsSorted: needs at least one value');
  const cuts: number[] = [];
  for (let k = 1; k < bins; k++) {
    const scaled = (sorted.length - 1) * k;
    const lo = Math.floor(scaled / bins);
    const below = sorted[lo]!;
    const above = sorted[Math.min(lo + 1, sorted.length - 1)]!;
    const fraction = (scaled - lo * bins) / bins;
    cuts.push(fraction === 0 || below === above ? below : below + fraction * (above - below));
  }
  return cuts;
}
