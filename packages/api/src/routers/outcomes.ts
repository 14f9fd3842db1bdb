import { CompareOutcomesInput, OutcomeFilters } from '@ipt/analytics';
import { compareOutcomes, outcomeTrend } from '@ipt/analytics/server';
import { z } from 'zod';
import { publicProcedure, router } from '../trpc.js';

/** Procedures of the Overview and Compare pages, over the one analytics service. */
export const OverviewInput = z.strictObject({ filters: OutcomeFilters });

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
  /** Up to three dimensions: the same numbers as GET /v1/outcomes. */
  compare: publicProcedure
    .input(CompareOutcomesInput)
    .query(({ ctx, input }) =>
      compareOutcomes(ctx.warehouse, input, { minCellSize: ctx.minCellSize }),
    ),
});
