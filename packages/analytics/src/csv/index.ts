export { adjustedCsv } from './adjusted-csv.js';
export { auditCsv, offTrackAbove } from './audit-csv.js';
export { withBasisColumns } from './basis-columns.js';
export { type CsvValue, csvCell, csvFile, csvLabel, filtersText } from './cells.js';
export { findingEpisodesCsv } from './finding-episodes-csv.js';
export { offTrackCsv } from './off-track-csv.js';
export { outcomesCsv, rateCells, rateColumns } from './outcomes-csv.js';
export { timeToImprovementCsv } from './time-to-improvement-csv.js';
