import type { EpisodeSummary } from '../episode/fold.js';
import { relapseOf } from '../episode/signals.js';
import { PHQ9_CASENESS_THRESHOLD } from '../phq9.js';

/**
 * The yes/no facts about one episode that outcome measures count. @ipt/protocol classifies them
 * once per episode (`episodeFlags`); the warehouse stores the classification and SQL only counts
 * it, through one expression per flag that a parity test holds equal to this function.
 */
export const EPISODE_FLAGS = [
  'finished',
  'paired',
  'eligible',
  'caseAtBaseline',
  'reliableImprovement',
  'reliableDeterioration',
  'noReliableChange',
  'recovery',
  'reliableRecovery',
  'response',
  'remission',
  'followedUp',
  'relapsed',
] as const;
export type EpisodeFlag = (typeof EPISODE_FLAGS)[number];

/** The flags of a started episode (docs/outcomes.md, "Episode measures" and "Outcomes"). */
export function episodeFlags(summary: EpisodeSummary): Record<EpisodeFlag, boolean> {
  const outcome = summary.outcome;
  const relapse = relapseOf(summary);
  return {
    finished: summary.finishedCourse,
    paired: summary.paired,
    eligible: summary.outcomeEligible,
    caseAtBaseline: summary.baseline !== null && summary.baseline.total >= PHQ9_CASENESS_THRESHOLD,
    reliableImprovement: outcome?.reliableImprovement ?? false,
    reliableDeterioration: outcome?.reliableDeterioration ?? false,
    noReliableChange: outcome?.noReliableChange ?? false,
    recovery: outcome?.recovery ?? false,
    reliableRecovery: outcome?.reliableRecovery ?? false,
    response: outcome?.response ?? false,
    remission: outcome?.remission ?? false,
    followedUp: relapse.followedUp === true,
    relapsed: relapse.relapsed === true,
  };
}
