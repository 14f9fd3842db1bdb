import {
  addCellKeys,
  BASELINE_BAND_NAMES,
  BASELINE_BANDS,
  type BaselineBand,
  baselineBand,
  EXPECTED_MAX_SESSION,
  type ExpectedReference,
  expectedCurve,
  type KeyedCount,
  NO_SCORE,
  OFF_TRACK_SESSIONS,
  offTrackOf,
  perturbCount,
  type TotalCount,
} from '@ipt/protocol';
import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { Basis, Scope } from '../access.js';
import { AccessDeniedError } from '../errors.js';
import type {
  EpisodeScoresResult,
  ExpectedRecoveryResult,
  OffTrackEpisode,
  OffTrackListResult,
} from '../types.js';
import { basisKey, episodesFrom } from './basis.js';
import { type DisclosureSettings, disclosureFor, disclosureOf } from './disclosure.js';
import { assertKeyed, keyed, keyedCount, keyedShape, unkeyedColumn } from './keyed-sql.js';
import { assertRowScope, scopeWhere } from './scope.js';

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
const REFERENCE_WHERE = 'finished_course = 1 AND paired = 1';

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

/** A limit above any PHQ-9 total: a session where the band has no point is never judged. */
const NO_POINT = 99;

/** A number as a Float64 literal at full precision. */
const float = (x: number) => (Number.isInteger(x) ? `${x}.0` : String(x));

/**
 * The off-track rule as SQL conditions on an episode row, with the reference's 90th
 * percentiles written in as a table (band x session 3-8): judged (a score at a session 3-8 where
 * the band's curve has a point) and off track (such a score above the 90th percentile). One
 * lookup and one pass over six scores per episode, whatever the reference. `offTrackOf` in
 * @ipt/protocol is the rule; a parity test holds the two equal, clinic by clinic.
 */
export function offTrackSql(reference: ExpectedReference): { judged: string; offTrack: string } {
  const { from, to } = OFF_TRACK_SESSIONS;
  const width = to - from + 1;
  const limits = BASELINE_BANDS.map(({ band }) =>
    Array.from(
      { length: width },
      (_, i) => reference.get(band as BaselineBand)?.get(from + i)?.p90 ?? NO_POINT,
    ),
  );
  // The last row is for episodes without a band: never judged.
  const table = `[${[...limits, Array(width).fill(NO_POINT)]
    .map((row) => `[${row.map(float).join(', ')}]`)
    .join(', ')}]`;
  const band = `multiIf(${BASELINE_BANDS.map(
    (b, i) => `baseline_total BETWEEN ${b.from} AND ${b.to}, ${i + 1}`,
  ).join(', ')}, ${BASELINE_BANDS.length + 1})`;
  // Scores at sessions 3-8 (arrays are 1-based), NO_SCORE where there is none.
  const scores = `arrayResize(arraySlice(session_totals, ${from + 1}, ${width}), ${width}, ${NO_SCORE})`;
  const bandLimits = `arrayElement(${table}, ${band})`;
  return {
    judged: `arrayExists((t, p) -> t >= 0 AND p < ${NO_POINT}, ${scores}, ${bandLimits})`,
    offTrack: `arrayExists((t, p) -> t > p, ${scores}, ${bandLimits})`,
  };
}

/** The longest list one answer carries; more says `truncated`. */
const OFF_TRACK_LIST_LIMIT = 5000;

const listRow = z.object({
  episode_id: z.string(),
  clinic_id: z.string(),
  baseline_total: z.coerce.number().int(),
  session_totals: z.array(z.coerce.number().int()),
  sessions_attended: z.coerce.number().int(),
});

/**
 * The open episodes off track now, of the clinics the reader may see one by one: pseudonyms,
 * the session and score that put them off track, and the band's expected range there. The
 * clinic re-identifies them locally with its own secret; nothing identifying is here.
 */
export async function offTrackEpisodes(
  warehouse: Warehouse,
  scope: Scope,
  input: { clinic?: readonly string[] | undefined },
  options: DisclosureSettings,
): Promise<OffTrackListResult> {
  assertRowScope(scope);
  const basis = scope.basis;
  if (scope.rows.kind === 'clinics' && input.clinic !== undefined) {
    const own = scope.rows.clinics;
    const other = input.clinic.filter((c) => !own.includes(c));
    if (other.length > 0) {
      throw new AccessDeniedError(
        `a clinic reader sees its own clinics only, not ${other.join(', ')}`,
      );
    }
  }
  const reference = await expectedReference(warehouse, basis, options);
  const { offTrack } = offTrackSql(reference);
  const { where, params } = scopeWhere(scope);
  const source = episodesFrom(basis);
  const clinicFilter = input.clinic === undefined ? '1 = 1' : 'clinic_id IN {clinic:Array(String)}';
  const rows = await warehouse.query(
    defineQuery({
      name: 'care.off_track_list',
      sql: `SELECT episode_id, clinic_id, baseline_total, session_totals, sessions_attended
FROM ${source.from}
WHERE ended = 0 AND ${where} AND ${clinicFilter} AND ${offTrack}
ORDER BY clinic_id, episode_id`,
      params: z.record(z.string(), z.unknown()),
      row: listRow,
    }),
    {
      ...params,
      ...source.params,
      ...(input.clinic === undefined ? {} : { clinic: [...input.clinic] }),
    },
  );
  const episodes: OffTrackEpisode[] = [];
  for (const row of rows) {
    const status = offTrackOf(row.baseline_total, row.session_totals, reference);
    if (status.latest === null || !status.latest.now) continue;
    const { session, total, expected } = status.latest;
    const lastScored = row.session_totals.findLastIndex((t) => t !== NO_SCORE);
    episodes.push({
      episodeId: row.episode_id,
      clinic: row.clinic_id,
      band: baselineBand(row.baseline_total) ?? '',
      session,
      total,
      expected: { p10: expected.p10, p50: expected.p50, p90: expected.p90 },
      lastSession: Math.max(row.sessions_attended, lastScored),
    });
  }
  return {
    episodes: episodes.slice(0, OFF_TRACK_LIST_LIMIT),
    truncated: episodes.length > OFF_TRACK_LIST_LIMIT,
  };
}

const scoresRow = z.object({
  episode_id: z.string(),
  clinic_id: z.string(),
  baseline_total: z.coerce.number().int().nullable(),
  session_totals: z.array(z.coerce.number().int()),
});

/**
 * One episode's scores by session, for laying over its band: only an episode of a clinic the
 * reader sees one by one. Another clinic's episode and no episode answer alike (null), so the
 * answer says nothing about pseudonyms elsewhere.
 */
export async function episodeScores(
  warehouse: Warehouse,
  scope: Scope,
  episodeId: string,
): Promise<EpisodeScoresResult | null> {
  assertRowScope(scope);
  const basis = scope.basis;
  const { where, params } = scopeWhere(scope);
  const source = episodesFrom(basis);
  const [row] = await warehouse.query(
    defineQuery({
      name: 'care.episode_scores',
      sql: `SELECT episode_id, clinic_id, baseline_total, session_totals
FROM ${source.from} WHERE episode_id = {episode:String} AND ${where}`,
      params: z.record(z.string(), z.unknown()),
      row: scoresRow,
    }),
    { ...params, ...source.params, episode: episodeId },
  );
  if (row === undefined) return null;
  return {
    episodeId: row.episode_id,
    clinic: row.clinic_id,
    band: baselineBand(row.baseline_total),
    scores: row.session_totals.flatMap((total, session) =>
      total === NO_SCORE ? [] : [{ session, total }],
    ),
  };
}
