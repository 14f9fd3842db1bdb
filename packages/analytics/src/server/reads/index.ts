import { episodeRead, expectedRecoveryRead, offTrackRead } from './care-reads.js';
import type { AnyRead } from './define-read.js';
import {
  accessLogRead,
  basisRead,
  budgetsRead,
  releasesRead,
  verifyReleaseRead,
} from './governance-reads.js';
import {
  adjustedRead,
  auditRead,
  breakdownRead,
  compareRead,
  dataQualityRead,
  doseResponseRead,
  findingEpisodesRead,
  overviewRead,
  timeToImprovementRead,
  trajectoriesRead,
} from './outcome-reads.js';

export * from './care-reads.js';
export * from './define-read.js';
export * from './error-table.js';
export * from './governance-reads.js';
export * from './governed-read.js';
export * from './outcome-reads.js';

/**
 * Every read of the service, once: the tRPC router, the REST routes (those with a `rest`
 * form), the OpenAPI paths and the capability matrix test are made from this list.
 */
export const READS: readonly AnyRead[] = [
  overviewRead,
  trajectoriesRead,
  timeToImprovementRead,
  doseResponseRead,
  auditRead,
  dataQualityRead,
  findingEpisodesRead,
  compareRead,
  adjustedRead,
  breakdownRead,
  expectedRecoveryRead,
  offTrackRead,
  episodeRead,
  accessLogRead,
  budgetsRead,
  releasesRead,
  basisRead,
  verifyReleaseRead,
];
