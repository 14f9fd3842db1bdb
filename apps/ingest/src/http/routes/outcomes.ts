import {
  ADJUSTMENT_FACTOR_NAMES,
  AdjustedComparisonInput,
  type AdjustedComparisonResult,
  CompareOutcomesInput,
  DATE_FILTER_NAMES,
  LIST_FILTER_NAMES,
  OUTCOME_DIMENSIONS,
} from '@ipt/analytics';
import {
  AccessDeniedError,
  adjustedComparison,
  adjustedCsv,
  BudgetExceededError,
  compareOutcomes,
  countCells,
  outcomesCsv,
  outcomesJson,
  ProtectionUnavailableError,
  QuestionError,
  scopeFor,
} from '@ipt/analytics/server';
import { type Warehouse, WarehouseError } from '@ipt/warehouse';
import { type ErrorRequestHandler, Router } from 'express';
import { keyId, principalOf, readKeyOf, requireReadKey } from '../auth.js';
import type { AppContext } from '../context.js';
import {
  badRequest,
  forbidden,
  HttpError,
  retryAfterHeader,
  unavailable,
} from '../infra/http-error.js';
import { rateLimit } from '../infra/rate-limit.js';

/**
 * `GET /v1/outcomes?groupBy=<dims>&<filters>`: the read API for scripts. Aggregates only, within
 * the reader's scope (a clinic reader: its own clinics exact, the network as aggregates), with
 * small-cell suppression applied on the server before anything is written to the response.
 * `Accept: text/csv` gives the same numbers as CSV. Every answer, refusals included, is in the
 * access log before it leaves.
 */
const RETRY_AFTER_SECONDS = 5;
const KNOWN = new Set<string>([
  'groupBy',
  'adjust',
  'adjustFor',
  ...LIST_FILTER_NAMES,
  ...DATE_FILTER_NAMES,
]);

export function outcomesRouter(ctx: AppContext, warehouse: Warehouse): Router {
  const router = Router();
  router.get(
    '/v1/outcomes',
    requireReadKey(ctx.readKeys),
    rateLimit(ctx.readLimiter, keyId),
    async (req, res) => {
      const principal = principalOf(req);
      const csv = req.accepts(['application/json', 'text/csv']) === 'text/csv';
      const started = performance.now();
      const log = async (status: number, result: unknown, question: unknown) => {
        const cells = countCells(result);
        await ctx.accessLog?.record({
          principal,
          surface: csv ? 'csv' : 'rest',
          procedure: 'GET /v1/outcomes',
          filters: question,
          cellsReleased: cells.released,
          cellsWithheld: cells.withheld,
          status,
          durationMs: performance.now() - started,
        });
      };
      let input: CompareOutcomesInput;
      let result: Awaited<ReturnType<typeof compareOutcomes>>;
      let adjusted: AdjustedComparisonResult | null = null;
      try {
        const question = parseQuery(req.query as Record<string, unknown>);
        input = question.input;
        const scope = scopeFor(principal, input.filters);
        // A protected question is charged to the reader's daily budget before it is asked;
        // without a budget there is no protected answer.
        if (scope.release === 'protected') {
          if (ctx.budget === null) throw new Error('no cohort budget in a process that reads');
          await ctx.budget.charge(principal, input.filters);
        }
        result = await compareOutcomes(warehouse, scope, input, ctx.release);
        if (question.adjusted !== null) {
          adjusted = await adjustedComparison(warehouse, scope, question.adjusted, ctx.release);
        }
      } catch (error) {
        const answer = toHttpError(error);
        // A refusal releases nothing: it keeps its own answer even when the log is away.
        await log(answer instanceof HttpError ? answer.status : 500, null, req.query).catch(
          (logError: unknown) =>
            ctx.logger.warn('could not write the access log', { error: String(logError) }),
        );
        throw answer;
      }
      // Fail closed: numbers that could not be logged are not released.
      const asked =
        adjusted === null ? input : { ...input, adjust: 'caseMix', adjustFor: adjusted.adjustFor };
      await log(200, adjusted === null ? result : [result, adjusted], asked).catch(
        (error: unknown) => {
          throw toHttpError(error);
        },
      );
      if (csv) {
        res
          .type('text/csv; charset=utf-8')
          .send(adjusted === null ? outcomesCsv(result) : adjustedCsv(adjusted));
        return;
      }
      res.json(adjusted === null ? outcomesJson(result) : { ...outcomesJson(result), adjusted });
    },
  );
  // A reader refused for its rate is in the log too (the handler logs every other answer,
  // budget refusals included).
  const logRateLimited: ErrorRequestHandler = (error, req, _res, next) => {
    if (
      error instanceof HttpError &&
      error.code === 'rate_limited' &&
      readKeyOf(req) !== undefined
    ) {
      ctx.accessLog
        ?.record({
          principal: principalOf(req),
          surface: req.accepts(['application/json', 'text/csv']) === 'text/csv' ? 'csv' : 'rest',
          procedure: 'GET /v1/outcomes',
          filters: req.query,
          cellsReleased: 0,
          cellsWithheld: 0,
          status: 429,
          durationMs: 0,
        })
        .catch((logError: unknown) =>
          ctx.logger.warn('could not write the access log', { error: String(logError) }),
        );
    }
    next(error);
  };
  router.use('/v1/outcomes', logRateLimited);
  return router;
}

