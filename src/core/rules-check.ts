import type { RuleSet } from './params.js';
import { ruleMatches } from './rfm.js';

/** A rule by its place in the rule set (0-based) and its name; names may repeat, places do not. */
export interface RuleRef {
  readonly index: number;
  readonly name: string;
}

export interface RuleCells extends RuleRef {
  /** Cells this rule wins: it is the first rule that matches them. */
  readonly cells: number;
  /** Cells this rule matches at all, won or not. */
  readonly matches: number;
}

/**
 * A rule that wins no cell, and why: its ranges hold no cell of 1 … bins at all (an empty or out-of-range bound), or
 * every cell it matches is won by earlier rules, listed in rule order.
 */
export type UnreachableRule = RuleRef &
  ({ readonly reason: 'matches-no-cell' } | { readonly reason: 'shadowed'; readonly by: readonly RuleRef[] });

/** Two rules that both match `cells` cells; the earlier one (`first`) wins them all. */
export interface RuleOverlap {
  readonly first: RuleRef;
  readonly second: RuleRef;
  readonly cells: number;
}

export interface RuleCheck {
  readonly bins: number;
  /** bins³. */
  readonly totalCells: number;
  /** Every rule, in rule order. */
  readonly rules: readonly RuleCells[];
  /** Rules that win no cell, in rule order. */
  readonly unreachable: readonly UnreachableRule[];
  /** Every pair of rules matching a common cell, ordered by the first rule's index, then the second's. */
  readonly overlaps: readonly RuleOverlap[];
  /** Cells no rule matches, which go to the fallback segment, and their share of all cells (0 … 1). */
  readonly fallback: { readonly name: string; readonly cells: number; readonly share: number };
}


/**
 * What a rule set does on every score cell (r, f, m) in 1 … bins, each cell counted once (cells, not customers: it
 * shows the shape of the rules before any data). First match wins, as in `segmentName`.
 *
 * For the default rules (5 bins, only R and F bounded) every rule wins 5·k cells, none is unreachable, none overlaps,
 * and the fallback gets 0 cells: `checkRules(DEFAULT_RULES).fallback` → `{ name: 'others', cells: 0, share: 0 }`.
 */
export function checkRules(ruleSet: RuleSet): RuleCheck {
  const { bins, rules } = ruleSet;
  const n = rules.length;
  const won = new Array<number>(n).fill(0);
  const matched = new Array<number>(n).fill(0);
  /** pair[i·n + j], i < j: cells both match. */
  const pair = new Array<number>(n * n).fill(0);
  /** shadow[i·n + j]: cells rule j matches that the earlier rule i wins. */
  const shadow = new Array<number>(n * n).fill(0);
  let fallbackCells = 0;

  for (let r = 1; r <= bins; r++) {
    for (let f = 1; f <= bins; f++) {
      for (let m = 1; m <= bins; m++) {
        const hits: number[] = [];
        for (let i = 0; i < n; i++) if (ruleMatches(rules[i]!, { r, f, m })) hits.push(i);
        const first = hits[0];
        if (first === undefined) {
          fallbackCells++;
          continue;
        }
        won[first]!++;
        for (let a = 0; a < hits.length; a++) {
          const i = hits[a]!;
          matched[i]!++;
          for (let b = a + 1; b < hits.length; b++) pair[i * n + hits[b]!]!++;
          if (i !== first) shadow[first * n + i]!++;
        }
      }
    }
  }

  const ref = (i: number): RuleRef => ({ index: i, name: rules[i]!.name });
  const cells = rules.map((rule, i): RuleCells => ({ ...ref(i), cells: won[i]!, matches: matched[i]! }));
  const unreachable: UnreachableRule[] = [];
  for (let j = 0; j < n; j++) {
    if (won[j]! > 0) continue;
    if (matched[j] === 0) unreachable.push({ ...ref(j), reason: 'matches-no-cell' });
    else {
      const by: RuleRef[] = [];
      for (let i = 0; i < j; i++) if (shadow[i * n + j]! > 0) by.push(ref(i));
      unreachable.push({ ...ref(j), reason: 'shadowed', by });
    }
  }
  const overlaps: RuleOverlap[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const count = pair[i * n + j]!;
      if (count > 0) overlaps.push({ first: ref(i), second: ref(j), cells: count });
    }
  }
  const totalCells = bins ** 3;
  return {
    bins,
    totalCells,
    rules: cells,
    unreachable,
    overlaps,
    fallback: { name: ruleSet.fallback, cells: fallbackCells, share: totalCells === 0 ? 0 : fallbackCells / totalCells },
  };
}
