import {
  BASELINE_BANDS,
  type BaselineBand,
  baselineBand,
  type ExpectedReference,
  NO_SCORE,
  OFF_TRACK_SESSIONS,
  offTrackOf,
} from '@ipt/protocol';
import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { Scope } from '../access.js';
import { AccessDeniedError } from '../errors.js';
import type { EpisodeScoresResult, OffTrackEpisode, OffTrackListResult } from '../types.js';
import { episodesFrom } from './basis.js';
import type { DisclosureSettings } from './disclosure.js';
import { expectedReference } from './expected-recovery.js';
import { assertRowScope, scopeWhere } from './scope.js';

/**
 * Off-track episodes (docs/outcomes.md, "Expected recovery and off-track episodes"): the rule
 * as SQL against the network's expected curves, and the episodes one by one that a clinic's
 * readers and the steward see (the list off track now, an episode's scores over its band).
 */

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
