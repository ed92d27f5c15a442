import { MONEY_SCALE, type Money } from './types.js';

/** Integer division rounded half away from zero: `roundDiv(-5, 2)` → −3. Both arguments integers, divisor > 0. */
export function roundDiv(numerator: number, divisor: number): number {
  const q = Math.floor((2 * Math.abs(numerator) + divisor) / (2 * divisor));
  return numerator < 0 ? -q : q;
}

/** Cents as text with two decimals: `formatCents(-1234)` → `'-12.34'`. */
export function formatCents(cents: number): string {
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100);
  const rest = abs - units * 100;
  return `${cents < 0 ? '-' : ''}${units}.${rest < 10 ? '0' : ''}${rest}`;
}

/** Money written with two decimals, half away from zero: `formatMoney(123_455)` → `'12.35'`. */
export function formatMoney(value: Money): string {
  return formatCents(roundDiv(value, MONEY_SCALE / 100));
}

/** Money divided by a positive count, written with two decimals, exact: `formatMoneyPer(100_000, 3)` → `'3.33'`. */
export function formatMoneyPer(value: Money, count: number): string {
  return formatCents(roundDiv(value, (MONEY_SCALE / 100) * count));
}

/** Money as a plain number of currency units, for summaries: `moneyToNumber(123_456)` → 12.3456. */
export function moneyToNumber(value: Money): number {
  return value / MONEY_SCALE;
}

/**
 * Product of two money-scaled values (quantity × unit price), rounded half away from zero to the money scale.
 * `multiplyMoney(60_000, 25_500)` (6 × 2.55) → 153_000 (15.30). Falls back to BigInt when the raw product is not exact.
 */
export function multiplyMoney(a: Money, b: Money): Money {
  const product = a * b;
  if (Number.isSafeInteger(product)) return roundDiv(product, MONEY_SCALE);
  const big = BigInt(a) * BigInt(b);
  const scale = BigInt(MONEY_SCALE);
  const abs = big < 0n ? -big : big;
  const q = (2n * abs + scale) / (2n * scale);
  return Number(big < 0n ? -q : q);
}
