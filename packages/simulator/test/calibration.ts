/**
 * Network-level measures of a simulated sample, computed with @ipt/protocol exactly as the
 * platform will: fold each episode, then aggregate. Used by the calibration suite.
 */
import type { CatalogEvent } from '@ipt/events';
import { type EpisodeSummary, foldEpisode, prePostEffectSize } from '@ipt/protocol';

export interface Calibration {
  episodes: number;
  effectSize: number;
  responseRate: number;
  dropoutRate: number;
  pairedCompleteness: number;
  medicationShare: number;
  responseIptOnly: number;
  responseWithMedication: number;
  summaries: EpisodeSummary[];
}

export function groupByEpisode(events: Iterable<CatalogEvent>): Map<string, CatalogEvent[]> {
  const byEpisode = new Map<string, CatalogEvent[]>();
  for (const event of events) {
    const list = byEpisode.get(event.episodeId);
    if (list === undefined) byEpisode.set(event.episodeId, [event]);
    else list.push(event);
  }
  return byEpisode;
}

export function calibrate(byEpisode: Map<string, CatalogEvent[]>): Calibration {
  const summaries = [...byEpisode.values()].map((events) => foldEpisode(events));
  const eligible = summaries.filter((s) => s.outcomeEligible);
  const baselines = eligible.map((s) => s.baseline?.total ?? Number.NaN);
  const endpoints = eligible.map((s) => s.endpoint?.total ?? Number.NaN);
  const cases = eligible.filter((s) => s.outcome?.response !== null);
  const responseOf = (list: EpisodeSummary[]) =>
    list.filter((s) => s.outcome?.response === true).length / list.length;
  const ended = summaries.filter((s) => s.ended);
  const finished = summaries.filter((s) => s.finishedCourse);
  return {
    episodes: summaries.length,
    effectSize: prePostEffectSize(baselines, endpoints),
    responseRate: responseOf(cases),
    dropoutRate: ended.filter((s) => s.endReason === 'dropped_out').length / ended.length,
    pairedCompleteness: finished.filter((s) => s.paired).length / finished.length,
    medicationShare:
      summaries.filter((s) => s.medicationGroup === 'ipt_with_medication').length /
      summaries.length,
    responseIptOnly: responseOf(cases.filter((s) => s.medicationGroup === 'ipt_only')),
    responseWithMedication: responseOf(
      cases.filter((s) => s.medicationGroup === 'ipt_with_medication'),
    ),
    summaries,
  };
}
