/**
 * Total orders over events. The fold must give the same summary for any arrival order, so every
 * "first" and "latest" is decided by these keys and never by position in the input; the event id
 * breaks the last tie.
 */
export type SortKey = ReadonlyArray<string | number>;

export function compareKeys(a: SortKey, b: SortKey): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y || x === undefined || y === undefined) continue;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

export function sortBy<T>(items: readonly T[], key: (item: T) => SortKey): T[] {
  return items
    .map((item) => ({ item, key: key(item) }))
    .sort((a, b) => compareKeys(a.key, b.key))
    .map(({ item }) => item);
}

/** JSON with object keys sorted, so two copies of one event compare equal however built. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}
