import type { OutcomeFilters } from '../dimensions.js';
import type { OutcomeGroup } from '../types.js';
import { outcomesCsv } from './outcomes-csv.js';

/**
 * The overview's totals (tRPC `outcomes.overview`, the Overview page's download): the outcomes
 * breakdown without grouping, so the file is `GET /v1/outcomes` for the same filters.
 */
export function overviewCsv(
  result: { minCellSize: number; protected: boolean; total: OutcomeGroup | null },
  input: { filters: OutcomeFilters },
): string {
  return outcomesCsv(
    {
      minCellSize: result.minCellSize,
      protected: result.protected,
      groupBy: [],
      groups: result.total === null ? [] : [result.total],
    },
    input.filters,
  );
}
