import {
  DEFINITIONS_VERSION,
  EPISODE_COUNTS,
  RATE_MEASURES,
  type RateMeasureName,
} from '@ipt/protocol';
import { episodesAsOfSql, releaseEpisodesSql, toClickHouseTime } from '@ipt/warehouse';
import type { Basis, BasisStamp } from '../access.js';

/**
 * The one place where a question's basis (live, as of a moment, a frozen release) becomes the
 * tables it reads. Every analytics query names its episodes (and scores) through here, so an
 * as-of question cannot read a live row by accident. Parameter names start with `basis_` so
 * they never collide with a filter's.
 */
export function episodesFrom(basis: Basis): { from: string; params: Record<string, unknown> } {
  switch (basis.kind) {
    case 'live':
      return { from: 'episodes FINAL', params: {} };
    case 'asOf':
      return {
        from: episodesAsOfSql('basis_as_of'),
        params: { basis_as_of: toClickHouseTime(new Date(basis.asOf).toISOString()) },
      };
    case 'release':
      return {
        from: releaseEpisodesSql('basis_release'),
        params: { basis_release: basis.release },
      };
  }
}

/**
 * The PHQ-9 scores of the basis's episodes as a table expression aliased `alias`, with the
 * columns of episode_scores that analyses read. Live: the episode_scores table. As of a moment
 * or in a release: the scores each episode row carries, which the fold wrote with it.
 */
export function scoresFrom(
  basis: Basis,
  alias: string,
): { from: string; params: Record<string, unknown> } {
  if (basis.kind === 'live') return { from: `episode_scores AS ${alias} FINAL`, params: {} };
  const episodes = episodesFrom(basis);
  const columns = [
    'event_id',
    'session_number',
    'timepoint',
    'weeks_after_end',
    'total',
    'severity',
    'self_harm_flag',
    'occurred_on',
  ].map((c) => `score.${c} AS ${c}`);
  return {
    from: `(SELECT episode_id, clinic_id, ${columns.join(', ')} FROM ${episodes.from} ARRAY JOIN scores AS score) AS ${alias}`,
    params: episodes.params,
  };
}

/** What an answer says of its basis. */
export function basisStamp(basis: Basis): BasisStamp {
  switch (basis.kind) {
    case 'live':
      return { release: null, asOf: null, definitionsVersion: DEFINITIONS_VERSION };
    case 'asOf':
      return {
        release: null,
        asOf: new Date(basis.asOf).toISOString(),
        definitionsVersion: DEFINITIONS_VERSION,
      };
    case 'release':
      return {
        release: basis.release,
        asOf: basis.asOf,
        definitionsVersion: basis.definitionsVersion,
      };
  }
}

/** A short key of the basis, for caches of per-basis results. */
export const basisKey = (basis: Basis): string =>
  basis.kind === 'live'
    ? 'live'
    : basis.kind === 'asOf'
      ? `asOf:${new Date(basis.asOf).toISOString()}`
      : `release:${basis.release}`;

/**
 * Whether a rate of the registry can be asked of the basis. A release answers only the measures
 * whose flags its rows were classified with: a measure defined after it was frozen is absent
 * (null), never counted as 0 from rows that could not have the flag.
 */
export function rateDefined(basis: Basis, name: RateMeasureName): boolean {
  if (basis.kind !== 'release') return true;
  const { numerator, denominator } = RATE_MEASURES[name];
  const needed: readonly string[] = [...EPISODE_COUNTS[numerator], ...EPISODE_COUNTS[denominator]];
  return needed.every((flag) => basis.flags.includes(flag));
}
