import { DEFAULT_MIN_CELL_SIZE } from '@ipt/protocol';
import { z } from 'zod';
import {
  FindingEpisodesAnswer,
  OffTrackAnswer,
  OutcomesAnswer,
  ReleasesAnswer,
  TimeToImprovementAnswer,
} from './components.js';
import {
  FindingEpisodesParameters,
  OffTrackParameters,
  OutcomesParameters,
  TimeToImprovementParameters,
} from './parameters.js';

/** What the OpenAPI document says of a read with a REST form; the path is the read's own. */
export interface ReadDoc {
  operationId: string;
  summary: string;
  description: string;
  /** Every query parameter, described (the read's own, the cohort filters, the basis). */
  parameters: z.ZodObject;
  /** The 200 answer: what it holds, in words, and its JSON schema. */
  answer: { description: string; schema: z.ZodType };
}

/**
 * The words of each REST read, by the read's name. A read given a REST form without an entry
 * here fails at start of the document (and its test): nothing is served undocumented.
 */
export const READ_DOCS: Record<string, ReadDoc> = {
  'outcomes.breakdown': {
    operationId: 'getOutcomes',
    summary:
      'Outcome rates by problem area, sessions attended and medication, with disclosure control',
    description:
      'Exact numbers (with the k rule) for the network data steward and for a clinic reader filtering by its own clinics; protected numbers for everyone else (`protected: true`): every count carries cell-key noise, tied to its set of episodes (the same question, however spelt, gives the same answer), rates from the protected counts with intervals widened for the noise, every combination of the grouped categories returned, periods in whole months, and a daily budget of distinct cohorts per reader. See docs/outcomes.md, "Disclosure control". Logged.',
    parameters: OutcomesParameters,
    answer: {
      description: `Every combination of the grouped categories with counts, rates (Wilson 95% intervals), mean change (t interval) and effect size. Every cell is judged alone (no complementary suppression): a group of 1 to minCellSize - 1 (default ${DEFAULT_MIN_CELL_SIZE}) episodes reads as suppressed, with no numbers. Exact readers (the steward; a clinic reader for its own clinics) see an empty group as 0; protected readers see an empty group as suppressed, like a small one, and a count inside a shown group below minCellSize is withheld too. CSV: one row per group, the basis in its last three columns.`,
      schema: OutcomesAnswer,
    },
  },
  'outcomes.timeToImprovement': {
    operationId: 'getTimeToImprovement',
    summary: 'Time to reliable improvement by session, per group known at intake',
    description:
      'The cumulative incidence of reliable improvement by session number (Aalen-Johansen: ending without improvement is the competing event, open episodes are censored) with 95% delta-method intervals. A group of fewer than minCellSize episodes is suppressed; a curve stops at the first session whose risk set is below minCellSize. Protected readers get no counts at a session (only the risk set). See docs/outcomes.md, "Time to reliable improvement". Logged.',
    parameters: TimeToImprovementParameters,
    answer: {
      description: 'One curve per group. CSV: one row per group and session.',
      schema: TimeToImprovementAnswer,
    },
  },
  'care.offTrack': {
    operationId: 'getOffTrackEpisodes',
    summary: "A clinic's open episodes off track now (pseudonyms only)",
    description:
      'Open episodes whose latest PHQ-9 at a session 3-8 lies above the 90th percentile of the network\'s expected curve for their baseline band. For the episode\'s own clinic readers and the network data steward only; researchers are refused (403). Pseudonyms only: the clinic maps them back with its own secret (`reidentify` in @ipt-outcomes/source). See docs/outcomes.md, "Expected recovery and off-track episodes". Logged.',
    parameters: OffTrackParameters,
    answer: {
      description: 'The episodes off track; CSV: one row per episode.',
      schema: OffTrackAnswer,
    },
  },
  'releases.list': {
    operationId: 'listReleases',
    summary: 'The frozen releases, newest first',
    description:
      'Every release an analysis can be asked of with release=<name>. For every reader; stewards make and delete them (dashboard, `ipt release`). See docs/outcomes.md, "As of and releases". Logged.',
    parameters: z.object({}),
    answer: { description: 'The releases; CSV: one row per release.', schema: ReleasesAnswer },
  },
  'outcomes.findingEpisodes': {
    operationId: 'getFindingEpisodes',
    summary: 'The episodes behind data-quality findings (pseudonyms only)',
    description:
      "One row per episode and finding of the live log (a score missing at an attended session, a session out of order, ...), with the sessions it concerns, for the clinics the reader sees one by one: a clinic reader's own, every clinic for the steward; researchers are refused (403). Live only: asOf and release are refused with the reason. Pseudonyms only: the clinic maps them back with its own secret (`reidentify` in @ipt-outcomes/source). Findings never refuse an event at the door (events arrive late and out of order); the fold reports them. Logged.",
    parameters: FindingEpisodesParameters,
    answer: {
      description: 'The episodes and their findings; CSV: one row per episode and finding.',
      schema: FindingEpisodesAnswer,
    },
  },
};
