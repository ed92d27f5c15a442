import { countBelow, cutPointsSorted } from './quantile.js';
import type { RuleSet, SegmentRule } from './params.js';
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

function sortedValues(facts: readonly CustomerFacts[], pick: (c: CustomerFacts) => number): Float64Array {
  const values = new Float64Array(facts.length);
  for (let i = 0; i < facts.length; i++) values[i] = pick(facts[i]!);
  return values.sort();
}

/** Type-7 quantile cut points at k/bins of the customers' recency days, frequencies and monetary values. */
export function rfmCutPoints(facts: readonly CustomerFacts[], bins: number): CutPoints {
  if (facts.length === 0) return { recency: [], frequency: [], monetary: [] };
  return {
    recency: cutPointsSorted(sortedValues(facts, (c) => c.recencyDays), bins),
    frequency: cutPointsSorted(sortedValues(facts, (c) => c.frequency), bins),
    monetary: cutPointsSorted(sortedValues(facts, (c) => c.monetary), bins),
  };
}

/**
 * Scores 1 … bins. F and M: 1 + the cut points strictly below the value. R: bins − the cut points strictly below the
 * recency days, so the most recent buyers score highest. Equal values always get equal scores.
 */
export function scoreCustomer(c: CustomerFacts, cuts: CutPoints, bins: number): Scores {
  return {
    r: bins - countBelow(cuts.recency, c.recencyDays),
    f: 1 + countBelow(cuts.frequency, c.frequency),
    m: 1 + countBelow(cuts.monetary, c.monetary),
  };
}

function inRange(score: number, range: SegmentRule['r']): boolean {
  return range === undefined || (score >= range[0] && score <= range[1]);
}

/** The first rule whose ranges hold all three scores, or undefined: `matchRule(rules, {r: 5, f: 5, m: 1})`. */
export function matchRule(rules: readonly SegmentRule[], s: Scores): SegmentRule | undefined {
  return rules.find((rule) => inRange(s.r, rule.r) && inRange(s.f, rule.f) && inRange(s.m, rule.m));
}

/** The named segment for a customer's scores: first matching rule, else the rule set's fallback. */
export function segmentName(ruleSet: RuleSet, s: Scores): string {
  return matchRule(ruleSet.rules, s)?.name ?? ruleSet.fallback;
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
