export { compareGroups, type GroupComparison } from './adjusted-comparison.js';
export {
  aalenJohansen,
  aalenJohansenFromCounts,
  type CompetingObservation,
  type CompetingStatus,
  type IncidencePoint,
  type SessionCounts,
} from './cumulative-incidence.js';
export { mean, sampleStandardDeviation } from './descriptive.js';
export { prePostEffectSize } from './effect-size.js';
export { type HeterogeneityTest, interactionTest, type WithinCount } from './heterogeneity.js';
export {
  type CategoricalFactor,
  type DesignColumn,
  fitLogistic,
  type LogisticFit,
  type LogisticModel,
  type PatternCount,
  type SeparatedLevel,
} from './logistic-regression.js';
export { mantelHaenszelRiskRatio, type RiskRatio, type RiskStratum } from './mantel-haenszel.js';
export { meanInterval } from './mean-interval.js';
export { expectedByModel, type ModelExpected, type UnitPattern } from './model-expected.js';
export {
  effectSizeFromMoments,
  meanIntervalFromMoments,
  momentsFromSums,
  type SampleMoments,
  type SampleSums,
} from './moments.js';
export { normalQuantile } from './normal.js';
export { quantileType7 } from './quantile.js';
export {
  type DeltaEstimate,
  type GroupStratumCount,
  type RegressionStandardisation,
  type RegressionStandardiseOptions,
  regressionStandardise,
} from './regression-standardisation.js';
export { chiSquareSurvival } from './special.js';
export {
  type CommonSupport,
  commonSupport,
  type Difference,
  directlyStandardise,
  noiseVarianceOfRate,
  rateDifference,
  type Standardisation,
  type StandardisedRate,
  type StandardiseOptions,
  type StratumCell,
  Z95,
} from './standardisation.js';
export { studentTCdf, studentTQuantile } from './student-t.js';
export { wilsonInterval } from './wilson.js';
