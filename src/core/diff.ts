/** A dimension compared between two runs: its name (folder) and the customers.csv column that holds it. */
export interface DiffDimension {
  readonly name: string;
  readonly column: string;
}

export const DIFF_DIMENSIONS: readonly DiffDimension[] = [
  { name: 'rfm', column: 'rfm_segment' },
  { name: 'abc', column: 'abc_class' },
  { name: 'lifecycle', column: 'lifecycle_state' },
  { name: 'engagement', column: 'engagement' },
];

/** A run's people by customer id, each with the values of the compared columns ('' for none). */
export type RunValues = ReadonlyMap<string, Readonly<Record<string, string>>>;

/** One person's move along one dimension; `from` is '' for someone new, `to` is '' for someone gone. */
export interface Change {
  readonly customerId: string;
  readonly dimension: string;
  readonly from: string;
  readonly to: string;
}

export interface DimensionDiff {
  /** Every (from, to) pair with its count, the unchanged included; '' stands for "not in that run". */
  readonly matrix: readonly { readonly from: string; readonly to: string; readonly customers: number }[];
  /** Per segment, the ids that moved into it / out of it, sorted. */
  readonly entered: ReadonlyMap<string, readonly string[]>;
  readonly exited: ReadonlyMap<string, readonly string[]>;
}

export interface RunDiff {
  /** Sorted by customer id, then in dimension order. */
  readonly changes: readonly Change[];
  readonly dimensions: ReadonlyMap<string, DimensionDiff>;
}

function push(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

/**
 * What changed between two runs along each dimension. A person in only one run moves from or to ''.
 * `diffRuns(new Map([['a', {rfm_segment: 'loyal'}]]), new Map([['a', {rfm_segment: 'at_risk'}]]), [rfm])` has one change,
 * a loyal → at_risk cell of 1, `a` entered at_risk and exited loyal.
 */
export function diffRuns(before: RunValues, after: RunValues, dimensions: readonly DiffDimension[]): RunDiff {
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: Change[] = [];
  const result = new Map<string, DimensionDiff>();
  const state = dimensions.map(() => ({ cells: new Map<string, number>(), entered: new Map<string, string[]>(), exited: new Map<string, string[]>() }));
  for (const id of ids) {
    const b = before.get(id);
    const a = after.get(id);
    dimensions.forEach((d, i) => {
      const from = b?.[d.column] ?? '';
      const to = a?.[d.column] ?? '';
      const s = state[i]!;
      const cell = `${from}\u0000${to}`;
      s.cells.set(cell, (s.cells.get(cell) ?? 0) + 1);
      if (from === to) return;
      changes.push({ customerId: id, dimension: d.name, from, to });
      if (to !== '') push(s.entered, to, id);
      if (from !== '') push(s.exited, from, id);
    });
  }
  dimensions.forEach((d, i) => {
    const s = state[i]!;
    const matrix = [...s.cells]
      .map(([cell, customers]) => {
        const [from, to] = cell.split('\u0000') as [string, string];
        return { from, to, customers };
      })
      .sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : x.to < y.to ? -1 : x.to > y.to ? 1 : 0));
    result.set(d.name, { matrix, entered: s.entered, exited: s.exited });
  });
  return { changes, dimensions: result };
}

/** Parameters that make two runs comparable; a difference in any of them is named, as "bins: 5 → 4". */
export function settingDifferences(before: unknown, after: unknown, path = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => settingDifferences(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return [`${path}: ${JSON.stringify(before) ?? 'none'} → ${JSON.stringify(after) ?? 'none'}`];
}
