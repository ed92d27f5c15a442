import { DEFAULT_RULES, type RuleSet } from './params.js';
import type { ScoringSpec } from './scoring.js';
import { MONEY_SCALE } from './types.js';

/** How each dimension is scored; the number of bins is the rule set's. */
export interface DimensionScoring {
  readonly recency: ScoringSpec;
  readonly frequency: ScoringSpec;
  readonly monetary: ScoringSpec;
}

/**
 * What "frequency" counts. `orders`: rfmkit's counted orders (lines sharing customer and order id, net amount > 0).
 * `rows`: every input row of the customer, as R rfm's `transaction_count = dplyr::n()` (it also sums every row's revenue
 * and takes the latest row's date, refunds included).
 */
export type FrequencyCount = 'orders' | 'rows';

/** A named way to segment: rules plus the scoring they were written for. */
export interface Preset {
  readonly name: string;
  readonly description: string;
  readonly rules: RuleSet;
  readonly scoring: DimensionScoring;
  readonly frequency: FrequencyCount;
}

const QUANTILE: ScoringSpec = { kind: 'quantile' };

/**
 * R rfm 0.3.0's default segments, in its order (README and vignette of rsquaredacademy/rfm, commit f7350a3; the same
 * ranges are the example in its `R/rfm-segment.R`). Bounds inclusive, first match wins, no match → "Others".
 * The names are the package's, apostrophe included.
 */
export const RFM_R_RULES: RuleSet = {
  name: 'rfm-r',
  bins: 5,
  fallback: 'Others',
  rules: [
    { name: 'Champions', r: [5, 5], f: [5, 5], m: [5, 5] },
    { name: 'Potential Loyalist', r: [3, 5], f: [3, 5], m: [2, 5] },
    { name: 'Loyal Customers', r: [2, 4], f: [2, 4], m: [2, 4] },
    { name: 'Promising', r: [3, 4], f: [1, 3], m: [3, 5] },
    { name: 'New Customers', r: [4, 5], f: [1, 3], m: [1, 5] },
    { name: "Can't Lose Them", r: [1, 2], f: [3, 4], m: [4, 5] },
    { name: 'At Risk', r: [1, 2], f: [2, 5], m: [4, 5] },
    { name: 'Need Attention', r: [1, 3], f: [3, 5], m: [3, 5] },
    { name: 'About To Sleep', r: [2, 3], f: [1, 3], m: [1, 4] },
    { name: 'Lost', r: [1, 1], f: [1, 5], m: [1, 5] },
  ],
};

/**
 * Every preset by name. `default` is rfmkit's own grid (params.ts) on its quantile scores; `rfm-r` reproduces
 * `rfm_table_order` + `rfm_segment` of the R package rfm 0.3.0: its binning on all three dimensions (monetary in Money,
 * so R's "+ 1" is one currency unit) and frequency as rows.
 */
export const PRESETS = {
  default: {
    name: 'default',
    description: "rfmkit's (R, F) grid on type-7 quantile scores",
    rules: DEFAULT_RULES,
    scoring: { recency: QUANTILE, frequency: QUANTILE, monetary: QUANTILE },
    frequency: 'orders',
  },
  'rfm-r': {
    name: 'rfm-r',
    description: 'the R package rfm 0.3.0: its default segments on its own binning, frequency as rows',
    rules: RFM_R_RULES,
    scoring: {
      recency: { kind: 'rfm-r' },
      frequency: { kind: 'rfm-r' },
      monetary: { kind: 'rfm-r', unit: MONEY_SCALE },
    },
    frequency: 'rows',
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;

/** Preset names in a fixed order, for help texts and errors. */
export const PRESET_NAMES: readonly PresetName[] = ['default', 'rfm-r'];

/** `isPresetName('rfm-r')` → true; for checking a user's `--preset` before indexing PRESETS. */
export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
