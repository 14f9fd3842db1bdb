import { addCellKeys, type KeyedCount } from '@ipt/protocol';
import type { DisclosureRule } from './disclosure.js';

const ZERO: KeyedCount = { count: 0, key: 0 };

/** Two disjoint cells as one: counts and keys added. */
export const addKeyed = (x: KeyedCount, y: KeyedCount): KeyedCount => ({
  count: x.count + y.count,
  key: addCellKeys(x.key, y.key),
});

/**
 * Levels of a factor (severity bands, age bands, conditions) pooled for a protected answer: in
 * the vocabulary's order, a level (or pool) with fewer than k paired finished episodes, exact or
 * protected, joins the next level (the last joins the one before), until every pool has k or
 * only one is left, so no level's rate, which a reader could solve for from its own units'
 * expected counts, comes from fewer than k. Returns each level's pool label.
 */
export function poolSmallLevels(
  bands: ReadonlyMap<string, { eligible: KeyedCount }>,
  vocabulary: readonly string[],
  disclosure: DisclosureRule,
): (band: string) => string {
  const order = [
    ...vocabulary.filter((b) => bands.has(b)),
    ...[...bands.keys()].filter((b) => !vocabulary.includes(b)),
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
