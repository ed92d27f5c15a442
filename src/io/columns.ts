import { UsageError } from '../errors.js';

export type OrderRole = 'customer' | 'order' | 'date' | 'amount' | 'quantity' | 'price';

/**
 * Header names each role answers to, best first, compared after `normalizeName`. The first name in the list that any
 * column matches wins; two columns matching that same name is ambiguous.
 */
export const ORDER_COLUMN_NAMES: Readonly<Record<OrderRole, readonly string[]>> = {
  customer: ['customerid', 'customer', 'clientid', 'client', 'customernumber', 'customerno', 'userid', 'buyerid', 'email', 'customeremail', 'emailaddress'],
  order: ['orderid', 'invoiceno', 'invoice', 'invoiceid', 'invoicenumber', 'ordernumber', 'orderno', 'order', 'name', 'transactionid'],
  date: ['orderdate', 'invoicedate', 'date', 'createdat', 'orderedat', 'purchasedate', 'transactiondate', 'timestamp', 'processedat', 'paidat'],
  amount: ['amount', 'total', 'revenue', 'sales', 'ordertotal', 'totalprice', 'grandtotal', 'value', 'totalamount', 'netsales'],
  quantity: ['quantity', 'qty', 'units', 'lineitemquantity'],
  price: ['unitprice', 'price', 'itemprice', 'lineitemprice'],
};

export const ROLE_FLAGS: Readonly<Record<OrderRole, string>> = {
  customer: '--customer-col',
  order: '--order-col',
  date: '--date-col',
  amount: '--amount-col',
  quantity: '--quantity-col',
  price: '--price-col',
};

/** Case, spaces, underscores and hyphens do not matter: `normalizeName(' Customer_ID ')` → `'customerid'`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** Which column holds what. `order` is absent when every row is an order; amount, or quantity × price, is always there. */
export interface OrderColumns {
  readonly customer: number;
  readonly order?: number;
  readonly date: number;
  readonly amount?: number;
  readonly quantity?: number;
  readonly price?: number;
}

export type ColumnOverrides = Partial<Record<OrderRole, string>>;

function listHeader(header: readonly string[]): string {
  return header.map((h) => JSON.stringify(h)).join(', ');
}

/** How one column is found: the names it answers to, best first, and the flag that names it instead. */
export interface ColumnSpec {
  readonly what: string;
  readonly names: readonly string[];
  readonly flag: string;
}

function findExplicit(header: readonly string[], spec: ColumnSpec, name: string): number {
  let index = header.indexOf(name);
  if (index < 0) {
    const matches = header.flatMap((h, i) => (normalizeName(h) === normalizeName(name) ? [i] : []));
    if (matches.length === 1) index = matches[0]!;
  }
  if (index < 0) {
    throw new UsageError(`${spec.flag} ${JSON.stringify(name)}: no such column; the header is ${listHeader(header)}`);
  }
  return index;
}

function findByName(header: readonly string[], spec: ColumnSpec): number | undefined {
  const normalized = header.map(normalizeName);
  for (const candidate of spec.names) {
    const matches = normalized.flatMap((h, i) => (h === candidate ? [i] : []));
    if (matches.length > 1) {
      const names = matches.map((i) => JSON.stringify(header[i])).join(' and ');
      throw new UsageError(
        `columns ${names} could both be the ${spec.what} column; pass ${spec.flag} NAME (the header is ${listHeader(header)})`,
      );
    }
    if (matches.length === 1) return matches[0];
  }
  return undefined;
}

/** The column the flag names (`override`), else the one found by name; undefined when there is none. */
export function findColumn(header: readonly string[], spec: ColumnSpec, override?: string): number | undefined {
  return override !== undefined ? findExplicit(header, spec, override) : findByName(header, spec);
}

/** Like findColumn, but a missing column is a UsageError naming the header and the flag to pass. */
export function requireColumn(header: readonly string[], spec: ColumnSpec, override?: string): number {
  const index = findColumn(header, spec, override);
  if (index === undefined) {
    throw new UsageError(`no ${spec.what} column found; pass ${spec.flag} NAME (the header is ${listHeader(header)})`);
  }
  return index;
}

/**
 * Finds each role's column from the header, or from the names given on the command line.
 * Throws a UsageError naming the header and the flag to pass when a required column is missing or ambiguous.
 */
export function findOrderColumns(header: readonly string[], overrides: ColumnOverrides = {}): OrderColumns {
  const spec = (role: OrderRole): ColumnSpec => ({ what: role === 'date' ? 'order date' : role, names: ORDER_COLUMN_NAMES[role], flag: ROLE_FLAGS[role] });
  const find = (role: OrderRole): number | undefined => findColumn(header, spec(role), overrides[role]);
  const customer = requireColumn(header, spec('customer'), overrides.customer);
  const date = requireColumn(header, spec('date'), overrides.date);
  const order = find('order');
  const explicitLines = overrides.quantity !== undefined || overrides.price !== undefined;
  const amount = explicitLines && overrides.amount === undefined ? undefined : find('amount');
  if (amount !== undefined) return { customer, order, date, amount };
  const quantity = find('quantity');
  const price = find('price');
  if (quantity === undefined || price === undefined) {
    const missing: OrderRole = quantity === undefined && price !== undefined ? 'quantity' : price === undefined && quantity !== undefined ? 'price' : 'amount';
    throw new UsageError(
      `no ${missing === 'amount' ? 'amount column (nor quantity and unit price)' : `${missing} column to go with the ${missing === 'price' ? 'quantity' : 'price'}`} found; ` +
        `pass ${ROLE_FLAGS[missing]} NAME (the header is ${listHeader(header)})`,
    );
  }
  return { customer, order, date, quantity, price };
}
