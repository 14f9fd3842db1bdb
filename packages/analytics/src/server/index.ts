/** @ipt/analytics/server: the analytics queries over the warehouse. Server only. */

export {
  type AccessEntry,
  type AccessLog,
  AccessLogQuery,
  type AccessLogRow,
  countCells,
  createAccessLog,
  readAccessLog,
} from './access-log.js';
export { clinicAudit } from './audit.js';
export { CohortVisibility, deleteCohort, listCohorts, saveCohort } from './cohorts.js';
export { dataQuality } from './data-quality.js';
export { AccessDeniedError, ConflictError } from './errors.js';
export { compareOutcomes, outcomeTrend } from './outcomes.js';
export { outcomesCsv, outcomesJson } from './render.js';
export { operationalScope, scopeFor, scopeWhere } from './scope.js';
export { doseResponse, TRAJECTORY_MAX_SESSION, trajectories } from './trajectories.js';
