import type { EventWindows } from './events.js';
import type { DimensionScoring, FrequencyCount } from './presets.js';
import type { Day } from './types.js';

/** An inclusive range of scores, `[low, high]`. */
export type ScoreRange = readonly [number, number];

/** A named RFM segment: the scores it takes, per dimension; an absent dimension takes any score. */
export interface SegmentRule {
  readonly name: string;
  readonly r?: ScoreRange;
  readonly f?: ScoreRange;
  readonly m?: ScoreRange;
}

/** Ordered rules, first match wins; a customer no rule takes gets `fallback`. */
export interface RuleSet {
  readonly name: string;
  readonly bins: number;
  readonly rules: readonly SegmentRule[];
  readonly fallback: string;
}

/** The default grid over (R, F) for 5 bins: every one of the 25 cells falls to exactly one rule. */
export const DEFAULT_RULES: RuleSet = {
  name: 'default',
  bins: 5,
  fallback: 'others',
  rules: [
    { name: 'champions', r: [5, 5], f: [4, 5] },
    { name: 'loyal', r: [3, 4], f: [4, 5] },
    { name: 'potential_loyalist', r: [4, 5], f: [2, 3] },
    { name: 'new_customers', r: [5, 5], f: [1, 1] },
    { name: 'promising', r: [4, 4], f: [1, 1] },
    { name: 'need_attention', r: [3, 3], f: [3, 3] },
    { name: 'about_to_sleep', r: [3, 3], f: [1, 2] },
    { name: 'at_risk', r: [1, 2], f: [3, 4] },
    { name: 'cant_lose_them', r: [1, 2], f: [5, 5] },
    { name: 'hibernating', r: [1, 2], f: [1, 2] },
  ],
};

/** Lifecycle windows in days. */
export interface LifecycleWindows {
  /** new: one counted order, first order at most this many days before as-of. */
  readonly newDays: number;
  /** active: last order at most this many days before as-of; also where a reactivating order must lie. */
  readonly activeDays: number;
  /** churned: last order more than this many days before as-of; a gap longer than this before an order reactivates. */
  readonly churnDays: number;
  /** frequent: a counted order in each of the last `frequentPeriods` periods of `frequentPeriodDays` days. */
  readonly frequentPeriods: number;
  readonly frequentPeriodDays: number;
}

export const DEFAULT_WINDOWS: LifecycleWindows = {
  newDays: 30,
  activeDays: 90,
  churnDays: 180,
  frequentPeriods: 3,
  frequentPeriodDays: 30,
};

/** ABC cut-offs in percent of positive revenue: A below `a`, B below `b`, else C. */
export interface AbcCutoffs {
  readonly a: number;
  readonly b: number;
}

export const DEFAULT_ABC: AbcCutoffs = { a: 80, b: 95 };
export const DEFAULT_BINS = 5;

export interface SegmentParams {
  readonly asOf: Day;
  readonly bins: number;
  readonly rules: RuleSet;
  /** How each dimension is scored; quantiles on all three when absent. */
  readonly scoring?: DimensionScoring;
  /** What frequency counts: counted orders (net > 0, the default) or every order, refunds included (R rfm's rows). */
  readonly frequency?: FrequencyCount;
  readonly abc: AbcCutoffs;
  readonly windows: LifecycleWindows;
  /** Engagement, cart and visit windows, when events or profiles are read. */
  readonly events?: EventWindows;
}
