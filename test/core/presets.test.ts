import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, type RuleSet, type ScoreRange } from '../../src/core/params.js';
import { isPresetName, PRESET_NAMES, PRESETS, RFM_R_RULES } from '../../src/core/presets.js';
import { segmentName } from '../../src/core/rfm.js';
import { scoreDimension } from '../../src/core/scoring.js';
import { MONEY_SCALE } from '../../src/core/types.js';

// Reference data: the R package rfm's sample orders, converted to CSV (see ../shared/data/rfm-r/README.md).
const DATA = fileURLToPath(new URL('../../../shared/data/rfm-r/rfm_data_orders.csv', import.meta.url));
const ANALYSIS_DATE = '2006-12-31';

/** Day number of an ISO date (days since 1970-01-01). */
const dayOf = (iso: string): number => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000;

/**
 * Fields of one CSV line, RFC 4180 quoting. The file has no quoted field (names such as Abbey O'Reilly hold an
 * apostrophe, not a comma), but a reader that splits on commas alone would silently break if one were added.
 */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      for (i++; i < line.length; i++) {
        if (line[i] === '"' && line[i + 1] === '"') (field += '"'), i++;
        else if (line[i] === '"') break;
        else field += line[i];
      }
      i++; // the closing quote
    } else {
      const comma = line.indexOf(',', i);
      field = line.slice(i, comma < 0 ? line.length : comma);
      i = comma < 0 ? line.length : comma;
    }
    fields.push(field);
    if (line[i] !== ',') return fields;
    i++;
  }
}

/** One row per customer, as R rfm's rfm_table_order builds it: latest date, rows counted, revenue summed. */
interface RCustomer {
  readonly id: string;
  readonly recencyDays: number;
  readonly transactionCount: number;
  readonly amount: number;
}

function rfmTableOrder(csv: string, analysisDate: string): RCustomer[] {
  const [header, ...lines] = csv.split(/\r?\n/).filter((l) => l !== '');
  expect(header).toBe('customer_id,order_date,revenue,first_name,last_name,email');
  const byId = new Map<string, { last: number; count: number; amount: number }>();
  for (const line of lines) {
    const fields = csvFields(line);
    expect(fields, line).toHaveLength(6);
    const [id, date, revenue] = fields as [string, string, string];
    const c = byId.get(id) ?? { last: -Infinity, count: 0, amount: 0 };
    c.last = Math.max(c.last, dayOf(date));
    c.count++;
    c.amount += Number(revenue);
    byId.set(id, c);
  }
  const asOf = dayOf(analysisDate);
  return [...byId].map(([id, c]) => ({ id, recencyDays: asOf - c.last, transactionCount: c.count, amount: c.amount }));
}

/** Scores with the rfm-r preset's scoring; monetary goes in as Money, as rfmkit holds it. */
function scoreWithPreset(customers: readonly RCustomer[]) {
  const { scoring, rules } = PRESETS['rfm-r'];
  const r = scoreDimension(customers.map((c) => c.recencyDays), scoring.recency, rules.bins, 'lower-is-better').scores;
  const f = scoreDimension(customers.map((c) => c.transactionCount), scoring.frequency, rules.bins, 'higher-is-better').scores;
  const m = scoreDimension(customers.map((c) => c.amount * MONEY_SCALE), scoring.monetary, rules.bins, 'higher-is-better').scores;
  return customers.map((c, i) => ({ ...c, r: r[i]!, f: f[i]!, m: m[i]! }));
}

/** rfm_segment_summary: customers, orders (Σ transaction_count) and revenue (Σ amount) per segment. */
function segmentSummary(scored: ReturnType<typeof scoreWithPreset>, rules: RuleSet): Map<string, [number, number, number]> {
  const summary = new Map<string, [number, number, number]>();
  for (const c of scored) {
    const name = segmentName(rules, c);
    const row = summary.get(name) ?? [0, 0, 0];
    summary.set(name, [row[0] + 1, row[1] + c.transactionCount, row[2] + c.amount]);
  }
  return summary;
}

const customers = rfmTableOrder(readFileSync(DATA, 'utf8'), ANALYSIS_DATE);
const scored = scoreWithPreset(customers);
const byId = new Map(scored.map((c) => [c.id, c]));

describe('the inline reader', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['"x, y",b', ['x, y', 'b']],
    ['"say ""hi""",', ['say "hi"', '']],
    ["Abbey O'Reilly,2006-06-09,20", ["Abbey O'Reilly", '2006-06-09', '20']],
  ])('csvFields(%j) → %j', (line, fields) => expect(csvFields(line)).toEqual(fields));

  it('finds the 995 customers of 4,906 orders the data README states', () => {
    expect(customers).toHaveLength(995);
    expect(customers.reduce((n, c) => n + c.transactionCount, 0)).toBe(4906);
  });
});

