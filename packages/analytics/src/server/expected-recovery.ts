import {
  addCellKeys,
  BASELINE_BAND_NAMES,
  BASELINE_BANDS,
  EXPECTED_MAX_SESSION,
  type ExpectedReference,
  expectedCurve,
  type KeyedCount,
  NO_SCORE,
  perturbCount,
  type TotalCount,
} from '@ipt/protocol';
import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { Basis, Scope } from '../access.js';
import type { ExpectedRecoveryResult } from '../types.js';
import { basisKey, episodesFrom } from './basis.js';
import { type DisclosureSettings, disclosureFor, disclosureOf } from './disclosure.js';
import { assertKeyed, keyed, keyedCount, keyedShape, unkeyedColumn } from './keyed-sql.js';
import { countCondition } from './outcomes-sql.js';

/**
 * Expected recovery and off-track episodes (docs/outcomes.md, "Expected recovery and off-track
 * episodes"). The reference is always the whole network's finished, paired episodes, whoever
 * asks and whatever the cohort: an episode is judged against the same curves everywhere. The
 * rules (bands, percentiles, off track) are @ipt/protocol's; the SQL only counts.
 */

/** The baseline band of an episode row, generated from the protocol's bands; '' without one. */
const BASELINE_BAND_SQL = `multiIf(${BASELINE_BANDS.map(
  (b) => `baseline_total BETWEEN ${b.from} AND ${b.to}, '${b.band}'`,
).join(', ')}, '')`;

/** The network's finished paired episodes: the reference of the expected curves. */
const REFERENCE_WHERE = countCondition('finishedPaired');

const referenceRow = z.object({
  band: z.string(),
  session: z.coerce.number().int(),
  total: z.coerce.number().int(),
  ...keyedShape(['n'] as const),
});
type ReferenceRow = z.infer<typeof referenceRow>;
const bandRow = z.object({ band: z.string(), ...keyedShape(['n'] as const) });

type ReferenceCounts = { cells: ReferenceRow[]; bands: Array<z.infer<typeof bandRow>> };

/**
 * What the episodes table holds, cheaply: any projection adds a row with a new version, so the
 * stamp changes with every change to the episodes (a background merge changes it too, which
 * only costs a recomputation).
 */
const episodesStamp = defineQuery({
  name: 'care.episodes_stamp',
  sql: 'SELECT toString(count()) AS rows, toString(max(version)) AS version FROM episodes',
  params: z.object({}),
  row: z.object({ rows: z.string(), version: z.string() }),
});

/**
 * The reference's counts by warehouse: every off-track answer and every expected curve reads
 * the same network-wide counts, which scanning every score of the network for each question
 * would make cost seconds at a million episodes. They are counted again when the episodes have
 * changed, at most once per REFERENCE_REFRESH_MS: under continuous ingestion the curves of a
 * network lag its last half minute, which moves a percentile of thousands of scores by nothing
 * a clinician could see.
 */
export const REFERENCE_REFRESH_MS = 30_000;
/** Bases whose counts are kept per warehouse (live, a few moments and releases). */
const CACHED_BASES = 16;
type CacheEntry = { stamp: string; at: number; counts: Map<boolean, Promise<ReferenceCounts>> };
const cached = new WeakMap<Warehouse, Map<string, CacheEntry>>();

/**
 * Scores of the reference by band, session and total: one row per distinct total, of the
 * basis's episodes. A release's rows never change; live and as-of counts follow the stamp.
 */
async function referenceCounts(
  warehouse: Warehouse,
  withKeys: boolean,
  basis: Basis,
): Promise<ReferenceCounts> {
  let now = 'frozen';
  if (basis.kind !== 'release') {
    const [stamp] = await warehouse.query(episodesStamp, {});
    now = `${stamp?.rows}/${stamp?.version}`;
  }
  const bases = cached.get(warehouse) ?? new Map<string, CacheEntry>();
  cached.set(warehouse, bases);
  const key = basisKey(basis);
  let entry = bases.get(key);
  const fresh = (e: CacheEntry) =>
    e.stamp === now || performance.now() - e.at < REFERENCE_REFRESH_MS;
  if (entry === undefined || !fresh(entry)) {
    entry = { stamp: now, at: performance.now(), counts: new Map() };
    bases.delete(key);
    bases.set(key, entry);
    // The oldest basis asked goes first (a Map keeps insertion order).
    for (const old of bases.keys()) {
      if (bases.size <= CACHED_BASES) break;
      bases.delete(old);
    }
  }
  let counts = entry.counts.get(withKeys);
  if (counts === undefined) {
    counts = countReference(warehouse, withKeys, basis);
    entry.counts.set(withKeys, counts);
    // A failure is not remembered: the next question asks again.
    const forget = entry.counts;
    counts.catch(() => forget.delete(withKeys));
  }
  return counts;
}

