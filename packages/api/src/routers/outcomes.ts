import { CompareOutcomesInput, OUTCOME_DIMENSIONS, OutcomeFilters } from '@ipt/analytics';
import {
  clinicAudit,
  compareOutcomes,
  dataQuality,
  doseResponse,
  outcomeTrend,
  trajectories,
} from '@ipt/analytics/server';
import { z } from 'zod';
import { publicProcedure, router } from '../trpc.js';

/** Procedures of the Overview and Compare pages, over the one analytics service. */
export const OverviewInput = z.strictObject({ filters: OutcomeFilters });
export const AuditInput = z.strictObject({
  level: z.enum(['clinic', 'therapist']),
  filters: OutcomeFilters,
});
export const TrajectoriesInput = z.strictObject({
  groupBy: z.enum(OUTCOME_DIMENSIONS).nullable(),
  filters: OutcomeFilters,
});

export const outcomesRouter = router({
  /** Totals, outcome rates and the trend by month of start, for a cohort. */
  overview: publicProcedure.input(OverviewInput).query(async ({ ctx, input }) => {
    const options = { minCellSize: ctx.minCellSize };
    const [totals, trend] = await Promise.all([
      compareOutcomes(ctx.warehouse, { groupBy: [], filters: input.filters }, options),
      outcomeTrend(ctx.warehouse, input.filters, options),
    ]);
    return {
      minCellSize: totals.minCellSize,
      total: totals.groups[0] ?? null,
      trend: trend.points,
    };
  }),
  /** Mean PHQ-9 by session number per group, with 95% intervals. */
  trajectories: publicProcedure
    .input(TrajectoriesInput)
    .query(({ ctx, input }) =>
      trajectories(ctx.warehouse, input, { minCellSize: ctx.minCellSize }),
    ),
  /** Share reliably improved and recovered by sessions attended. */
  doseResponse: publicProcedure
    .input(OverviewInput)
    .query(({ ctx, input }) =>
      doseResponse(ctx.warehouse, input.filters, { minCellSize: ctx.minCellSize }),
    ),
  /** Clinics or therapists against the network: standardised rates, funnel, fidelity. */
  audit: publicProcedure
    .input(AuditInput)
    .query(({ ctx, input }) => clinicAudit(ctx.warehouse, input, { minCellSize: ctx.minCellSize })),
  /** Ingest, rejects, dead letters, findings and paired completeness by clinic. */
  dataQuality: publicProcedure
    .input(OverviewInput)
    .query(({ ctx, input }) =>
      dataQuality(ctx.warehouse, input.filters, { minCellSize: ctx.minCellSize }),
    ),
  /** Up to three dimensions: the same numbers as GET /v1/outcomes. */
  compare: publicProcedure
    .input(CompareOutcomesInput)
    .query(({ ctx, input }) =>
      compareOutcomes(ctx.warehouse, input, { minCellSize: ctx.minCellSize }),
    ),
});
