import type { OutcomesResult } from '../types.js';

/**
 * The public JSON of an outcomes result (`GET /v1/outcomes`): each group carries its dimension
 * values beside its numbers, at full precision (rounding is for display only). Its CSV is
 * `outcomesCsv` (../csv), which the pages share.
 */
export function outcomesJson(result: OutcomesResult): Record<string, unknown> {
  return {
    minCellSize: result.minCellSize,
    protected: result.protected,
    groupBy: result.groupBy,
    groups: result.groups.map(({ dimensions, ...numbers }) => ({ ...dimensions, ...numbers })),
  };
}
