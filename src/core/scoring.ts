import { cutPointsSorted } from './quantile.js';

/**
 * How one dimension (recency, frequency or monetary) is turned into scores 1 … bins.
 *
 * - `quantile`: rfmkit's own rule (as `rfm.ts`): type-7 cut points at k/bins of the values. A value equal to a cut point
 *   goes to the bin below it in value order.
 * - `breaks`: fixed break points, strictly ascending, in the values' own units (days, orders, Money); bins = breaks + 1.
 *   A value equal to a break point gets the better of the two scores beside it.
 * - `rfm-r`: the binning of the R package rfm (`bins`, `bins_lower`, `bins_upper` in its `R/utils.R`, used by
 *   `rfm_table_order`): type-7 quantiles at k/bins, plus 1, as the lower bounds of the upper bins. `unit` is what "1" is
 *   in the values' units: 1 for days and counts, MONEY_SCALE for Money, so that R's "+ 1" is one currency unit.
 */
export type ScoringSpec =
  | { readonly kind: 'quantile' }
  | { readonly kind: 'breaks'; readonly breaks: readonly number[] }
  | { readonly kind: 'rfm-r'; readonly unit?: number };

/** Recency is `lower-is-better` (fewer days since the last order score higher); frequency and monetary are not. */
export type Direction = 'higher-is-better' | 'lower-is-better';

/**
 * Everything needed to score a value, once the population is known. `cuts` are ascending and there are at most
 * `bins − 1` of them (none when there were no values). A value is compared with them after it is divided by `unit`
 * (1 except for `rfm-r` with a unit), so `cuts` are in those units: multiply by `unit` to show them next to the values.
 * `atCut` says which bin, in value order, a value equal to a cut point falls into.
 */
export interface Scale {
  readonly bins: number;
  readonly direction: Direction;
  readonly unit: number;
  readonly cuts: readonly number[];
  readonly atCut: 'lower-bin' | 'upper-bin';
}

export interface DimensionScores extends Scale {
  /** Score of `values[i]`, 1 … bins. */
  readonly scores: Int8Array;
}

/**
 * Type-7 quantile computed the way R's `quantile.default` computes it, step for step in doubles, so that cut points
 * match R to the last bit: index = 1 + (n − 1)·p (1-based), lo = ⌊index⌋, hi = ⌈index⌉, and when index > lo and the two
 * values differ, (1 − h)·x[lo] + h·x[hi] with h = index − lo. `quantileSorted` in quantile.ts is the same quantile with
 * a different rounding; the difference only shows when a value lands exactly on a cut point.
 * `quantileType7R([1, 2, 3, 4], 0.5)` → 2.5. Precondition: `sorted` ascending and not empty, 0 ≤ p ≤ 1.
 */
export function quantileType7R(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError('quantileType7R: needs at least one value');
  const index = 1 + (sorted.length - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const atLo = sorted[lo - 1]!;
  const atHi = sorted[hi - 1]!;
  if (!(index > lo) || atHi === atLo) return atLo;
  const h = index - lo;
  return (1 - h) * atLo + h * atHi;
}

/**
 * The cut points of R rfm's `bins()`: `quantile(x, probs = seq(0, 1, length.out = bins + 1))` without its first and last
 * element, plus 1. R's `seq` makes the k-th probability as k·(1/bins), which for 5 bins gives 0.6000000000000001, not 0.6;
 * this does the same. `rfmRCutsSorted([1, 2, 3, 4, 5], 2)` → [4] (median 3, plus 1).
 */
export function rfmRCutsSorted(sorted: ArrayLike<number>, bins: number): number[] {
  const step = 1 / bins;
  const cuts: number[] = [];
  for (let k = 1; k < bins; k++) cuts.push(quantileType7R(sorted, k * step) + 1);
  return cuts;
}

/** How many ascending `cuts` lie below `value`, counting equal ones when `orEqual`. `countCuts([2, 4], 4, true)` → 2. */
function countCuts(cuts: readonly number[], value: number, orEqual: boolean): number {
  let n = 0;
  if (orEqual) while (n < cuts.length && cuts[n]! <= value) n++;
  else while (n < cuts.length && cuts[n]! < value) n++;
  return n;
}

/**
 * The score of one value on a scale: with k cut points below the value (an equal one counting when `atCut` is
 * `upper-bin`), 1 + k when higher is better and bins − k when lower is better.
 * `scoreOf({ bins: 5, direction: 'higher-is-better', unit: 1, cuts: [2, 3, 5, 10], atCut: 'upper-bin' }, 5)` → 4.
 * A value outside the population's range scores 1 or bins (R would give NA there).
 */
export function scoreOf(scale: Scale, value: number): number {
  const k = countCuts(scale.cuts, value / scale.unit, scale.atCut === 'upper-bin');
  return scale.direction === 'higher-is-better' ? 1 + k : scale.bins - k;
}

/**
 * scoreOf of every value, `scores[i]` for `values[i]`: for a million customers, one loop with the scale read once rather
 * than a call per value.
 */
export function scoreAll(scale: Scale, values: ArrayLike<number>, scores: Uint8Array | Int8Array): void {
  const { cuts, unit, bins } = scale;
  const orEqual = scale.atCut === 'upper-bin';
  const higher = scale.direction === 'higher-is-better';
  for (let i = 0; i < values.length; i++) {
    const k = countCuts(cuts, values[i]! / unit, orEqual);
    scores[i] = higher ? 1 + k : bins - k;
  }
}

function checkBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1 || bins > 127) {
    throw new RangeError(`scoreDimension: bins must be a whole number from 1 to 127, got ${bins}`);
  }
}

