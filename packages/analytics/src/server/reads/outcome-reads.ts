import { FINDING_CODES } from '@ipt/protocol';
import { z } from 'zod';
import { BasisFields } from '../../access.js';
import { adjustedCsv } from '../../csv/adjusted-csv.js';
import { auditCsv } from '../../csv/audit-csv.js';
import { findingEpisodesCsv } from '../../csv/finding-episodes-csv.js';
import { outcomesCsv } from '../../csv/outcomes-csv.js';
import { overviewCsv } from '../../csv/overview-csv.js';
import { timeToImprovementCsv } from '../../csv/time-to-improvement-csv.js';
import { trajectoriesCsv } from '../../csv/trajectories-csv.js';
import {
  ADJUSTMENT_FACTOR_NAMES,
  AdjustedComparisonFields,
  AdjustedComparisonInput,
  CompareOutcomesInput,
  OUTCOME_DIMENSIONS,
  OutcomeFilters,
  TIME_TO_IMPROVEMENT_DIMENSIONS,
  TimeToImprovementInput,
  withinAnotherDimension,
} from '../../dimensions.js';
import { QuestionError } from '../../errors.js';
import { adjustedComparison } from '../adjusted.js';
import { clinicAudit } from '../audit.js';
import { dataQuality, findingEpisodes } from '../data-quality.js';
import { compareOutcomes, outcomeTrend } from '../outcomes.js';
import { outcomesJson } from '../render.js';
import { timeToImprovement } from '../time-to-improvement.js';
import { doseResponse, trajectories } from '../trajectories.js';
import { defineRead } from './define-read.js';

/** The reads of cohort outcomes (docs/outcomes.md): each a question about a cohort's numbers. */

export const OverviewInput = z.strictObject({ filters: OutcomeFilters, ...BasisFields });
export const AuditInput = z.strictObject({
  level: z.enum(['clinic', 'therapist']),
  filters: OutcomeFilters,
  ...BasisFields,
});
export const FindingEpisodesInput = z.strictObject({
  filters: OutcomeFilters,
  code: z.enum(FINDING_CODES).optional(),
  // Asked so that the answer can say why there is none: findings are of the live log.
  ...BasisFields,
});
export const TrajectoriesInput = z.strictObject({
  groupBy: z.enum(OUTCOME_DIMENSIONS).nullable(),
  filters: OutcomeFilters,
  ...BasisFields,
});

/** Totals, outcome rates and the trend by month of start, for a cohort. */
export const overviewRead = defineRead({
  name: 'outcomes.overview',
  input: OverviewInput,
  capability: 'outcomes:read',
  scope: 'cohort',
  run: async ({ warehouse, scope, disclosure }, input) => {
    const totals = await compareOutcomes(
      warehouse,
      scope,
      { groupBy: [], filters: input.filters },
      disclosure,
    );
    const trend = await outcomeTrend(warehouse, scope, input.filters, disclosure);
    return {
      minCellSize: totals.minCellSize,
      protected: totals.protected,
      disclosure: scope.disclosure,
      total: totals.groups[0] ?? null,
      trend: trend.points,
    };
  },
  csv: overviewCsv,
});

/** Mean PHQ-9 by session number per group, with 95% intervals. */
export const trajectoriesRead = defineRead({
  name: 'outcomes.trajectories',
  input: TrajectoriesInput,
  capability: 'outcomes:read',
  scope: 'cohort',
  run: ({ warehouse, scope, disclosure }, input) =>
    trajectories(warehouse, scope, input, disclosure),
  csv: trajectoriesCsv,
});

/**
 * Time to reliable improvement by session per group known at intake (Aalen-Johansen), with 95%
 * intervals.
 */
export const timeToImprovementRead = defineRead({
  name: 'outcomes.timeToImprovement',
  input: TimeToImprovementInput.extend(BasisFields),
  capability: 'outcomes:read',
  scope: 'cohort',
  run: ({ warehouse, scope, disclosure }, input) =>
    timeToImprovement(warehouse, scope, input, disclosure),
  csv: (output, input) => timeToImprovementCsv(output, input.filters),
  rest: {
    path: '/v1/time-to-improvement',
    params: ['groupBy'],
    usage: `use groupBy (one of ${TIME_TO_IMPROVEMENT_DIMENSIONS.join(', ')})`,
    cohortFilters: true,
    input: ({ list, filters }) => {
      const groupBy = list('groupBy') ?? [];
      // One dimension or none; a list of two is refused by the enum with the names.
      return {
        groupBy: groupBy.length === 0 ? null : groupBy.length === 1 ? groupBy[0] : groupBy,
        filters,
      };
    },
  },
});

/** Share reliably improved and recovered by sessions attended. */
export const doseResponseRead = defineRead({
  name: 'outcomes.doseResponse',
  input: OverviewInput,
  capability: 'outcomes:read',
  scope: 'cohort',
  run: ({ warehouse, scope, disclosure }, input) =>
    doseResponse(warehouse, scope, input.filters, disclosure),
});

/** Clinics or therapists against the network: standardised rates, funnel, fidelity. */
export const auditRead = defineRead({
  name: 'outcomes.audit',
  input: AuditInput,
  capability: (input) => (input.level === 'therapist' ? 'audit:therapists' : 'audit:clinics'),
  scope: 'cohort',
  run: ({ warehouse, scope, disclosure }, input) =>
    clinicAudit(warehouse, scope, input, disclosure),
  csv: (output, input) => auditCsv(output, input.filters),
});

