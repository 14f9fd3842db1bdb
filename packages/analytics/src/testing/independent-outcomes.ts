/**
 * An independent computation of the outcomes breakdown, straight from events with
 * @ipt/protocol: fold every episode, group in TypeScript, and compute rates with Wilson, the
 * mean change with the t interval over raw values, and the effect size over raw arrays. It
 * shares no code with the warehouse's SQL path, so agreement is evidence, not tautology.
 */
import type { CatalogEvent } from '@ipt/events';
import {
  type EpisodeSummary,
  foldEpisode,
  MEDICATION_GROUPS,
  meanInterval,
  PRIMARY_PROBLEM_AREAS,
  prePostEffectSize,
  RATE_MEASURE_NAMES,
  type RateMeasureName,
  SESSION_BUCKETS,
  wilsonInterval,
} from '@ipt/protocol';
import { INDEPENDENT_RATES } from './independent-measures.js';

type Dim = 'problemArea' | 'sessionBucket' | 'medication';
const VOCABULARY: Record<Dim, readonly string[]> = {
  problemArea: PRIMARY_PROBLEM_AREAS,
  sessionBucket: SESSION_BUCKETS,
  medication: MEDICATION_GROUPS,
};
const value = (s: EpisodeSummary, d: Dim) =>
  d === 'problemArea'
    ? s.primaryProblemArea
    : d === 'sessionBucket'
      ? s.sessionBucket
      : s.medicationGroup;

export function foldAll(events: readonly CatalogEvent[]): EpisodeSummary[] {
  const byEpisode = new Map<string, CatalogEvent[]>();
  for (const e of events) {
    const list = byEpisode.get(e.episodeId);
    if (list === undefined) byEpisode.set(e.episodeId, [e]);
    else list.push(e);
  }
  return [...byEpisode.values()].map((list) => foldEpisode(list));
}

export function expectedOutcomes(summaries: readonly EpisodeSummary[], groupBy: Dim[], k: number) {
  const groups = new Map<string, EpisodeSummary[]>();
  for (const s of summaries.filter((x) => x.started)) {
    const key = JSON.stringify(groupBy.map((d) => value(s, d)));
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  // Every combination of the vocabularies, empty or not, in display order (complete grids).
  let combinations: string[][] = [[]];
  for (const d of groupBy) {
    combinations = combinations.flatMap((c) => VOCABULARY[d].map((v) => [...c, v]));
  }
  // The exact reader's k rule, written out from docs/outcomes.md: a count of 1 to k-1 is withheld,
  // an empty one reads 0, and each cell is judged alone (no complements).
  const shown = (count: number) => (count === 0 || count >= k ? count : null);
  return combinations.map((values) => {
    const members = groups.get(JSON.stringify(values)) ?? [];
    const cell = { values, members };
    const dims = Object.fromEntries(groupBy.map((d, i) => [d, values[i]]));
    if (shown(members.length) === null) return { ...dims, suppressed: true, n: null };
    const eligible = cell.members.filter((s) => s.outcomeEligible);
    const rate = (hits: number, of: number) => {
      if (of < k) return null;
      const ci = wilsonInterval(hits, of);
      return { count: hits, denominator: of, rate: hits / of, ci: [ci.lower, ci.upper] };
    };
    // Every rate of the registry, each written out in independent-measures.ts.
    const rates = Object.fromEntries(
      RATE_MEASURE_NAMES.map((name) => {
        const { of, hit } = INDEPENDENT_RATES[name];
        const out = cell.members.filter(of);
        return [name, rate(out.filter(hit).length, out.length)];
      }),
    ) as Record<RateMeasureName, ReturnType<typeof rate>>;
    const changes = eligible.map((s) => s.outcome?.change ?? Number.NaN);
    const mean = eligible.length >= k ? meanInterval(changes) : null;
    const finished = cell.members.filter((s) => s.finishedCourse).length;
    const paired = cell.members.filter((s) => s.paired).length;
    return {
      ...dims,
      suppressed: false,
      n: cell.members.length,
      finished: shown(finished),
      paired: shown(paired),
      ...rates,
      meanChange: mean === null ? null : { mean: mean.mean, ci: [mean.lower, mean.upper] },
      effectSize:
        eligible.length >= k
          ? prePostEffectSize(
              eligible.map((s) => s.baseline?.total ?? Number.NaN),
              eligible.map((s) => s.endpoint?.total ?? Number.NaN),
            )
          : null,
    };
  });
}