function checkBreaks(breaks: readonly number[], bins: number): void {
  for (let i = 0; i < breaks.length; i++) {
    const b = breaks[i]!;
    if (!Number.isFinite(b)) throw new RangeError(`scoreDimension: break points must be finite numbers, got ${b}`);
    if (i > 0 && !(breaks[i - 1]! < b)) {
      throw new RangeError(`scoreDimension: break points must be strictly ascending, got ${breaks.join(', ')}`);
    }
  }
  if (breaks.length + 1 !== bins) {
    throw new RangeError(`scoreDimension: ${breaks.length} break points make ${breaks.length + 1} bins, not ${bins}`);
  }
}

/** Whole numbers spread over at most this many values are sorted by counting them. */
const COUNTING_RANGE = 1 << 16;
/** Bits of the key a radix pass sorts by. */
const RADIX_BITS = 11;

/**
 * The values divided by `unit`, ascending, as a native sort orders them. Whole numbers over a small range (days, order
 * counts) are sorted by counting, other whole numbers up to 2^53 (money, which is whole units of MONEY_SCALE) by radix;
 * both take less time than a native sort of a million values (see the README). Any other values are sorted natively.
 */
export function ascending(values: ArrayLike<number>, unit: number): Float64Array {
  const n = values.length;
  const sorted = new Float64Array(n);
  let min = Infinity;
  let max = -Infinity;
  let whole = true;
  for (let i = 0; i < n; i++) {
    const v = values[i]! / unit;
    sorted[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
    whole &&= Number.isInteger(v) && !Object.is(v, -0); // counting would make −0 a 0
  }
  if (!whole || n === 0 || !(max - min <= Number.MAX_SAFE_INTEGER)) return sorted.sort();
  if (max - min >= COUNTING_RANGE) return radixSorted(sorted, min, max - min);
  const counts = new Int32Array(max - min + 1);
  for (let i = 0; i < n; i++) counts[sorted[i]! - min]!++;
  let at = 0;
  for (let k = 0; k < counts.length; k++) for (let c = counts[k]!; c > 0; c--) sorted[at++] = min + k;
  return sorted;
}

/**
 * Whole numbers `values` (each at least `min`, at most `min + range`, range ≤ 2^53 − 1) sorted in place: a stable least
 * significant digit radix sort on value − min, RADIX_BITS bits a pass, as many passes as the range needs.
 */
function radixSorted(values: Float64Array, min: number, range: number): Float64Array {
  const n = values.length;
  let bits = 0;
  while (bits < 53 && 2 ** bits <= range) bits++;
  // Keys as two 32-bit words when they need more than 32 bits; every pass moves both.
  const wide = bits > 32;
  let fromLow = new Uint32Array(n);
  let fromHigh = new Uint32Array(wide ? n : 0);
  for (let i = 0; i < n; i++) {
    const d = values[i]! - min;
    const h = wide ? Math.floor(d / 2 ** 32) : 0;
    fromLow[i] = d - h * 2 ** 32;
    if (wide) fromHigh[i] = h;
  }
  let toLow = new Uint32Array(n);
  let toHigh = new Uint32Array(wide ? n : 0);
  const digits = new Uint32Array(n);
  const counts = new Int32Array(1 << RADIX_BITS);
  const mask = (1 << RADIX_BITS) - 1;
  for (let shift = 0; shift < bits; shift += RADIX_BITS) {
    // The digit of each key at `shift`: from the low word, the high word, or both.
    if (shift + RADIX_BITS <= 32) for (let i = 0; i < n; i++) digits[i] = (fromLow[i]! >>> shift) & mask;
    else if (shift >= 32) for (let i = 0; i < n; i++) digits[i] = (fromHigh[i]! >>> (shift - 32)) & mask;
    else if (wide) for (let i = 0; i < n; i++) digits[i] = ((fromLow[i]! >>> shift) | (fromHigh[i]! << (32 - shift))) & mask;
    else for (let i = 0; i < n; i++) digits[i] = fromLow[i]! >>> shift;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[digits[i]!]!++;
    let sum = 0;
    for (let k = 0; k < counts.length; k++) {
      const c = counts[k]!;
      counts[k] = sum;
      sum += c;
    }
    if (wide) {
      for (let i = 0; i < n; i++) {
        const at = counts[digits[i]!]!++;
        toLow[at] = fromLow[i]!;
        toHigh[at] = fromHigh[i]!;
      }
      [fromHigh, toHigh] = [toHigh, fromHigh];
    } else {
      for (let i = 0; i < n; i++) toLow[counts[digits[i]!]!++] = fromLow[i]!;
    }
    [fromLow, toLow] = [toLow, fromLow];
  }
  if (wide) for (let i = 0; i < n; i++) values[i] = min + (fromHigh[i]! * 2 ** 32 + fromLow[i]!);
  else for (let i = 0; i < n; i++) values[i] = min + fromLow[i]!;
  return values;
}

/**
 * The scale of one dimension for a population of values. Exactly:
 *
 * - `quantile`: cuts = type-7 quantiles at k/bins (`cutPointsSorted`); equal goes to the lower bin. Higher is better:
 *   1 + #(cuts < v); lower is better: bins − #(cuts < v). This is `scoreCustomer` in rfm.ts.
 * - `breaks` [b₁ … b₍bins−1₎]: higher is better: v < b₁ → 1, b₁ ≤ v < b₂ → 2, …, v ≥ b_last → bins, that is
 *   1 + #(breaks ≤ v). Lower is better: v ≤ b₁ → bins, b₁ < v ≤ b₂ → bins − 1, …, v > b_last → 1, that is
 *   bins − #(breaks < v). Frequency breaks [2, 3, 5, 10]: 1 order → 1, 2 → 2, 4 → 3, 10 → 5. Recency breaks
 *   [30, 90, 180, 365]: 30 days → 5, 31 → 4, 365 → 2, 366 → 1. (R rfm's own fixed thresholds put 30 days in score 4.)
 * - `rfm-r`: cuts = R's type-7 quantiles at k·(1/bins) of value/unit, plus 1; a value is in bin i when
 *   lower_i ≤ v < upper_i with lower = (min, cuts…) and upper = (cuts…, max + 1), so equal goes to the upper bin:
 *   higher is better: 1 + #(cuts ≤ v); lower is better (R's reversed recency score): bins − #(cuts ≤ v).
 *
 * Does not read or change `values` beyond copying them. `sorted`: the same values ascending, when the caller has them
 * already (a million values cost 0.1 s to sort). Throws a RangeError naming the requirement for bad `bins` or break points.
 */
export function scaleFor(values: ArrayLike<number>, spec: ScoringSpec, bins: number, direction: Direction, sorted?: ArrayLike<number>): Scale {
  checkBins(bins);
  switch (spec.kind) {
    case 'quantile': {
      const cuts = values.length === 0 ? [] : cutPointsSorted(sorted ?? ascending(values, 1), bins);
      return { bins, direction, unit: 1, cuts, atCut: 'lower-bin' };
    }
    case 'breaks':
      checkBreaks(spec.breaks, bins);
      return {
        bins,
        direction,
        unit: 1,
        cuts: [...spec.breaks],
        atCut: direction === 'higher-is-better' ? 'upper-bin' : 'lower-bin',
      };
    case 'rfm-r': {
      const unit = spec.unit ?? 1;
      if (!(unit > 0) || !Number.isFinite(unit)) throw new RangeError(`scoreDimension: unit must be a positive number, got ${unit}`);
      // Dividing by a positive unit keeps the order: values sorted already need no sort again.
      const cuts = values.length === 0 ? [] : rfmRCutsSorted(sorted ? Float64Array.from(sorted, (v) => v / unit) : ascending(values, unit), bins);
      return { bins, direction, unit, cuts, atCut: 'upper-bin' };
    }
  }
}

/**
 * Scores 1 … bins for every value, with the scale they came from (see `scaleFor` for the exact rules).
 * `scoreDimension([1, 2, 3, 4, 5], { kind: 'quantile' }, 5, 'higher-is-better').scores` → [1, 2, 3, 4, 5].
 */
export function scoreDimension(
  values: ArrayLike<number>,
  spec: ScoringSpec,
  bins: number,
  direction: Direction,
): DimensionScores {
  const scale = scaleFor(values, spec, bins, direction);
  const scores = new Int8Array(values.length);
  scoreAll(scale, values, scores);
  return { ...scale, scores };
}
