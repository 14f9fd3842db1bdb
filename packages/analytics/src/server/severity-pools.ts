import { addCellKeys, type KeyedCount, SEVERITY_BANDS } from '@ipt/protocol';
import type { DisclosureRule } from './disclosure.js';

const ZERO: KeyedCount = { count: 0, key: 0 };

/** Two disjoint cells as one: counts and keys added. */
export const addKeyed = (x: KeyedCount, y: KeyedCount): KeyedCount => ({
  count: x.count + y.count,
  key: addCellKeys(x.key, y.key),
});

/**
 * Severity bands pooled for a protected answer: in severity order, a band (or pool) with fewer
 * than k paired finished episodes, exact or protected, joins the next band (the last joins the
 * one before), until every pool has k or only one is left. Returns each band's pool label.
 */
export function poolSmallBands(
  bands: ReadonlyMap<string, { eligible: KeyedCount }>,
  disclosure: DisclosureRule,
): (band: string) => string {
  const order = [
    ...SEVERITY_BANDS.filter((b) => bands.has(b)),
    ...[...bands.keys()].filter((b) => !(SEVERITY_BANDS as readonly string[]).includes(b)),
  ];
  let pools = order.map((band) => [band]);
  const size = (pool: string[]) =>
    pool.reduce((total, band) => addKeyed(total, bands.get(band)?.eligible ?? ZERO), ZERO);
  for (;;) {
    const small = pools.findIndex((pool) => disclosure.count(size(pool)) === null);
    if (small === -1 || pools.length < 2) break;
    const into = small === pools.length - 1 ? small - 1 : small + 1;
    const [first, second] = small < into ? [small, into] : [into, small];
    pools = [
      ...pools.slice(0, first),
      [...(pools[first] ?? []), ...(pools[second] ?? [])],
      ...pools.slice(second + 1),
    ];
  }
  const label = new Map(pools.flatMap((pool) => pool.map((band) => [band, pool.join('+')])));
  return (band) => label.get(band) ?? band;
}
