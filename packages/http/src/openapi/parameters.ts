/**
 * The query parameters of the read endpoints, in zod with their parameter descriptions. Lists
 * are comma-separated; where the values are a closed vocabulary, the pattern names them.
 */
import {
  ADJUSTMENT_FACTOR_NAMES,
  DEFAULT_ADJUSTMENT,
  FILTER_VOCABULARIES,
  LIST_FILTER_NAMES,
  OUTCOME_DIMENSIONS,
  TIME_TO_IMPROVEMENT_DIMENSIONS,
} from '@ipt/analytics';
import { FINDING_CODES } from '@ipt/protocol';
import { z } from 'zod';

/** `^(a|b)(,(a|b))*$`: a comma list of the given values. */
function commaList(values: readonly string[], description: string) {
  const one = `(${values.map((v) => v.replace(/[.+*?^$()[\]{}|\\]/g, '\\$&')).join('|')})`;
  return z
    .string()
    .regex(new RegExp(`^${one}(,${one})*$`))
    .optional()
    .meta({ param: { description } });
}

const clinicList = (description: string) =>
  z
    .string()
    .regex(/^[a-z0-9-]{2,32}(,[a-z0-9-]{2,32})*$/)
    .optional()
    .meta({ param: { description } });

const filterShape = Object.fromEntries(
  LIST_FILTER_NAMES.map((name) => {
    const vocabulary = FILTER_VOCABULARIES[name];
    return [
      name,
      vocabulary === undefined
        ? clinicList('Comma list of clinic codes; a clinic reader may name only its own')
        : commaList(vocabulary, `Comma list of ${vocabulary.join(', ')}`),
    ];
  }),
);

/** A month or a day: the contract of every period bound (OutcomeFilters in @ipt/analytics). */
const periodBound = z.union([z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/), z.iso.date()]).optional();

export const CohortFilters = z.object({
  ...filterShape,
  startedFrom: periodBound.meta({
    param: {
      description:
        'Start of the period of episode start: a month YYYY-MM (its first day) or a day YYYY-MM-DD. Protected numbers and the dashboard take whole months: a day must be the first of its month.',
    },
  }),
  startedTo: periodBound.meta({
    param: {
      description:
        'End of the period of episode start: a month YYYY-MM (its last day) or a day YYYY-MM-DD. Protected numbers and the dashboard take whole months: a day must be the last of its month.',
    },
  }),
});

/** The basis every analysis takes (docs/outcomes.md, "As of and releases"). */
export const BasisParameters = z.object({
  asOf: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({
      param: {
        description:
          "The answer from the events recorded up to this moment (ISO 8601 with a zone), folded by today's definitions: late events, corrections and retractions recorded after it do not count. Not in the future; not with release.",
      },
    }),
  release: z
    .string()
    .optional()
    .meta({
      param: {
        description:
          'Name of a frozen release (GET /v1/releases): the answer from its rows, identical whatever arrives later. Every answer says its basis.',
      },
    }),
});

export const OutcomesParameters = z.object({
  groupBy: commaList(
    OUTCOME_DIMENSIONS,
    `Comma list of up to three of ${OUTCOME_DIMENSIONS.join(', ')}`,
  ),
  adjust: z
    .enum(['caseMix'])
    .optional()
    .meta({
      param: {
        description:
          'caseMix: with groupBy naming one dimension, add `adjusted`: each outcome rate of the groups crude and adjusted for case mix. Adjusted: regression standardisation (a logistic model of the rate on the group and the adjustment factors over every eligible episode; each group\'s rate is the mean predicted rate of all of them as if in that group), with differences and risk ratios against the first group and delta-method 95% intervals; if the model cannot be fitted, `model` says why and which level. Beside it, as the sensitivity analysis, direct standardisation over common support (share outside reported, and the crude rate of the same supported episodes) with the Mantel-Haenszel risk ratio. With Accept: text/csv the CSV is the adjusted comparison. See docs/outcomes.md, "Adjusted comparisons".',
      },
    }),
  within: z
    .enum(OUTCOME_DIMENSIONS)
    .optional()
    .meta({
      param: {
        description:
          'With adjust=caseMix: another dimension; the adjusted comparison is also made inside each of its levels (`adjusted.within.levels`), with the likelihood-ratio test of the group x within interaction for each rate (`adjusted.within.heterogeneity`: does the effect differ between the levels?).',
      },
    }),
  adjustFor: commaList(
    ADJUSTMENT_FACTOR_NAMES,
    `With adjust=caseMix: one to four of ${ADJUSTMENT_FACTOR_NAMES.join(', ')}; default ${DEFAULT_ADJUSTMENT.join(',')}`,
  ),
  ...CohortFilters.shape,
  ...BasisParameters.shape,
});

export const TimeToImprovementParameters = z.object({
  groupBy: z
    .enum(TIME_TO_IMPROVEMENT_DIMENSIONS)
    .optional()
    .meta({
      param: {
        description: `One of ${TIME_TO_IMPROVEMENT_DIMENSIONS.join(', ')}; omit for every episode as one group (all). The clock starts when the grouping is known (\`timeZero\` in the answer): plannedSessions at intake; problemArea at the landmark, session 3 (episodes still in treatment and not yet improved then); medication at the session it began (ongoing at intake: 0; started during treatment: that session, counted without medication until then).`,
      },
    }),
  ...CohortFilters.shape,
  ...BasisParameters.shape,
});

export const OffTrackParameters = z.object({
  clinic: clinicList(
    'Comma list of clinic codes; a clinic reader may name only its own. Default: every clinic the reader sees one by one.',
  ),
  ...BasisParameters.shape,
});

export const FindingEpisodesParameters = z.object({
  code: z
    .enum(FINDING_CODES)
    .optional()
    .meta({ param: { description: `One finding: ${FINDING_CODES.join(', ')}; omit for all` } }),
  ...CohortFilters.shape,
  ...BasisParameters.shape,
});
