/** Test support shared by the read API's and the dashboard's suites. */

export { builtEpisode } from './built-episode.js';
export { testDisclosure, testRecordKeys } from './disclosure.js';
export { INDEPENDENT_RATES, type IndependentRate } from './independent-measures.js';
export { expectedOutcomes, foldAll } from './independent-outcomes.js';
export { loadedWarehouse } from './loaded-warehouse.js';
export { stewardScope, testPrincipals } from './principals.js';
