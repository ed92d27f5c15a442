import type { Day, OrderLine, OrderTable } from './types.js';

/**
 * Gathers order lines into orders: lines that share (customer, order id) are one order, whose day is the earliest line's
 * day and whose amount is the lines' sum. A line with an empty order id is an order of its own.
 */
export class OrderBook {
  private readonly customerIndex = new Map<string, number>();
  private readonly customerIds: string[] = [];
  private readonly orderIndex = new Map<string, number>();
  private readonly sharedOrderIndex = new Map<string, number>();
  private readonly orderCustomer: number[] = [];
  private readonly orderDay: number[] = [];
  private readonly orderAmount: number[] = [];
  private latest: Day | undefined;

  /** The latest day of any line added so far. */
  get latestDay(): Day | undefined {
    return this.latest;
  }

  add(line: OrderLine): void {
    let customer = this.customerIndex.get(line.customer);
    if (customer === undefined) {
      customer = this.customerIds.length;
      this.customerIndex.set(line.customer, customer);
      this.customerIds.push(line.customer);
    }
    if (this.latest === undefined || line.day > this.latest) this.latest = line.day;
    if (line.order !== '') {
      // Keyed by the order id alone, which nearly always belongs to one customer; an id that two customers share
      // goes to a second map keyed by both, so no composite string is built per line.
      let existing = this.orderIndex.get(line.order);
      if (existing !== undefined && this.orderCustomer[existing] !== customer) {
        existing = this.sharedOrderIndex.get(`${customer}\u0000${line.order}`);
        if (existing === undefined) this.sharedOrderIndex.set(`${customer}\u0000${line.order}`, this.orderCustomer.length);
      } else if (existing === undefined) {
        this.orderIndex.set(line.order, this.orderCustomer.length);
      }
      if (existing !== undefined) {
        this.orderAmount[existing] = this.orderAmount[existing]! + line.amount;
        if (line.day < this.orderDay[existing]!) this.orderDay[existing] = line.day;
        return;
      }
    }
    this.orderCustomer.push(customer);
    this.orderDay.push(line.day);
    this.orderAmount.push(line.amount);
  }

  /** The orders grouped by customer, customers in the order they were first seen. */
  toTable(): OrderTable {
    return groupOrders(this.customerIds, this.orderCustomer, this.orderDay, this.orderAmount);
  }
}

/** Groups parallel order columns by customer index (a stable counting sort) into an OrderTable. */
export function groupOrders(
  customerIds: readonly string[],
  orderCustomer: ArrayLike<number>,
  orderDay: ArrayLike<number>,
  orderAmount: ArrayLike<number>,
): OrderTable {
  const n = orderCustomer.length;
  const orderStart = new Int32Array(customerIds.length + 1);
  for (let i = 0; i < n; i++) orderStart[orderCustomer[i]! + 1]!++;
  for (let c = 0; c < customerIds.length; c++) orderStart[c + 1]! += orderStart[c]!;
  const next = orderStart.slice(0, customerIds.length);
  const days = new Int32Array(n);
  const amounts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const slot = next[orderCustomer[i]!]!++;
    days[slot] = orderDay[i]!;
    amounts[slot] = orderAmount[i]!;
  }
  return { customerIds, orderStart, orderDay: days, orderAmount: amounts };
}
