import { episodeRead, expectedRecoveryRead, offTrackRead } from '@ipt/analytics/server';
import { readProcedure, router } from '../trpc.js';

/** Signals for care (docs/outcomes.md, "Expected recovery and off-track episodes"). */
export const careRouter = router({
  expectedRecovery: readProcedure(expectedRecoveryRead),
  offTrack: readProcedure(offTrackRead),
  episode: readProcedure(episodeRead),
});
