/**
 * @ipt/analytics: what the read API and the dashboard ask and get. This entry is client-safe
 * (schemas and types only); the queries are in `@ipt/analytics/server`.
 */
export {
  type Basis,
  BasisFields,
  type BasisStamp,
  LIVE,
  Principal,
  ReleaseName,
  type Scope,
} from './access.js';
export {
  assertCan,
  boundClinics,
  CAPABILITIES,
  CAPABILITY_NAMES,
  type Capability,
  can,
  READ_ROLES,
  type ReadRole,
  ROLES,
  type RoleDefinition,
} from './capabilities.js';
export * from './csv/index.js';
export {
  ADJUSTMENT_FACTOR_NAMES,
  AdjustedComparisonInput,
  type AdjustmentFactor,
  CohortName,
  CompareOutcomesInput,
  DATE_FILTER_NAMES,
  DEFAULT_ADJUSTMENT,
  DIMENSIONS,
  FILTER_VOCABULARIES,
  type GroupingDimension,
  LIST_FILTER_NAMES,
  OUTCOME_DIMENSIONS,
  type OutcomeDimension,
  OutcomeFilters,
  TIME_TO_IMPROVEMENT_DIMENSIONS,
  type TimeToImprovementDimension,
  TimeToImprovementInput,
} from './dimensions.js';
export { issuesMessage } from './issues-message.js';
export type {
  AdjustedComparisonResult,
  AdjustedMeasure,
  AuditResult,
  AuditUnit,
  DataQualityResult,
  Disclosure,
  DoseResponseResult,
  EpisodeScoresResult,
  Estimate,
  ExpectedRecoveryResult,
  HeterogeneityResult,
  ModelFailure,
  OffTrackEpisode,
  OffTrackListResult,
  OutcomeGroup,
  OutcomesResult,
  RateMetric,
  SavedCohort,
  TimeToImprovementResult,
  TimeZero,
  TrajectoryPoint,
  TrajectoryResult,
  TrendResult,
} from './types.js';
