import type { KeyedCount } from '@ipt/protocol';
import { z } from 'zod';
import { ProtectionUnavailableError } from '../errors.js';

/**
 * SQL for counts with their cell keys (docs/outcomes.md, "Disclosure control"): beside each count of
 * episodes, the sum of their record keys modulo 2^32, the key of exactly the set counted. Only
 * protected answers ask for keys, so exact ones cost what they cost before. In a query that
 * joins an episode to several rows (scores), count each episode once before using these.
 */
export function keyedCount(alias: string, condition: string | null, withKeys: boolean): string[] {
  const count = condition === null ? `count() AS ${alias}` : `countIf(${condition}) AS ${alias}`;
  if (!withKeys) return [count];
  const key =
    condition === null
      ? `sum(toUInt64(record_key)) % 4294967296 AS ${alias}_key`
      : `sumIf(toUInt64(record_key), ${condition}) % 4294967296 AS ${alias}_key`;
  return [count, key];
}

/**
 * Protected queries count the episodes without a record key too: cells over such an episode
 * would get the same noise with it and without it, so no protected answer is given while any
 * is in scope (keyUnkeyedEpisodes keys them at the projector's start).
 */
export function unkeyedColumn(withKeys: boolean): string[] {
  return withKeys ? ['countIf(record_key = 0) AS unkeyed'] : [];
}

export function assertKeyed(rows: ReadonlyArray<{ unkeyed: number }>): void {
  const unkeyed = rows.reduce((total, row) => total + row.unkeyed, 0);
  if (unkeyed > 0) {
    throw new ProtectionUnavailableError(
      `protected numbers are unavailable while ${unkeyed} episodes have no record key; they get one when the projector starts`,
    );
  }
}

const count = z.coerce.number().int().nonnegative();
const key = z.coerce.number().int().nonnegative().default(0);

/** The zod shape of keyed counts: `alias` and `alias_key` (0 when the answer is exact). */
export function keyedShape<const A extends string>(
  aliases: readonly A[],
): Record<A | `${A}_key` | 'unkeyed', typeof count | typeof key> {
  const shape: Record<string, typeof count | typeof key> = { unkeyed: key };
  for (const alias of aliases) {
    shape[alias] = count;
    shape[`${alias}_key`] = key;
  }
  return shape as Record<A | `${A}_key` | 'unkeyed', typeof count | typeof key>;
}

/** A count of a row and its key, for a DisclosureRule. */
export function keyed<A extends string>(row: Record<A | `${A}_key`, number>, alias: A): KeyedCount {
  return { count: row[alias], key: row[`${alias}_key`] };
}
