import { describe, expect, it } from 'vitest';
import { formatCents, formatMoney, formatMoneyPer, moneyToNumber, multiplyMoney, roundDiv } from '../../src/core/money.js';
import { MONEY_SCALE } from '../../src/core/types.js';

// Money is an integer count of 1/10 000 currency units; it is written with 2 decimals, half away from zero.

describe('MONEY_SCALE', () => {
  it('is 10 000 money units per currency unit', () => expect(MONEY_SCALE).toBe(10_000));
});

describe('roundDiv: integer division, half away from zero', () => {
  it.each([
    [5, 2, 3], //     2.5   → 3 (half, away from zero)
    [-5, 2, -3], //  −2.5   → −3 (half, away from zero, not towards +∞)
    [7, 2, 4], //     3.5   → 4
    [4, 2, 2], //     2     exact
    [1, 3, 0], //     0.333 → 0
    [2, 3, 1], //     0.667 → 1
    [-2, 3, -1], //  −0.667 → −1
    [149, 100, 1], // 1.49  → 1
    [150, 100, 2], // 1.5   → 2
    [-149, 100, -1], // −1.49 → −1
    [-150, 100, -2], // −1.5  → −2
    [0, 7, 0], //     0
  ])('roundDiv(%i, %i) → %i', (n, d, expected) => expect(roundDiv(n, d)).toBe(expected));
});

describe('formatCents', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'], //        one digit of cents is zero-padded
    [10, '0.10'],
    [100, '1.00'],
    [-5, '-0.05'], //      the sign survives a zero unit part
    [-1234, '-12.34'], //  docstring example
    [123_456_789, '1234567.89'],
  ])('formatCents(%i) → %s', (cents, expected) => expect(formatCents(cents)).toBe(expected));
});

describe('formatMoney: 2 decimals, half away from zero', () => {
  it.each([
    [0, '0.00'],
    [10_000, '1.00'], //    1 currency unit
    [5, '0.00'], //         0.0005 = 0.05 cent → 0 cents
    [123_449, '12.34'], //  12.3449 = 1234.49 cents → 1234
    [123_450, '12.35'], //  12.3450 = 1234.5 cents  → 1235 (half, up)
    [123_455, '12.35'], //  docstring example: 1234.55 cents → 1235
    [-123_449, '-12.34'], // −1234.49 cents → −1234
    [-123_450, '-12.35'], // −1234.5 cents  → −1235 (half, away from zero; half-up would give −12.34)
    [-49, '0.00'], //       −0.49 cent → 0: no "-0.00"
    [-50, '-0.01'], //      −0.5 cent → −1 cent
  ])('formatMoney(%i) → %s', (value, expected) => expect(formatMoney(value)).toBe(expected));
});

describe('formatMoneyPer: money ÷ count, rounded once', () => {
  it.each([
    [100_000, 3, '3.33'], // docstring: 10 / 3 = 3.333…
    [50_000, 4, '1.25'], //  5 / 4 exact
    [300, 2, '0.02'], //     0.03 / 2 = 0.015 = 1.5 cents → 2 (half away from zero)
    [-300, 2, '-0.02'], //   −1.5 cents → −2
    [2_990, 20, '0.01'], //  2990 / 2000 = 1.495 cents → 1; rounding 2990/20 = 149.5 → 150 first would give 0.02
    [0, 9, '0.00'],
  ])('formatMoneyPer(%i, %i) → %s', (value, count, expected) => expect(formatMoneyPer(value, count)).toBe(expected));
});

describe('moneyToNumber', () => {
  it.each([
    [123_456, 12.3456], // docstring example
    [10_000, 1],
    [-5, -0.0005],
    [0, 0],
  ])('moneyToNumber(%i) → %d', (value, expected) => expect(moneyToNumber(value)).toBe(expected));
});

describe('multiplyMoney: (a × b) / 10 000, half away from zero', () => {
  it.each([
    [60_000, 25_500, 153_000], //     docstring: 6 × 2.55 = 15.30
    [10_000, 10_000, 10_000], //      1 × 1 = 1
    [5, 5_000, 3], //                 0.0005 × 0.5 = 0.00025 = 2.5 units → 3
    [-5, 5_000, -3], //               −2.5 units → −3
    [1, 4_999, 0], //                 0.4999 units → 0
    [0, 123_456, 0],
    // a × b above 2^53, so the exact BigInt path runs: (10^13 + 1) × 3 units; × 0.5 = 5·10^12 + 0.5 → away from zero;
    // × 0.4997 = 4 997 000 000 000.4997 → down (plain float arithmetic gives …001 here)
    [10_000_000_000_001, 4_997, 4_997_000_000_000],
    [10_000_000_000_001, 30_000, 30_000_000_000_003],
    [10_000_000_000_001, 5_000, 5_000_000_000_001],
    [-10_000_000_000_001, 5_000, -5_000_000_000_001],
  ])('multiplyMoney(%i, %i) → %i', (a, b, expected) => expect(multiplyMoney(a, b)).toBe(expected));
});
