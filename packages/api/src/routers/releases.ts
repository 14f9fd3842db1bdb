import { ReleaseName } from '@ipt/analytics';
import {
  basisRead,
  createRelease,
  deleteRelease,
  releasesRead,
  verifyReleaseRead,
} from '@ipt/analytics/server';
import { z } from 'zod';
import { authedProcedure, readProcedure, router } from '../trpc.js';

export const CreateReleaseInput = z.strictObject({
  name: ReleaseName,
  asOf: z.iso.datetime({
    offset: true,
    error: 'asOf must be an ISO 8601 timestamp with a zone, e.g. 2026-06-30T23:59:59Z',
  }),
  note: z.string().max(500, 'a note is at most 500 characters').optional(),
});

/**
 * Frozen releases (docs/outcomes.md, "As of and releases"): listed for every reader, made, deleted
 * and verified by the steward; every call is in the access log (authedProcedure).
 */
export const releasesRouter = router({
  list: readProcedure(releasesRead),
  basis: readProcedure(basisRead),
  create: authedProcedure
    .input(CreateReleaseInput)
    .mutation(({ ctx, input }) => createRelease(ctx.warehouse, ctx.principal, input)),
  delete: authedProcedure
    .input(z.strictObject({ name: ReleaseName }))
    .mutation(async ({ ctx, input }) => {
      await deleteRelease(ctx.warehouse, ctx.principal, input.name);
      return { deleted: input.name };
    }),
  verify: readProcedure(verifyReleaseRead),
});
