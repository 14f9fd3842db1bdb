import {
  CompareOutcomesInput,
  DATE_FILTER_NAMES,
  LIST_FILTER_NAMES,
  OUTCOME_DIMENSIONS,
} from '@ipt/analytics';
import { compareOutcomes, outcomesCsv, outcomesJson } from '@ipt/analytics/server';
import type { Warehouse } from '@ipt/warehouse';
import { Router } from 'express';
import { keyId, requireReadKey } from '../auth.js';
import type { AppContext } from '../context.js';
import { badRequest } from '../infra/http-error.js';
import { rateLimit } from '../infra/rate-limit.js';

/**
 * `GET /v1/outcomes?groupBy=<dims>&<filters>`: the researchers' read API. Aggregates only, with
 * small-cell suppression applied on the server before anything is written to the response.
 * `Accept: text/csv` gives the same numbers as CSV.
 */
const KNOWN = new Set<string>(['groupBy', ...LIST_FILTER_NAMES, ...DATE_FILTER_NAMES]);

export function outcomesRouter(ctx: AppContext, warehouse: Warehouse): Router {
  const router = Router();
  router.get(
    '/v1/outcomes',
    requireReadKey(ctx.readKeys),
    rateLimit(ctx.limiter, keyId),
    async (req, res) => {
      const input = parseQuery(req.query as Record<string, unknown>);
      const result = await compareOutcomes(warehouse, input, { minCellSize: ctx.minCellSize });
      if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
        res.type('text/csv; charset=utf-8').send(outcomesCsv(result));
        return;
      }
      res.json(outcomesJson(result));
    },
  );
  return router;
}

function parseQuery(query: Record<string, unknown>): CompareOutcomesInput {
  const unknown = Object.keys(query).filter((name) => !KNOWN.has(name));
  if (unknown.length > 0) {
    throw badRequest(
      `unknown query parameter ${unknown.join(', ')}; use groupBy (${OUTCOME_DIMENSIONS.join(', ')}) and the filters ${[...LIST_FILTER_NAMES, ...DATE_FILTER_NAMES].join(', ')}`,
      'invalid_query',
    );
  }
  const single = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw badRequest(`${name} must be given once`, 'invalid_query');
    return value;
  };
  const list = (name: string) => {
    const value = single(name);
    return value === undefined
      ? undefined
      : value
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0);
  };
  const filters: Record<string, unknown> = {};
  for (const name of LIST_FILTER_NAMES) {
    const values = list(name);
    if (values !== undefined) filters[name] = values;
  }
  for (const name of DATE_FILTER_NAMES) {
    const value = single(name);
    if (value !== undefined) filters[name] = value;
  }
  const parsed = CompareOutcomesInput.safeParse({ groupBy: list('groupBy') ?? [], filters });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.filter((p) => p !== 'filters').join('.');
      return `${path}: ${issue.message}`;
    });
    throw badRequest(problems.join('; '), 'invalid_query');
  }
  return parsed.data;
}
