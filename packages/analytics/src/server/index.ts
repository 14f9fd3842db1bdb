/** @ipt/analytics/server: the analytics queries over the warehouse. Server only. */

export {
  AccessDeniedError,
  BudgetExceededError,
  ConflictError,
  NotFoundError,
  ProtectionUnavailableError,
  QuestionError,
} from '../errors.js';
export {
  type AccessEntry,
  type AccessLog,
  AccessLogQuery,
  type AccessLogRow,
  countCells,
  createAccessLog,
  readAccessLog,
} from './access-log.js';
export { adjustedComparison } from './adjusted.js';
export { clinicAudit, FIDELITY_APPLIES_SQL, fidelityMetSql } from './audit.js';
export { basisKey, basisStamp, episodesFrom, scoresFrom } from './basis.js';
export { type CohortBudget, canonicalCohort, createCohortBudget, readBudgets } from './budget.js';
export { CohortVisibility, deleteCohort, listCohorts, saveCohort } from './cohorts.js';
export { dataQuality, FINDING_EPISODES_LIMIT, findingEpisodes } from './data-quality.js';
export { type DisclosureRule, type DisclosureSettings, disclosureFor } from './disclosure.js';
export { expectedRecovery, expectedReference } from './expected-recovery.js';
export {
  basisOf,
  createRelease,
  deleteRelease,
  type FrozenRelease,
  findRelease,
  latestRecorded,
  listReleases,
  RELEASE_FIELDS,
  type ReleaseVerification,
  verifyRelease,
} from './frozen-releases.js';
export { assertKnownClinics } from './known-clinics.js';
export { createNoiseDraw } from './noise-draw.js';
export { episodeScores, offTrackEpisodes, offTrackSql } from './off-track.js';
export { compareOutcomes, outcomeTrend } from './outcomes.js';
export { FLAG_SQL, outcomesSql } from './outcomes-sql.js';
export * from './reads/index.js';
export { outcomesJson } from './render.js';
export { assertRowScope, rowScope, scopeFor, scopeWhere } from './scope.js';
export { timeToImprovement } from './time-to-improvement.js';
export {
  DOSE_MAX_SESSIONS,
  doseResponse,
  TRAJECTORY_MAX_SESSION,
  trajectories,
} from './trajectories.js';