/** Ingest, rejects, dead letters, findings and paired completeness by clinic. */
export const dataQualityRead = defineRead({
  name: 'outcomes.dataQuality',
  input: OverviewInput,
  capability: 'dataQuality:read',
  scope: 'cohort',
  run: ({ warehouse, scope, disclosure }, input) =>
    dataQuality(warehouse, scope, input.filters, disclosure),
});

/** The episodes behind each finding, pseudonyms only (the steward, a clinic's own readers). */
export const findingEpisodesRead = defineRead({
  name: 'outcomes.findingEpisodes',
  input: FindingEpisodesInput,
  capability: 'episodes:list',
  scope: 'cohort',
  run: ({ warehouse, scope }, input) =>
    findingEpisodes(warehouse, scope, input.filters, input.code),
  csv: (output, input) => findingEpisodesCsv(output, input.filters),
  rest: {
    path: '/v1/finding-episodes',
    params: ['code'],
    usage: `use code (one of ${FINDING_CODES.join(', ')})`,
    cohortFilters: true,
    input: ({ single, filters }) => {
      const code = single('code');
      return code === undefined ? { filters } : { code, filters };
    },
  },
});

/** Up to three dimensions: rates by group with the k rule and, for protected readers, noise. */
export const compareRead = defineRead({
  name: 'outcomes.compare',
  input: CompareOutcomesInput.extend(BasisFields),
  capability: 'outcomes:read',
  scope: 'cohort',
  run: ({ warehouse, scope, disclosure }, input) =>
    compareOutcomes(warehouse, scope, input, disclosure),
  csv: (output, input) => outcomesCsv(output, input.filters),
});

/**
 * The groups of one dimension, crude and adjusted for case mix (direct standardisation and
 * the Mantel-Haenszel risk ratio).
 */
export const adjustedRead = defineRead({
  name: 'outcomes.adjusted',
  input: withinAnotherDimension(AdjustedComparisonFields.extend(BasisFields)),
  capability: 'outcomes:read',
  scope: 'cohort',
  run: ({ warehouse, scope, disclosure }, input) =>
    adjustedComparison(warehouse, scope, input, disclosure),
  csv: (output, input) => adjustedCsv(output, input.filters),
});

const BreakdownInput = CompareOutcomesInput.extend({
  adjust: z.literal('caseMix').optional(),
  adjustFor: z.array(z.string()).optional(),
  within: z.string().optional(),
  ...BasisFields,
});

/**
 * `GET /v1/outcomes`: the breakdown, and with `adjust=caseMix` the adjusted comparison of its
 * one dimension's groups (the CSV is then the comparison's).
 */
export const breakdownRead = defineRead({
  name: 'outcomes.breakdown',
  input: BreakdownInput,
  capability: 'outcomes:read',
  scope: 'cohort',
  run: async ({ warehouse, scope, disclosure }, input) => {
    const result = await compareOutcomes(warehouse, scope, input, disclosure);
    if (input.adjust === undefined) return { result, comparison: null };
    const [compare] = input.groupBy;
    const comparison = await adjustedComparison(
      warehouse,
      scope,
      AdjustedComparisonInput.parse({
        compare,
        ...(input.adjustFor === undefined ? {} : { adjustFor: input.adjustFor }),
        ...(input.within === undefined ? {} : { within: input.within }),
        filters: input.filters,
      }),
      disclosure,
    );
    return { result, comparison };
  },
  asked: (input, { comparison }) => {
    const { adjust: _adjust, adjustFor: _adjustFor, within: _within, ...question } = input;
    return comparison === null
      ? question
      : {
          ...question,
          adjust: 'caseMix',
          adjustFor: comparison.adjustFor,
          ...(comparison.within === null ? {} : { within: comparison.within.dimension }),
        };
  },
  json: ({ result, comparison }) =>
    comparison === null ? outcomesJson(result) : { ...outcomesJson(result), adjusted: comparison },
  csv: ({ result, comparison }, input) =>
    comparison === null
      ? outcomesCsv(result, input.filters)
      : adjustedCsv(comparison, input.filters),
  rest: {
    path: '/v1/outcomes',
    params: ['groupBy', 'adjust', 'adjustFor', 'within'],
    usage: `use groupBy (${OUTCOME_DIMENSIONS.join(', ')}), adjust=caseMix with adjustFor (${ADJUSTMENT_FACTOR_NAMES.join(', ')}) and within (another of ${OUTCOME_DIMENSIONS.join(', ')})`,
    cohortFilters: true,
    input: ({ single, list, filters }) => {
      const groupBy = list('groupBy') ?? [];
      const adjust = single('adjust');
      const adjustFor = list('adjustFor');
      const within = single('within');
      if (adjust === undefined) {
        if (adjustFor !== undefined) throw new QuestionError('adjustFor needs adjust=caseMix');
        if (within !== undefined) throw new QuestionError('within needs adjust=caseMix');
        return { groupBy, filters };
      }
      if (adjust !== 'caseMix') {
        throw new QuestionError(`adjust: the only adjustment is caseMix; got ${adjust}`);
      }
      if (groupBy.length !== 1) {
        throw new QuestionError(
          `adjust=caseMix compares the groups of one dimension: give groupBy one of ${OUTCOME_DIMENSIONS.join(', ')}`,
        );
      }
      return {
        groupBy,
        adjust,
        ...(adjustFor === undefined ? {} : { adjustFor }),
        ...(within === undefined ? {} : { within }),
        filters,
      };
    },
  },
});
