import {
  ADJUSTMENT_FACTOR_NAMES,
  AdjustedComparisonInput,
  CompareOutcomesInput,
  OUTCOME_DIMENSIONS,
} from '@ipt/analytics';
import {
  adjustedComparison,
  adjustedCsv,
  compareOutcomes,
  outcomesCsv,
  outcomesJson,
} from '@ipt/analytics/server';
import type { Warehouse } from '@ipt/warehouse';
import type { Router } from 'express';
import type { AppContext } from '../context.js';
import { badRequest } from '../infra/http-error.js';
import { invalidQuery, readQuery } from './read-query.js';
import { readRoute } from './read-route.js';

/**
 * `GET /v1/outcomes?groupBy=<dims>&<filters>`: the read API for scripts. Aggregates only, within
 * the reader's scope (a clinic reader: its own clinics exact, the network as aggregates), with
 * the k rule (and, for protected readers, cell-key noise) applied on the server, cell by cell,
 * before anything is written to the response.
 * `adjust=caseMix` adds the adjusted comparison of one dimension's groups. `Accept: text/csv`
 * gives the same numbers as CSV.
 */
export function outcomesRouter(ctx: AppContext, warehouse: Warehouse): Router {
  return readRoute(ctx, warehouse, {
    path: '/v1/outcomes',
    parse: parseQuery,
    answer: async (scope, { input, adjusted }) => {
      const result = await compareOutcomes(warehouse, scope, input, ctx.release);
      if (adjusted === null) {
        return {
          released: result,
          asked: input,
          json: () => outcomesJson(result),
          csv: () => outcomesCsv(result),
        };
      }
      const comparison = await adjustedComparison(warehouse, scope, adjusted, ctx.release);
      return {
        released: [result, comparison],
        asked: { ...input, adjust: 'caseMix', adjustFor: comparison.adjustFor },
        json: () => ({ ...outcomesJson(result), adjusted: comparison }),
        csv: () => adjustedCsv(comparison),
      };
    },
  });
}

/** The question: the breakdown, and the adjusted comparison when `adjust=caseMix` asks for it. */
function parseQuery(query: Record<string, unknown>): {
  input: CompareOutcomesInput;
  adjusted: AdjustedComparisonInput | null;
  filters: CompareOutcomesInput['filters'];
} {
  const { single, list, filters } = readQuery(
    query,
    ['groupBy', 'adjust', 'adjustFor'],
    `use groupBy (${OUTCOME_DIMENSIONS.join(', ')}), adjust=caseMix with adjustFor (${ADJUSTMENT_FACTOR_NAMES.join(', ')})`,
  );
  const parsed = CompareOutcomesInput.safeParse({ groupBy: list('groupBy') ?? [], filters });
  if (!parsed.success) throw invalidQuery(parsed.error.issues);
  const input = parsed.data;
  const adjust = single('adjust');
  const adjustFor = list('adjustFor');
  if (adjust === undefined) {
    if (adjustFor !== undefined) {
      throw badRequest('adjustFor needs adjust=caseMix', 'invalid_query');
    }
    return { input, adjusted: null, filters: input.filters };
  }
  if (adjust !== 'caseMix') {
    throw badRequest(`adjust: the only adjustment is caseMix; got ${adjust}`, 'invalid_query');
  }
  const [compare, ...more] = input.groupBy;
  if (compare === undefined || more.length > 0) {
    throw badRequest(
      `adjust=caseMix compares the groups of one dimension: give groupBy one of ${OUTCOME_DIMENSIONS.join(', ')}`,
      'invalid_query',
    );
  }
  const adjusted = AdjustedComparisonInput.safeParse({
    compare,
    ...(adjustFor === undefined ? {} : { adjustFor }),
    filters,
  });
  if (!adjusted.success) throw invalidQuery(adjusted.error.issues);
  return { input, adjusted: adjusted.data, filters: input.filters };
}