describe("the rfm-r preset reproduces R rfm's published rfm_table_order (analysis date 2006-12-31)", () => {
  // Source: the package's vignette, docs/articles/rfm-introduction.html in rsquaredacademy/rfm (commit 80dda40), which
  // prints the first ten customers of rfm_table_order(rfm_data_orders, …, as.Date("2006-12-31")). Abbey O'Reilly's row
  // is also in ../shared/data/rfm-r/README.md. [customer, recency_days, transaction_count, amount, R, F, M]
  it.each([
    ["Abbey O'Reilly", 205, 6, 472, 3, 4, 3],
    ['Add Senger', 140, 3, 340, 4, 1, 2],
    ['Aden Lesch', 194, 4, 405, 3, 2, 3],
    ['Aden Murphy', 98, 7, 596, 5, 4, 4],
    ['Admiral Senger', 132, 5, 448, 4, 3, 3],
    ["Agness O'Keefe", 90, 9, 843, 5, 5, 5],
    ['Aileen Barton', 84, 9, 763, 5, 5, 5],
    ['Ailene Hermann', 281, 8, 699, 3, 5, 5],
    ['Aiyanna Bruen', 246, 4, 157, 3, 2, 1],
    ['Akeelah Walsh', 160, 7, 779, 4, 4, 5],
  ])('%s: %i days, %i orders, amount %i → R%i F%i M%i', (id, recencyDays, transactionCount, amount, r, f, m) =>
    expect(byId.get(id)).toEqual({ id, recencyDays, transactionCount, amount, r, f, m }),
  );

  it("uses R's cut points: the quantiles plus 1, in currency for monetary", () => {
    // The same numbers are the custom thresholds in the package's own rfm_table_order example
    // (recency_bins = c(115, 181, 297, 482), frequency_bins = c(4, 5, 6, 8), monetary_bins = c(256, 382, 506, 666)),
    // rounded there; R/rfm-table-transaction.R in rsquaredacademy/rfm.
    const { scoring } = PRESETS['rfm-r'];
    const cuts = [
      scoreDimension(customers.map((c) => c.recencyDays), scoring.recency, 5, 'lower-is-better').cuts,
      scoreDimension(customers.map((c) => c.transactionCount), scoring.frequency, 5, 'higher-is-better').cuts,
      scoreDimension(customers.map((c) => c.amount * MONEY_SCALE), scoring.monetary, 5, 'higher-is-better').cuts,
    ];
    expect(cuts.map((dim) => dim.map((c) => Math.round(c * 10) / 10))).toEqual([
      [115, 181, 297.4, 482],
      [4, 5, 6, 8],
      [255.8, 382, 506.4, 666],
    ]);
  });
});

describe("the rfm-r preset's rules reproduce R rfm 0.3.0's published segment summary", () => {
  // Source: the same vignette (docs/articles/rfm-introduction.html, commit 80dda40): rfm_segment with the 0.3.0 default
  // ranges, then rfm_segment_summary. Every customer falls in one of the ten; none is "Others".
  // [segment, customers, orders, revenue]
  const summary = segmentSummary(scored, PRESETS['rfm-r'].rules);
  it.each([
    ['About To Sleep', 102, 283, 23_449],
    ['At Risk', 28, 216, 22_227],
    ["Can't Lose Them", 47, 274, 32_446],
    ['Champions', 35, 316, 31_646],
    ['Lost', 148, 393, 35_324],
    ['Loyal Customers', 170, 799, 76_562],
    ['Need Attention', 10, 57, 4_562],
    ['New Customers', 104, 329, 28_837],
    ['Potential Loyalist', 342, 2_211, 204_856],
    ['Promising', 9, 28, 4_249],
  ])('%s: %i customers, %i orders, revenue %i', (segment, ...row) => expect(summary.get(segment)).toEqual(row));

  it('has no other segment', () => expect(summary.size).toBe(10));

  // The vignette's segmented table, first ten customers
  it.each([
    ["Abbey O'Reilly", 'Potential Loyalist'],
    ['Add Senger', 'New Customers'],
    ['Aden Lesch', 'Loyal Customers'],
    ['Aden Murphy', 'Potential Loyalist'],
    ['Admiral Senger', 'Potential Loyalist'],
    ["Agness O'Keefe", 'Champions'],
    ['Aileen Barton', 'Champions'],
    ['Ailene Hermann', 'Potential Loyalist'],
    ['Aiyanna Bruen', 'About To Sleep'],
    ['Akeelah Walsh', 'Potential Loyalist'],
  ])('%s → %s', (id, segment) => expect(segmentName(PRESETS['rfm-r'].rules, byId.get(id)!)).toBe(segment));
});

