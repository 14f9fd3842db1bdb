import { clinicCode, episodePseudonym } from '@ipt/events';
import { z } from 'zod';
import { BasisFields } from '../../access.js';
import { expectedRecoveryCsv } from '../../csv/expected-recovery-csv.js';
import { offTrackCsv } from '../../csv/off-track-csv.js';
import { expectedRecovery } from '../expected-recovery.js';
import { episodeScores, offTrackEpisodes } from '../off-track.js';
import { defineRead } from './define-read.js';

/**
 * Signals for care (docs/outcomes.md, "Expected recovery and off-track episodes"): the expected
 * curves for every reader (protected for protected readers), and episodes one by one only for
 * their own clinic's readers and the steward.
 */

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

/** Per baseline band, the 10th, 50th and 90th percentile PHQ-9 by session. */
export const expectedRecoveryRead = defineRead({
  name: 'care.expectedRecovery',
  input: ExpectedRecoveryInput,
  capability: 'outcomes:read',
  scope: 'cohort',
  run: ({ warehouse, scope, disclosure }) => expectedRecovery(warehouse, scope, disclosure),
  csv: expectedRecoveryCsv,
});

/**
 * The reader's clinics' open episodes off track now (pseudonyms only: the source re-identifies
 * them with its own secret, `reidentify` in @ipt-outcomes/source).
 */
export const offTrackRead = defineRead({
  name: 'care.offTrack',
  input: OffTrackInput,
  capability: 'episodes:list',
  scope: 'rows',
  run: ({ warehouse, scope, disclosure }, input) =>
    offTrackEpisodes(warehouse, scope, input, disclosure),
  csv: offTrackCsv,
  rest: {
    path: '/v1/off-track',
    params: ['clinic'],
    usage: 'use clinic (a comma list of clinic codes)',
    // Cohort filters do not narrow a list of episodes; only the clinic does.
    cohortFilters: false,
    input: ({ list }) => {
      const clinic = list('clinic');
      return clinic === undefined ? {} : { clinic };
    },
  },
});

/** One of the reader's clinics' episodes, by pseudonym, to lay over its band; null if none. */
export const episodeRead = defineRead({
  name: 'care.episode',
  input: EpisodeInput,
  capability: 'episodes:list',
  scope: 'rows',
  run: ({ warehouse, scope }, input) => episodeScores(warehouse, scope, input.episodeId),
});
