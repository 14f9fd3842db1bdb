import type { EpisodeSummary } from '../episode/fold.js';
import { relapseOf } from '../episode/signals.js';
import { PHQ9_CASENESS_THRESHOLD } from '../phq9.js';

/**
 * The yes/no facts about one episode that outcome measures count, each with its rule. The fold
 * classifies every episode once (`episodeFlags`); the warehouse stores them in one 64-bit column
 * (`flag_bits`, bit i for the i-th flag), and SQL only counts them. A new flag is an entry here,
 * at the end: storage, SQL and the fold version follow from the list (definitions-version.ts).
 * The order is the storage format: never reorder or remove an entry (frozen releases keep the
 * bits they were classified with).
 */
type FlagRule = (summary: EpisodeSummary) => boolean;

/**
 * Minimal important improvement: the smallest PHQ-9 change patients notice is about 5 points
 * (Loewe B et al. 2004, Med Care 42:1194-1201). Below reliable change (6), so for one person it
 * can be measurement error; over a group it says how many improved by as much as patients feel.
 */
export const MINIMAL_IMPORTANT_IMPROVEMENT_POINTS = 5;

const RULES = {
  finished: (s) => s.finishedCourse,
  paired: (s) => s.paired,
  eligible: (s) => s.outcomeEligible,
  caseAtBaseline: (s) => s.baseline !== null && s.baseline.total >= PHQ9_CASENESS_THRESHOLD,
  reliableImprovement: (s) => s.outcome?.reliableImprovement ?? false,
  reliableDeterioration: (s) => s.outcome?.reliableDeterioration ?? false,
  noReliableChange: (s) => s.outcome?.noReliableChange ?? false,
  recovery: (s) => s.outcome?.recovery ?? false,
  reliableRecovery: (s) => s.outcome?.reliableRecovery ?? false,
  response: (s) => s.outcome?.response ?? false,
  remission: (s) => s.outcome?.remission ?? false,
  followedUp: (s) => relapseOf(s).followedUp === true,
  relapsed: (s) => relapseOf(s).relapsed === true,
  minimalImportantImprovement: (s) =>
    s.outcome !== null && -s.outcome.change >= MINIMAL_IMPORTANT_IMPROVEMENT_POINTS,
} as const satisfies Record<string, FlagRule>;

export type EpisodeFlag = keyof typeof RULES;
/** Every flag, in the order of their rules: flag i is bit i of `flag_bits`. */
export const EPISODE_FLAGS = Object.keys(RULES) as EpisodeFlag[];
// The bits travel as JavaScript numbers (exact to 2^53) into a UInt64 column.
if (EPISODE_FLAGS.length > 53) throw new Error('more than 53 episode flags do not fit flag_bits');

/** The flags of a started episode (docs/outcomes.md, "Episode measures" and "Outcomes"). */
export function episodeFlags(summary: EpisodeSummary): Record<EpisodeFlag, boolean> {
  return Object.fromEntries(EPISODE_FLAGS.map((flag) => [flag, RULES[flag](summary)])) as Record<
    EpisodeFlag,
    boolean
  >;
}

/** The names of the flags an episode has. */
export const flagsOf = (summary: EpisodeSummary): EpisodeFlag[] =>
  EPISODE_FLAGS.filter((flag) => RULES[flag](summary));

/** The flags of an episode as the warehouse stores them: bit i set when it has flag i. */
export const flagBits = (summary: EpisodeSummary): number =>
  EPISODE_FLAGS.reduce((bits, flag, i) => (RULES[flag](summary) ? bits + 2 ** i : bits), 0);

/** The names of the flags set in stored bits (the inverse of `flagBits`). */
export const flagsFromBits = (bits: number): EpisodeFlag[] =>
  EPISODE_FLAGS.filter((_, i) => Math.floor(bits / 2 ** i) % 2 === 1);