async function countReference(
  warehouse: Warehouse,
  withKeys: boolean,
  basis: Basis,
): Promise<ReferenceCounts> {
  const source = episodesFrom(basis);
  const episodes = `SELECT ${BASELINE_BAND_SQL} AS band, record_key, session_totals
  FROM ${source.from} WHERE ${REFERENCE_WHERE} AND band != ''`;
  const keyedColumns = [...keyedCount('n', null, withKeys), ...unkeyedColumn(withKeys)].join(', ');
  const [cells, bands] = await Promise.all([
    warehouse.query(
      defineQuery({
        name: 'care.expected_reference',
        sql: `SELECT band, session, total, ${keyedColumns}
FROM (${episodes})
ARRAY JOIN session_totals AS total, arrayEnumerate(session_totals) AS position
WHERE total != ${NO_SCORE} AND position <= ${EXPECTED_MAX_SESSION + 1}
GROUP BY band, position - 1 AS session, total`,
        params: z.record(z.string(), z.unknown()),
        row: referenceRow,
      }),
      source.params,
    ),
    warehouse.query(
      defineQuery({
        name: 'care.expected_bands',
        sql: `SELECT band, ${keyedColumns} FROM (${episodes}) GROUP BY band`,
        params: z.record(z.string(), z.unknown()),
        row: bandRow,
      }),
      source.params,
    ),
  ]);
  if (withKeys) {
    assertKeyed(cells);
    assertKeyed(bands);
  }
  return { cells, bands };
}

/** Counts by band and session, as the protocol's curve takes them. */
function bySession(
  cells: readonly ReferenceRow[],
  count: (row: ReferenceRow) => number,
): Map<string, Map<number, TotalCount[]>> {
  const out = new Map<string, Map<number, TotalCount[]>>();
  for (const row of cells) {
    const band = out.get(row.band) ?? new Map<number, TotalCount[]>();
    out.set(row.band, band);
    band.set(row.session, [
      ...(band.get(row.session) ?? []),
      { total: row.total, count: count(row) },
    ]);
  }
  return out;
}

/**
 * The exact expected curves, for judging episodes (never released as such: the off-track
 * figures and a clinic's own list are what come out of it).
 */
export async function expectedReference(
  warehouse: Warehouse,
  basis: Basis,
  options: DisclosureSettings,
): Promise<ExpectedReference> {
  const k = disclosureOf('exact', options).policy.k;
  const { cells } = await referenceCounts(warehouse, false, basis);
  const counts = bySession(cells, (r) => r.n);
  return new Map(
    BASELINE_BAND_NAMES.map((band) => [
      band,
      new Map(expectedCurve(counts.get(band) ?? new Map(), k).map((p) => [p.session, p])),
    ]),
  );
}

/**
 * The expected curves as a reader may see them. Protected readers get percentiles of the
 * protected counts of each total at a session (each a cell with its own key), and a session
 * only where both the exact and the protected number of scores reach k.
 */
export async function expectedRecovery(
  warehouse: Warehouse,
  scope: Scope,
  options: DisclosureSettings,
): Promise<ExpectedRecoveryResult> {
  const disclosure = disclosureFor(scope, options);
  const k = disclosure.policy.k;
  const { cells, bands } = await referenceCounts(warehouse, disclosure.protected, scope.basis);
  const shown = bySession(cells, (r) =>
    disclosure.protected ? perturbCount(keyed(r, 'n'), disclosure.policy) : r.n,
  );
  // Each session's cell: its totals' counts added up, keys too (one pass).
  const sessionCells = new Map<string, KeyedCount>();
  for (const c of cells) {
    const at = `${c.band}/${c.session}`;
    const cell = sessionCells.get(at) ?? { count: 0, key: 0 };
    sessionCells.set(at, { count: cell.count + c.n, key: addCellKeys(cell.key, c.n_key) });
  }
  return {
    minCellSize: k,
    protected: disclosure.protected,
    bands: BASELINE_BAND_NAMES.map((band) => {
      const size = bands.find((b) => b.band === band);
      const episodes = size === undefined ? null : disclosure.count(keyed(size, 'n'));
      if (episodes === null) return { band, episodes, points: [] };
      const sessions = new Map(
        [...(shown.get(band) ?? new Map<number, TotalCount[]>())].filter(([session]) => {
          const cell = sessionCells.get(`${band}/${session}`) ?? { count: 0, key: 0 };
          // At least k scores, exact and as this reader may see them.
          return cell.count >= k && disclosure.count(cell) !== null;
        }),
      );
      return { band, episodes, points: expectedCurve(sessions, k) };
    }),
  };
}
