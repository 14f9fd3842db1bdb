/** @ipt/analytics/server: the analytics queries over the warehouse. Server only. */

export { clinicAudit } from './audit.js';
export { deleteCohort, listCohorts, saveCohort } from './cohorts.js';
export { dataQuality } from './data-quality.js';
export { compareOutcomes, outcomeTrend } from './outcomes.js';
export { outcomesCsv, outcomesJson } from './render.js';
export { doseResponse, TRAJECTORY_MAX_SESSION, trajectories } from './trajectories.js';
