import { TIME_TO_IMPROVEMENT_DIMENSIONS, TimeToImprovementInput } from '@ipt/analytics';
import { timeToImprovement, timeToImprovementCsv } from '@ipt/analytics/server';
import type { Warehouse } from '@ipt/warehouse';
import type { Router } from 'express';
import type { AppContext } from '../context.js';
import { invalidQuery, readQuery } from './read-query.js';
import { readRoute } from './read-route.js';

/**
 * `GET /v1/time-to-improvement?groupBy=<dim>&<filters>`: the cumulative incidence of reliable
 * improvement by session per group known at intake (docs/outcomes.md, "Time to reliable
 * improvement"), the same numbers as the dashboard's chart, in JSON or CSV.
 */
export function timeToImprovementRouter(ctx: AppContext, warehouse: Warehouse): Router {
  return readRoute(ctx, warehouse, {
    path: '/v1/time-to-improvement',
    parse: (query) => {
      const { list, filters } = readQuery(
        query,
        ['groupBy'],
        `use groupBy (one of ${TIME_TO_IMPROVEMENT_DIMENSIONS.join(', ')})`,
      );
      const groupBy = list('groupBy') ?? [];
      const parsed = TimeToImprovementInput.safeParse({
        // One dimension or none; a list of two is refused by the enum with the names.
        groupBy: groupBy.length === 0 ? null : groupBy.length === 1 ? groupBy[0] : groupBy,
        filters,
      });
      if (!parsed.success) throw invalidQuery(parsed.error.issues);
      return parsed.data;
    },
    answer: async (scope, question) => {
      const result = await timeToImprovement(warehouse, scope, question, ctx.release);
      return {
        released: result,
        asked: question,
        json: () => result,
        csv: () => timeToImprovementCsv(result),
      };
    },
  });
}
