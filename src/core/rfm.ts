import type { RuleSet, SegmentRule } from './params.js';
import type { DimensionScoring } from './presets.js';
import { scaleFor, scoreOf, type Scale } from './scoring.js';
import type { CustomerFacts } from './types.js';

/** Cut points per dimension; monetary ones are in money units (1/10 000 of the currency). */
export interface CutPoints {
  readonly recency: readonly number[];
  readonly frequency: readonly number[];
  readonly monetary: readonly number[];
}

export interface Scores {
  readonly r: number;
  readonly f: number;
  readonly m: number;
}

export interface RfmScales {
  readonly recency: Scale;
  readonly frequency: Scale;
  readonly monetary: Scale;
}

const QUANTILES: DimensionScoring = { recency: { kind: 'quantile' }, frequency: { kind: 'quantile' }, monetary: { kind: 'quantile' } };

/** The customers' recency days, frequencies and monetary values, each in a column. */
export interface RfmValues {
  readonly recency: ArrayLike<number>;
  readonly frequency: ArrayLike<number>;
  readonly monetary: ArrayLike<number>;
}

/** The scale of each dimension under its scoring (quantiles, fixed breaks or R rfm's binning) over the customers' values. */
export function rfmScales(facts: readonly CustomerFacts[], bins: number, scoring: DimensionScoring = QUANTILES): RfmScales {
  const values = (pick: (c: CustomerFacts) => number) => {
    const out = new Float64Array(facts.length);
    for (let i = 0; i < facts.length; i++) out[i] = pick(facts[i]!);
    return out;
  };
  return rfmScalesOf({ recency: values((c) => c.recencyDays), frequency: values((c) => c.frequency), monetary: values((c) => c.monetary) }, bins, scoring);
}

/** rfmScales on values already in columns; `sortedMonetary`: the monetary values ascending, when already sorted. */
export function rfmScalesOf(values: RfmValues, bins: number, scoring: DimensionScoring = QUANTILES, sortedMonetary?: ArrayLike<number>): RfmScales {
  return {
    recency: scaleFor(values.recency, scoring.recency, bins, 'lower-is-better'),
    frequency: scaleFor(values.frequency, scoring.frequency, bins, 'higher-is-better'),
    monetary: scaleFor(values.monetary, scoring.monetary, bins, 'higher-is-better', sortedMonetary),
  };
}

/** The cut points of the scales in the values' own units (days, orders, money units). */
export function scaleCuts(scales: RfmScales): CutPoints {
  const inUnits = (s: Scale) => s.cuts.map((c) => c * s.unit);
  return { recency: inUnits(scales.recency), frequency: inUnits(scales.frequency), monetary: inUnits(scales.monetary) };
}

/** Type-7 quantile cut points at k/bins of the customers' recency days, frequencies and monetary values. */
export function rfmCutPoints(facts: readonly CustomerFacts[], bins: number): CutPoints {
  return scaleCuts(rfmScales(facts, bins));
}

/**
 * Scores 1 … bins on quantile cut points. F and M: 1 + the cut points strictly below the value. R: bins − the cut points
 * strictly below the recency days, so the most recent buyers score highest. Equal values always get equal scores.
 */
export function scoreCustomer(c: CustomerFacts, cuts: CutPoints, bins: number): Scores {
  const scale = (values: readonly number[], direction: Scale['direction']): Scale => ({ bins, direction, unit: 1, cuts: values, atCut: 'lower-bin' });
  return scoreOnScales(c, {
    recency: scale(cuts.recency, 'lower-is-better'),
    frequency: scale(cuts.frequency, 'higher-is-better'),
    monetary: scale(cuts.monetary, 'higher-is-better'),
  });
}

/** Scores 1 … bins of one customer on the scales. */
export function scoreOnScales(c: CustomerFacts, scales: RfmScales): Scores {
  return { r: scoreOf(scales.recency, c.recencyDays), f: scoreOf(scales.frequency, c.frequency), m: scoreOf(scales.monetary, c.monetary) };
}

function inRange(score: number, range: SegmentRule['r']): boolean {
  return range === undefined || (score >= range[0] && score <= range[1]);
}

/** Whether a rule's ranges hold all three scores (an absent range holds any score). */
export function ruleMatches(rule: SegmentRule, s: Scores): boolean {
  return inRange(s.r, rule.r) && inRange(s.f, rule.f) && inRange(s.m, rule.m);
}

/** The first rule whose ranges hold all three scores, or undefined: `matchRule(rules, {r: 5, f: 5, m: 1})`. */
export function matchRule(rules: readonly SegmentRule[], s: Scores): SegmentRule | undefined {
  return rules.find((rule) => ruleMatches(rule, s));
}

/** The named segment for a customer's scores: first matching rule, else the rule set's fallback. */
export function segmentName(ruleSet: RuleSet, s: Scores): string {
  return matchRule(ruleSet.rules, s)?.name ?? ruleSet.fallback;
}

/**
 * segmentName for every score cell, worked out once per cell: `segmentNamer(rules)(5, 5, 1)`. Scores run 1 … bins of
 * the rule set; a scoring with more bins (fixed breaks) gets the rules' answer for cells beyond them too.
 */
export function segmentNamer(ruleSet: RuleSet): (r: number, f: number, m: number) => string {
  const side = ruleSet.bins + 1;
  const cells = new Array<string | undefined>(side * side * side);
  return (r, f, m) => {
    if (r >= side || f >= side || m >= side) return segmentName(ruleSet, { r, f, m });
    const at = (r * side + f) * side + m;
    return (cells[at] ??= segmentName(ruleSet, { r, f, m }));
  };
}

/** Whether some score cell (r, f, m) falls through every rule to the fallback. */
export function fallbackReachable(ruleSet: RuleSet): boolean {
  for (let r = 1; r <= ruleSet.bins; r++) {
    for (let f = 1; f <= ruleSet.bins; f++) {
      for (let m = 1; m <= ruleSet.bins; m++) if (matchRule(ruleSet.rules, { r, f, m }) === undefined) return true;
    }
  }
  return false;
}

/** Every segment name a rule set can give, in rule order, then the fallback when some cell reaches it; each name once. */
export function segmentNames(ruleSet: RuleSet): string[] {
  const names = ruleSet.rules.map((r) => r.name);
  if (fallbackReachable(ruleSet)) names.push(ruleSet.fallback);
  return [...new Set(names)];
}
