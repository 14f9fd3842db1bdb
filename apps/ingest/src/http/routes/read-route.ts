import {
  type Basis,
  BasisFields,
  type BasisStamp,
  type OutcomeFilters,
  type Principal,
  type Scope,
} from '@ipt/analytics';
import {
  AccessDeniedError,
  assertKnownClinics,
  BudgetExceededError,
  basisOf,
  basisStamp,
  countCells,
  NotFoundError,
  ProtectionUnavailableError,
  QuestionError,
  scopeFor,
} from '@ipt/analytics/server';
import { type Warehouse, WarehouseError } from '@ipt/warehouse';
import { type ErrorRequestHandler, type Request, Router } from 'express';
import { z } from 'zod';
import { keyId, principalOf, readKeyOf, requireReadKey } from '../auth.js';
import type { AppContext } from '../context.js';
import {
  badRequest,
  forbidden,
  HttpError,
  notFound,
  retryAfterHeader,
  unavailable,
} from '../infra/http-error.js';
import { rateLimit } from '../infra/rate-limit.js';
import { invalidQuery } from './read-query.js';

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
  /**
   * Parses the query string (without `asOf` and `release`, which every read takes and this
   * route resolves); throws HttpError 400 for what it refuses.
   */
  parse: (query: Record<string, unknown>) => Q;
  /** False for a read that is not an analysis (the list of releases): no asOf or release. */
  basis?: false;
  /** Who may ask and what they read; by default the cohort scope of the question's filters. */
  scope?: (principal: Principal, question: Q, basis: Basis) => Scope;
  answer: (scope: Scope, question: Q) => Promise<ReadAnswer>;
}

/**
 * A GET endpoint of the read API, with what every read shares: a read key, the reader's rate,
 * the basis of the numbers (`asOf`, `release`, or live: said in every answer), its scope, the
 * daily budget of protected questions, the access log (refusals included, and fail closed:
 * numbers that could not be logged are not released), refusals mapped to JSON errors, and
 * `Accept: text/csv` for the CSV rendering.
 */
export function readRoute<Q extends { filters: OutcomeFilters }>(
  ctx: AppContext,
  warehouse: Warehouse,
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
      let basis: Basis;
      try {
        const { asOf, release, ...rest } = req.query as Record<string, unknown>;
        const question = endpoint.parse(
          endpoint.basis === false ? (req.query as Record<string, unknown>) : rest,
        );
        basis = await basisOf(warehouse, basisQuery({ asOf, release }));
        const scope = (endpoint.scope ?? ((p, q, b) => scopeFor(p, q.filters, b)))(
          principal,
          question,
          basis,
        );
        const filters = (question as { filters?: { clinic?: string[] } }).filters;
        await assertKnownClinics(warehouse, filters?.clinic);
        // A protected question is charged to the reader's daily budget before it is asked;
        // without a budget there is no protected answer.
        if (scope.release === 'protected') {
          if (ctx.budget === null) throw new Error('no cohort budget in a process that reads');
          await ctx.budget.charge(principal, question.filters, basis);
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
      const asked =
        basis.kind === 'live'
          ? answer.asked
          : { ...(answer.asked as object), ...basisOfQuestion(basis) };
      await log(200, answer.released, asked).catch((error: unknown) => {
        throw toHttpError(error);
      });
      // An analysis says what it is computed from; a list of releases is not one.
      const stamp = endpoint.basis === false ? null : basisStamp(basis);
      if (surface === 'csv') {
        const csv = answer.csv();
        res
          .type('text/csv; charset=utf-8')
          .send(stamp === null ? csv : withBasisColumns(csv, stamp));
        return;
      }
      const json = answer.json();
      res.json(
        stamp !== null && typeof json === 'object' && json !== null && !Array.isArray(json)
          ? { ...json, basis: stamp }
          : json,
      );
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

const BasisQuery = z.strictObject(BasisFields);

/** `asOf` and `release` of the query string, each given once and well formed. */
function basisQuery(query: { asOf: unknown; release: unknown }): z.infer<typeof BasisQuery> {
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && typeof value !== 'string') {
      throw badRequest(`${name} must be given once`, 'invalid_query');
    }
  }
  const parsed = BasisQuery.safeParse({
    ...(query.asOf === undefined ? {} : { asOf: query.asOf }),
    ...(query.release === undefined ? {} : { release: query.release }),
  });
  if (!parsed.success) throw invalidQuery(parsed.error.issues);
  return parsed.data;
}

/** The basis as the access log records it with the question. */
const basisOfQuestion = (basis: Basis): Record<string, string> =>
  basis.kind === 'asOf'
    ? { asOf: basis.asOf }
    : basis.kind === 'release'
      ? { release: basis.release }
      : {};

/**
 * A CSV answer with the basis on every row (release, asOf, definitionsVersion), as the
 * protected flag is: a row copied out of the file still says where it comes from.
 */
export function withBasisColumns(csv: string, stamp: BasisStamp): string {
  const lines = csv.split('\n');
  const cells = [stamp.release ?? '', stamp.asOf ?? '', stamp.definitionsVersion].join(',');
  return lines
    .map((line, i) => {
      if (line === '') return line;
      return i === 0 ? `${line},release,asOf,definitionsVersion` : `${line},${cells}`;
    })
    .join('\n');
}

/** Refusals the reader can act on; a warehouse outage is 503 with Retry-After, like writes. */
function toHttpError(error: unknown): unknown {
  if (error instanceof HttpError) return error;
  if (error instanceof NotFoundError) return notFound(error.message);
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