/** Refusals the reader can act on; a warehouse outage is 503 with Retry-After, like writes. */
function toHttpError(error: unknown): unknown {
  if (error instanceof HttpError) return error;
  if (error instanceof AccessDeniedError) return forbidden(error.message);
  if (error instanceof QuestionError) return badRequest(error.message, 'invalid_query');
  if (error instanceof ProtectionUnavailableError) {
    return unavailable(RETRY_AFTER_SECONDS, error.message, error);
  }
  if (error instanceof BudgetExceededError) {
    return new HttpError(429, 'budget_exceeded', error.message, {
      headers: retryAfterHeader(error.retryAfterSeconds),
    });
  }
  if (
    error instanceof WarehouseError &&
    (error.kind === 'unavailable' || error.kind === 'locked')
  ) {
    return unavailable(RETRY_AFTER_SECONDS, 'the warehouse is unavailable; retry later', error);
  }
  if (error instanceof WarehouseError && error.kind === 'timeout') {
    return new HttpError(
      408,
      'query_timeout',
      'the question ran past the time limit of one query; narrow the filters or grouping',
    );
  }
  if (error instanceof WarehouseError && error.kind === 'memory_limit') {
    return new HttpError(
      413,
      'query_too_large',
      'the question needs more memory than one query may use; narrow the filters or grouping',
    );
  }
  return error;
}

/** The question: the breakdown, and the adjusted comparison when `adjust=caseMix` asks for it. */
function parseQuery(query: Record<string, unknown>): {
  input: CompareOutcomesInput;
  adjusted: AdjustedComparisonInput | null;
} {
  const unknown = Object.keys(query).filter((name) => !KNOWN.has(name));
  if (unknown.length > 0) {
    throw badRequest(
      `unknown query parameter ${unknown.join(', ')}; use groupBy (${OUTCOME_DIMENSIONS.join(', ')}), adjust=caseMix with adjustFor (${ADJUSTMENT_FACTOR_NAMES.join(', ')}), and the filters ${[...LIST_FILTER_NAMES, ...DATE_FILTER_NAMES].join(', ')}`,
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
  if (!parsed.success) throw invalid(parsed.error.issues);
  const adjust = single('adjust');
  const adjustFor = list('adjustFor');
  if (adjust === undefined) {
    if (adjustFor !== undefined) {
      throw badRequest('adjustFor needs adjust=caseMix', 'invalid_query');
    }
    return { input: parsed.data, adjusted: null };
  }
  if (adjust !== 'caseMix') {
    throw badRequest(`adjust: the only adjustment is caseMix; got ${adjust}`, 'invalid_query');
  }
  const [compare, ...more] = parsed.data.groupBy;
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
  if (!adjusted.success) throw invalid(adjusted.error.issues);
  return { input: parsed.data, adjusted: adjusted.data };
}

function invalid(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): HttpError {
  const problems = issues.map((issue) => {
    const path = issue.path.filter((p) => p !== 'filters').join('.');
    return `${path}: ${issue.message}`;
  });
  return badRequest(problems.join('; '), 'invalid_query');
}