describe("the package's test-rfm-segment rules reproduce its expected Champions (tests/testthat/test-rfm-segment.R)", () => {
  // The README's table of those ranges, in order, first match wins, no match → "Others".
  const r = (lo: number, hi: number): ScoreRange => [lo, hi];
  const TEST_RULES: RuleSet = {
    name: 'test-rfm-segment',
    bins: 5,
    fallback: 'Others',
    rules: [
      { name: 'Champions', r: r(4, 5), f: r(4, 5), m: r(4, 5) },
      { name: 'Loyal Customers', r: r(2, 5), f: r(3, 5), m: r(3, 5) },
      { name: 'Potential Loyalist', r: r(3, 5), f: r(1, 3), m: r(1, 3) },
      { name: 'New Customers', r: r(4, 5), f: r(1, 1), m: r(1, 1) },
      { name: 'Promising', r: r(3, 4), f: r(1, 1), m: r(1, 1) },
      { name: 'Need Attention', r: r(2, 3), f: r(2, 3), m: r(2, 3) },
      { name: 'About To Sleep', r: r(2, 3), f: r(1, 2), m: r(1, 2) },
      { name: 'At Risk', r: r(1, 2), f: r(2, 5), m: r(2, 5) },
      { name: "Can't Lose Them", r: r(1, 1), f: r(4, 5), m: r(4, 5) },
      { name: 'Lost', r: r(1, 2), f: r(1, 2), m: r(1, 2) },
    ],
  };

  it('Champions: 158 customers, 1,234 orders, revenue 120,178', () =>
    expect(segmentSummary(scored, TEST_RULES).get('Champions')).toEqual([158, 1_234, 120_178]));

  // The test's expected first ten rows. Its customer names carry suffixes this CSV does not ("Abbey O'Reilly DVM",
  // "Aden Lesch Sr.", "Aiyanna Bruen PhD", "Ala Schmidt DDS"), and its list skips Aden Murphy and Akeelah Walsh, so the
  // data it ran on differed in names; the customers below are matched by name without the suffix.
  it.each([
    ["Abbey O'Reilly", 'Loyal Customers'],
    ['Add Senger', 'Potential Loyalist'],
    ['Aden Lesch', 'Potential Loyalist'],
    ['Admiral Senger', 'Loyal Customers'],
    ["Agness O'Keefe", 'Champions'],
    ['Aileen Barton', 'Champions'],
    ['Ailene Hermann', 'Loyal Customers'],
    ['Aiyanna Bruen', 'Potential Loyalist'],
    ['Ala Schmidt', 'About To Sleep'],
    ['Alannah Borer', 'Lost'],
  ])('%s → %s', (id, segment) => expect(segmentName(TEST_RULES, byId.get(id)!)).toBe(segment));
});

describe('PRESETS', () => {
  it('default is rfmkit’s own rules on quantile scores, frequency as orders', () => {
    expect(PRESETS.default.rules).toBe(DEFAULT_RULES);
    expect(PRESETS.default.scoring).toEqual({ recency: { kind: 'quantile' }, frequency: { kind: 'quantile' }, monetary: { kind: 'quantile' } });
    expect(PRESETS.default.frequency).toBe('orders');
  });

  it("rfm-r has R's binning on all three dimensions, frequency as rows, fallback Others", () => {
    expect(PRESETS['rfm-r'].scoring).toEqual({
      recency: { kind: 'rfm-r' },
      frequency: { kind: 'rfm-r' },
      monetary: { kind: 'rfm-r', unit: MONEY_SCALE },
    });
    expect(PRESETS['rfm-r'].frequency).toBe('rows');
    expect(RFM_R_RULES.fallback).toBe('Others');
  });

  // The 0.3.0 default ranges as ../shared/data/rfm-r/README.md lists them, in order: [place, segment, R, F, M]
  it.each([
    [0, 'Champions', [5, 5], [5, 5], [5, 5]],
    [1, 'Potential Loyalist', [3, 5], [3, 5], [2, 5]],
    [2, 'Loyal Customers', [2, 4], [2, 4], [2, 4]],
    [3, 'Promising', [3, 4], [1, 3], [3, 5]],
    [4, 'New Customers', [4, 5], [1, 3], [1, 5]],
    [5, "Can't Lose Them", [1, 2], [3, 4], [4, 5]],
    [6, 'At Risk', [1, 2], [2, 5], [4, 5]],
    [7, 'Need Attention', [1, 3], [3, 5], [3, 5]],
    [8, 'About To Sleep', [2, 3], [1, 3], [1, 4]],
    [9, 'Lost', [1, 1], [1, 5], [1, 5]],
  ])('rule %i: %s R %j F %j M %j', (index, name, r, f, m) => expect(RFM_R_RULES.rules[index]).toEqual({ name, r, f, m }));

  it('has those ten rules and no more', () => expect(RFM_R_RULES.rules).toHaveLength(10));

  it('lists its names, and PRESET_NAMES and isPresetName agree with it', () => {
    expect([...PRESET_NAMES].sort()).toEqual(Object.keys(PRESETS).sort());
    expect(PRESET_NAMES.every(isPresetName)).toBe(true);
    expect(['', 'RFM-R', 'toString', '__proto__'].some(isPresetName)).toBe(false);
  });
});
