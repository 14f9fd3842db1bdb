import { BasisFields, ReleaseName } from '@ipt/analytics';
import {
  createRelease,
  deleteRelease,
  latestRecorded,
  listReleases,
  verifyRelease,
} from '@ipt/analytics/server';
import { z } from 'zod';
import { authedProcedure, basedProcedure, router, stewardProcedure } from '../trpc.js';

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
  /** Every release one may ask of, newest first. */
  list: authedProcedure.query(async ({ ctx }) => ({
    releases: await listReleases(ctx.warehouse),
  })),
  /**
   * What the numbers of a question with this basis are as of (for the note on every page): the
   * release's or the asked moment, or for live numbers the latest event recorded.
   */
  basis: basedProcedure.input(z.strictObject(BasisFields)).query(async ({ ctx }) => ({
    recordedUpTo: ctx.basis.kind === 'live' ? await latestRecorded(ctx.warehouse) : ctx.basis.asOf,
  })),
  create: authedProcedure
    .input(CreateReleaseInput)
    .mutation(({ ctx, input }) => createRelease(ctx.warehouse, ctx.principal, input)),
  delete: authedProcedure
    .input(z.strictObject({ name: ReleaseName }))
    .mutation(async ({ ctx, input }) => {
      await deleteRelease(ctx.warehouse, ctx.principal, input.name);
      return { deleted: input.name };
    }),
  /** Recomputes the content hash of a release from its rows. */
  verify: stewardProcedure
    .input(z.strictObject({ name: ReleaseName }))
    .query(({ ctx, input }) => verifyRelease(ctx.warehouse, input.name)),
});
