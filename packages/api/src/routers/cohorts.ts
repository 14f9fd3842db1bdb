import { CohortName, OutcomeFilters } from '@ipt/analytics';
import { CohortVisibility, deleteCohort, listCohorts, saveCohort } from '@ipt/analytics/server';
import { z } from 'zod';
import { authedProcedure, router } from '../trpc.js';

/**
 * Named cohorts: definitions only, owned by whoever saved them, private or shared with the
 * network; numbers are computed when shown, within the reader's scope.
 */
export const SaveCohortInput = z.strictObject({
  name: CohortName,
  filters: OutcomeFilters,
  visibility: CohortVisibility.default('private'),
  /** Saving over an existing name of the same owner is a conflict unless this is true. */
  replace: z.boolean().default(false),
});
export const DeleteCohortInput = z.strictObject({
  name: CohortName,
  /** Another owner's cohort (stewards only); the caller's own when absent. */
  owner: z.string().max(160).optional(),
});

export const cohortsRouter = router({
  list: authedProcedure.query(({ ctx }) => listCohorts(ctx.warehouse, ctx.principal)),
  save: authedProcedure
    .input(SaveCohortInput)
    .mutation(({ ctx, input }) => saveCohort(ctx.warehouse, ctx.principal, input)),
  delete: authedProcedure
    .input(DeleteCohortInput)
    .mutation(({ ctx, input }) => deleteCohort(ctx.warehouse, ctx.principal, input)),
});
