import { BasisFields } from '@ipt/analytics';
import { episodeScores, expectedRecovery, offTrackEpisodes } from '@ipt/analytics/server';
import { clinicCode, episodePseudonym } from '@ipt/events';
import { z } from 'zod';
import { basedProcedure, router, scopedProcedure } from '../trpc.js';

/** The expected curves are the network's reference: one question, no cohort filters. */
export const ExpectedRecoveryInput = z.strictObject({
  filters: z.strictObject({}, { error: 'the expected curves are of the whole network' }),
  ...BasisFields,
});
export const OffTrackInput = z.strictObject({
  clinic: z.array(clinicCode).min(1).optional(),
  ...BasisFields,
});
export const EpisodeInput = z.strictObject({ episodeId: episodePseudonym, ...BasisFields });

/**
 * Signals for care (docs/outcomes.md, "Expected recovery and off-track episodes"): the expected
 * curves for every reader (protected for protected readers), and episodes one by one only for
 * their own clinic's readers and the steward.
 */
export const careRouter = router({
  /** Per baseline band, the 10th, 50th and 90th percentile PHQ-9 by session. */
  expectedRecovery: scopedProcedure
    .input(ExpectedRecoveryInput)
    .query(({ ctx }) => expectedRecovery(ctx.warehouse, ctx.scope, ctx.release)),
  /** The reader's clinics' open episodes off track now (pseudonyms only). */
  offTrack: basedProcedure
    .input(OffTrackInput)
    .query(({ ctx, input }) =>
      offTrackEpisodes(ctx.warehouse, ctx.principal, input, ctx.basis, ctx.release),
    ),
  /** One of the reader's clinics' episodes, by pseudonym, to lay over its band; null if none. */
  episode: basedProcedure
    .input(EpisodeInput)
    .query(({ ctx, input }) =>
      episodeScores(ctx.warehouse, ctx.principal, input.episodeId, ctx.basis),
    ),
});
