import {
  AdjustedComparisonInput,
  BasisFields,
  CompareOutcomesInput,
  OUTCOME_DIMENSIONS,
  OutcomeFilters,
  TimeToImprovementInput,
} from '@ipt/analytics';
import {
  adjustedComparison,
  clinicAudit,
  compareOutcomes,
  dataQuality,
  doseResponse,
  findingEpisodes,
  outcomeTrend,
  timeToImprovement,
  trajectories,
} from '@ipt/analytics/server';
import { FINDING_CODES } from '@ipt/protocol';
import { z } from 'zod';
import { router, scopedProcedure } from '../trpc.js';

/** Procedures of the dashboard's pages, over the one analytics service, within a Scope. */
export const OverviewInput = z.strictObject({ filters: OutcomeFilters, ...BasisFields });
export const AuditInput = z.strictObject({
  level: z.enum(['clinic', 'therapist']),
  filters: OutcomeFilters,
  ...BasisFields,
});
export const FindingEpisodesInput = z.strictObject({
  filters: OutcomeFilters,
  code: z.enum(FINDING_CODES).optional(),
});
export const TrajectoriesInput = z.strictObject({
  groupBy: z.enum(OUTCOME_DIMENSIONS).nullable(),
  filters: OutcomeFilters,
  ...BasisFields,
});

export const outcomesRouter = router({
  /** Totals, outcome rates and the trend by month of start, for a cohort. */
  overview: scopedProcedure.input(OverviewInput).query(async ({ ctx, input }) => {
    const options = ctx.release;
    const totals = await compareOutcomes(
      ctx.warehouse,
      ctx.scope,
      { groupBy: [], filters: input.filters },
      options,
    );
    const trend = await outcomeTrend(ctx.warehouse, ctx.scope, input.filters, options);
    return {
      minCellSize: totals.minCellSize,
      protected: totals.protected,
      release: ctx.scope.release,
      total: totals.groups[0] ?? null,
      trend: trend.points,
    };
  }),
  /** Mean PHQ-9 by session number per group, with 95% intervals. */
  trajectories: scopedProcedure
    .input(TrajectoriesInput)
    .query(({ ctx, input }) => trajectories(ctx.warehouse, ctx.scope, input, ctx.release)),
  /**
   * Time to reliable improvement by session per group known at intake (Aalen-Johansen), with 95%
   * intervals: the same numbers as GET /v1/time-to-improvement.
   */
  timeToImprovement: scopedProcedure
    .input(TimeToImprovementInput.extend(BasisFields))
    .query(({ ctx, input }) => timeToImprovement(ctx.warehouse, ctx.scope, input, ctx.release)),
  /** Share reliably improved and recovered by sessions attended. */
  doseResponse: scopedProcedure
    .input(OverviewInput)
    .query(({ ctx, input }) => doseResponse(ctx.warehouse, ctx.scope, input.filters, ctx.release)),
  /** Clinics or therapists against the network: standardised rates, funnel, fidelity. */
  audit: scopedProcedure
    .input(AuditInput)
    .query(({ ctx, input }) => clinicAudit(ctx.warehouse, ctx.scope, input, ctx.release)),
  /** Ingest, rejects, dead letters, findings and paired completeness by clinic. */
  dataQuality: scopedProcedure
    .input(OverviewInput)
    .query(({ ctx, input }) => dataQuality(ctx.warehouse, ctx.scope, input.filters, ctx.release)),
  /** The episodes behind each finding, pseudonyms only (the steward, a clinic's own readers). */
  findingEpisodes: scopedProcedure
    .input(FindingEpisodesInput)
    .query(({ ctx, input }) =>
      findingEpisodes(ctx.warehouse, ctx.scope, input.filters, input.code),
    ),
  /** Up to three dimensions: the same numbers as GET /v1/outcomes. */
  compare: scopedProcedure
    .input(CompareOutcomesInput.extend(BasisFields))
    .query(({ ctx, input }) => compareOutcomes(ctx.warehouse, ctx.scope, input, ctx.release)),
  /**
   * The groups of one dimension, crude and adjusted for case mix (direct standardisation and
   * the Mantel-Haenszel risk ratio): the same numbers as GET /v1/outcomes?adjust=caseMix.
   */
  adjusted: scopedProcedure
    .input(AdjustedComparisonInput.extend(BasisFields))
    .query(({ ctx, input }) => adjustedComparison(ctx.warehouse, ctx.scope, input, ctx.release)),
});
