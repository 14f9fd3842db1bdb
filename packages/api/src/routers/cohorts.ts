import { CohortName, OutcomeFilters } from '@ipt/analytics';
import { deleteCohort, listCohorts, saveCohort } from '@ipt/analytics/server';
import { z } from 'zod';
import { publicProcedure, router } from '../trpc.js';

/** Named cohorts shared by the team: definitions only; numbers are computed when shown. */
export const SaveCohortInput = z.strictObject({ name: CohortName, filters: OutcomeFilters });

export const cohortsRouter = router({
  list: publicProcedure.query(({ ctx }) => listCohorts(ctx.warehouse)),
  save: publicProcedure
    .input(SaveCohortInput)
    .mutation(({ ctx, input }) => saveCohort(ctx.warehouse, input)),
  delete: publicProcedure
    .input(z.strictObject({ name: CohortName }))
    .mutation(({ ctx, input }) => deleteCohort(ctx.warehouse, input.name)),
});
