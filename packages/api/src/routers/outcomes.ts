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
} from '@ipt/analytics/server';
import { readProcedure, router } from '../trpc.js';

/** The dashboard's pages' reads of cohort outcomes, each made from its definition. */
export const outcomesRouter = router({
  overview: readProcedure(overviewRead),
  trajectories: readProcedure(trajectoriesRead),
  timeToImprovement: readProcedure(timeToImprovementRead),
  doseResponse: readProcedure(doseResponseRead),
  audit: readProcedure(auditRead),
  dataQuality: readProcedure(dataQualityRead),
  findingEpisodes: readProcedure(findingEpisodesRead),
  compare: readProcedure(compareRead),
  adjusted: readProcedure(adjustedRead),
  /** The same question and answer as GET /v1/outcomes. */
  breakdown: readProcedure(breakdownRead),
});
