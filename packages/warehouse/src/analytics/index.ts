export {
  CompareOutcomesInput,
  DIMENSIONS,
  OUTCOME_DIMENSIONS,
  type OutcomeDimension,
  OutcomeFilters,
} from './dimensions.js';
export {
  compareOutcomes,
  type OutcomeGroup,
  type OutcomesResult,
  type RateMetric,
} from './outcomes.js';
export { outcomesCsv, outcomesJson } from './render.js';
