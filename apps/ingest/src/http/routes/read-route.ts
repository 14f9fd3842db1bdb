import type { OutcomeFilters, Principal, Scope } from '@ipt/analytics';
import {
  AccessDeniedError,
  BudgetExceededError,
  countCells,
  ProtectionUnavailableError,
  QuestionError,
  scopeFor,
} from '@ipt/analytics/server';
import { WarehouseError } from '@ipt/warehouse';
import { type ErrorRequestHandler, type Request, Router } from 'express';
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

const RETRY_AFTER_SECONDS = 5;

/** What a read endpoint answers: the numbers to log and count, and their two renderings. */
export interface ReadAnswer {
  /** The released result(s), counted into the access log's released and withheld cells. */
  released: unknown;
  /** The question as answered (defaults filled in), for the access log. */
  asked: unknown;
  json: () => unknown;
  csv: () => string;
}

/** One read endpoint: how it parses its query, and how it answers within a scope. */
export interface ReadEndpoint<Q extends { filters: OutcomeFilters }> {
  /** `GET <path>`, also the procedure name in the access log. */
  path: string;
  /** Parses the query string; throws HttpError 400 for what it refuses. */
  parse: (query: Record<string, unknown>) => Q;
  /** Who may ask and what they read; by default the cohort scope of the question's filters. */
  scope?: (principal: Principal, question: Q) => Scope;
  answer: (scope: Scope, question: Q) => Promise<ReadAnswer>;
}

/**
 * A GET endpoint of the read API, with what every read shares: a read key, the reader's rate,
 * its scope, the daily budget of protected questions, the access log (refusals included, and
 * fail closed: numbers that could not be logged are not released), refusals mapped to JSON
 * errors, and `Accept: text/csv` for the CSV rendering.
 */
export function readRoute<Q extends { filters: OutcomeFilters }>(
  ctx: AppContext,
  endpoint: ReadEndpoint<Q>,
): Router {
  const router = Router();
  const procedure = `GET ${endpoint.path}`;
  const surfaceOf = (req: Request) =>
    req.accepts(['application/json', 'text/csv']) === 'text/csv' ? 'csv' : 'rest';
  router.get(
    endpoint.path,
    requireReadKey(ctx.readKeys),
    rateLimit(ctx.readLimiter, keyId),
    async (req, res) => {
      const principal = principalOf(req);
      const surface = surfaceOf(req);
      const started = performance.now();
      const log = async (status: number, result: unknown, question: unknown) => {
        const cells = countCells(result);
        await ctx.accessLog?.record({
          principal,
          surface,
          procedure,
          filters: question,
          cellsReleased: cells.released,
          cellsWithheld: cells.withheld,
          status,
          durationMs: performance.now() - started,
        });
      };
      let answer: ReadAnswer;
      try {
        const question = endpoint.parse(req.query as Record<string, unknown>);
        const scope = (endpoint.scope ?? ((p, q) => scopeFor(p, q.filters)))(principal, question);
        // A protected question is charged to the reader's daily budget before it is asked;
        // without a budget there is no protected answer.
        if (scope.release === 'protected') {
          if (ctx.budget === null) throw new Error('no cohort budget in a process that reads');
          await ctx.budget.charge(principal, question.filters);
        }
        answer = await endpoint.answer(scope, question);
      } catch (error) {
        const refusal = toHttpError(error);
        // A refusal releases nothing: it keeps its own answer even when the log is away.
        await log(refusal instanceof HttpError ? refusal.status : 500, null, req.query).catch(
          (logError: unknown) =>
            ctx.logger.warn('could not write the access log', { error: String(logError) }),
        );
        throw refusal;
      }
      // Fail closed: numbers that could not be logged are not released.
      await log(200, answer.released, answer.asked).catch((error: unknown) => {
        throw toHttpError(error);
      });
      if (surface === 'csv') {
        res.type('text/csv; charset=utf-8').send(answer.csv());
        return;
      }
      res.json(answer.json());
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
          surface: surfaceOf(req),
          procedure,
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
  router.use(endpoint.path, logRateLimited);
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
