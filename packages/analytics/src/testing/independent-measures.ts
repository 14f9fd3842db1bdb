/**
 * Every rate of the registry written out again for the independent computations (outcomes and
 * adjusted comparisons), from docs/outcomes.md and the sources it cites, over the folded
 * episode's baseline and endpoint totals and follow-ups: never through the flags, the outcome
 * classification or the SQL it is checked against. Typed by the registry, so a new rate does not
 * compile until it is written out here too.
 */
import type { EpisodeSummary, RateMeasureName } from '@ipt/protocol';

export interface IndependentRate {
  /** The denominator: which started episodes the rate is out of. */
  of: (s: EpisodeSummary) => boolean;
  /** The numerator, among those. */
  hit: (s: EpisodeSummary) => boolean;
}

const baseline = (s: EpisodeSummary) => s.baseline?.total ?? Number.NaN;
const endpoint = (s: EpisodeSummary) => s.endpoint?.total ?? Number.NaN;
/** Paired and finished: every outcome rate's episodes. */
const eligible = (s: EpisodeSummary) => s.outcomeEligible;
/** Began at caseness: PHQ-9 of 10 or more. */
const caseAtBaseline = (s: EpisodeSummary) => eligible(s) && baseline(s) >= 10;
const recovered = (s: EpisodeSummary) => caseAtBaseline(s) && endpoint(s) < 10;
/** Follow-ups within 52 weeks of the end. */
const window = (s: EpisodeSummary) =>
  s.followUps.filter((f) => f.weeksAfterEnd !== null && f.weeksAfterEnd <= 52);
const followedUp = (s: EpisodeSummary) => recovered(s) && window(s).length > 0;

export const INDEPENDENT_RATES: Record<RateMeasureName, IndependentRate> = {
  reliableImprovement: { of: eligible, hit: (s) => baseline(s) - endpoint(s) >= 6 },
  recovery: { of: caseAtBaseline, hit: (s) => endpoint(s) < 10 },
  reliableRecovery: {
    of: caseAtBaseline,
    hit: (s) => endpoint(s) < 10 && baseline(s) - endpoint(s) >= 6,
  },
  response: { of: caseAtBaseline, hit: (s) => endpoint(s) <= baseline(s) / 2 },
  remission: { of: caseAtBaseline, hit: (s) => endpoint(s) < 5 },
  // Loewe et al. (2004): at least 5 PHQ-9 points lower at the end.
  minimalImportantImprovement: { of: eligible, hit: (s) => baseline(s) - endpoint(s) >= 5 },
  reliableDeterioration: { of: eligible, hit: (s) => endpoint(s) - baseline(s) >= 6 },
  noReliableChange: { of: eligible, hit: (s) => Math.abs(endpoint(s) - baseline(s)) < 6 },
  relapse: { of: followedUp, hit: (s) => window(s).some((f) => f.total >= 10) },
  followUpCompleteness: { of: recovered, hit: (s) => window(s).length > 0 },
  pairedCompleteness: { of: (s) => s.finishedCourse, hit: (s) => s.paired },
};
