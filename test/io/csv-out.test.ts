import { describe, expect, it } from 'vitest';
import { CUSTOMER_COLUMNS, csvField, customerCells, customerLine, textCell } from '../../src/io/csv-out.js';
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
