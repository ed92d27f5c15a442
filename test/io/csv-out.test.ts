import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDay } from '../../src/core/dates.js';
import { formatMoney, formatMoneyPer } from '../../src/core/money.js';
import { segmentOrders } from '../../src/core/segment.js';
import { CUSTOMER_COLUMNS, csvField, customerCells, customerLine, scoredLineWriter, textCell, writeCustomerLine } from '../../src/io/csv-out.js';
import { PARAMS, tableOf } from '../core/seven-customers.js';
import type { ScoredCustomer } from '../../src/core/types.js';

function customer(id: string, segment: string, monetary: number): ScoredCustomer {
  return {
    customerId: id,
    firstOrderDay: 19_000,
    lastOrderDay: 19_787,
    recencyDays: 3,
    frequency: 3,
    monetary,
    orderDays: [19_000, 19_500, 19_787],
    rScore: 5,
    fScore: 4,
    mScore: 1,
    rfmSegment: segment,
    abcClass: 'B',
    lifecycleState: 'frequent',
  };
}

describe('customerLine', () => {
  const customers = [
    customer('C1', 'Champions', 1_000_000),
    customer('Smith, "Jo"', 'Can\'t Lose, Them', -123_455),
    customer('=HYPERLINK("x")', '@risk', 5),
    customer('né\nwline', 'x', 0),
  ];

  it('is the customer cells joined, sanitised or not', () => {
    for (const text of [csvField, textCell(true), textCell(false)]) {
      for (const c of customers) expect(customerLine(c, text)).toBe(customerCells(c, text).join(','));
    }
  });

  it('has a cell for every column, in order', () => {
    expect(customerCells(customers[0]!)).toEqual(['C1', '2022-01-08', '2024-03-05', '3', '3', '100.00', '33.33', '5', '4', '1', '541', 'Champions', 'B', 'frequent']);
    expect(customerCells(customers[0]!)).toHaveLength(CUSTOMER_COLUMNS.length);
    expect(customerLine(customers[1]!)).toBe('"Smith, ""Jo""",2022-01-08,2024-03-05,3,3,-12.35,-4.12,5,4,1,541,"Can\'t Lose, Them",B,frequent');
    expect(customerLine(customers[2]!, textCell(true))).toMatch(/^"'=HYPERLINK\(""x""\)",.*,'@risk,B,frequent$/);
  });
});

describe('writeCustomerLine: the bytes of the line the core formatters give', () => {
  const money = fc.oneof(fc.integer({ min: -2_000_000, max: 2_000_000 }), fc.integer({ min: -(2 ** 52), max: 2 ** 52 }));
  const id = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('C0001', 'Ünïcødé ✓', '=1+1', 'a,"b"', '😀', 'line\nbreak', '-5', '+x', '@a', '\ttab', 'del\u007f', ' ~ ', ''));
  const customerArb = fc.record({
    customerId: id,
    firstOrderDay: fc.integer({ min: -30_000, max: 60_000 }),
    lastOrderDay: fc.integer({ min: -30_000, max: 60_000 }),
    recencyDays: fc.integer({ min: -5, max: 100_000 }),
    frequency: fc.integer({ min: 1, max: 10_000_000 }),
    monetary: money,
    orderDays: fc.constant([] as number[]),
    rScore: fc.integer({ min: 1, max: 10 }),
    fScore: fc.integer({ min: 1, max: 10 }),
    mScore: fc.integer({ min: 1, max: 10 }),
    rfmSegment: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('champions', "Can't Lose, Them", '@risk')),
    abcClass: fc.constantFrom('A' as const, 'B' as const, 'C' as const),
    lifecycleState: fc.constantFrom('new' as const, 'active' as const, 'churned' as const),
  });

  it('equals the cells formatDay, formatMoney, formatMoneyPer and String give, for any customer, in a buffer or not', () => {
    fc.assert(
      fc.property(customerArb, fc.boolean(), fc.nat(50), (c, sanitize, offset) => {
        const text = textCell(sanitize);
        const expected = [
          text(c.customerId),
          formatDay(c.firstOrderDay),
          formatDay(c.lastOrderDay),
          String(c.recencyDays),
          String(c.frequency),
          formatMoney(c.monetary),
          formatMoneyPer(c.monetary, c.frequency),
          String(c.rScore),
          String(c.fScore),
          String(c.mScore),
          `${c.rScore}${c.fScore}${c.mScore}`,
          text(c.rfmSegment),
          c.abcClass,
          c.lifecycleState,
        ].join(',');
        expect(customerLine(c, text)).toBe(expected);
        const buf = Buffer.alloc(1024);
        const end = writeCustomerLine(buf, offset, c, text);
        expect(buf.toString('utf8', offset, end)).toBe(expected);
        expect(writeCustomerLine(Buffer.alloc(offset + 10), offset, c, text)).toBe(-1); // no room: nothing claimed
      }),
      { numRuns: 500 },
    );
  });
});

describe('scoredLineWriter: customerLine of each scored customer, read from the scoring\'s columns', () => {
  const id = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('C0001', 'Ünï', '=1+1', 'a,"b"', '😀', 'x\ny', '-5', '@a', ''));
  const order = fc.tuple(fc.integer({ min: 19_000, max: 19_900 }), fc.integer({ min: -5_000_000, max: 90_000_000 }));
  const orders = fc.dictionary(id, fc.array(order, { minLength: 1, maxLength: 5 }), { maxKeys: 40 });

  it('writes every line as customerLine does, sanitised or not, with the rule set\'s names or not', () => {
    fc.assert(
      fc.property(orders, fc.boolean(), fc.constantFrom(5, 3), (byId, sanitize, bins) => {
        const result = segmentOrders(tableOf(byId), { ...PARAMS, bins });
        const text = textCell(sanitize);
        const write = scoredLineWriter(text, result.scored);
        const buf = Buffer.alloc(4096);
        for (let i = 0; i < result.count; i++) {
          const end = write(buf, 7, i);
          expect(buf.toString('utf8', 7, end)).toBe(customerLine(result.customerAt(i), text));
          expect(write(Buffer.alloc(60), 7, i)).toBe(-1);
        }
      }),
      { numRuns: 200 },
    );
  });
});
