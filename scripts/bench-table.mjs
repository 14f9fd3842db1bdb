// The table `pnpm bench` prints at the end: one row per number of every benchmark's JSON line,
// named by its path in that line (`readApi.p95ms`), so nothing a benchmark measured is left out
// and no benchmark needs its own printing code.

/** Every number (and boolean) of a result, flattened to [path, value] pairs in order. */
export function flatten(value, path = '') {
  if (value === null || value === undefined) return [[path, '-']];
  if (typeof value === 'number' || typeof value === 'boolean') return [[path, String(value)]];
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value))
    return value.flatMap((item, i) => flatten(item, path ? `${path}[${i}]` : `[${i}]`));
  return Object.entries(value).flatMap(([key, item]) =>
    flatten(item, path ? `${path}.${key}` : key),
  );
}

/** A plain-text table of the results: benchmark, measure, value. */
export function benchTable(results) {
  const rows = [];
  for (const result of results) {
    const { bench, ...rest } = result;
    for (const [measure, value] of flatten(rest)) rows.push([String(bench ?? '?'), measure, value]);
  }
  if (rows.length === 0) return 'no benchmark printed a result';
  const header = ['benchmark', 'measure', 'value'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
