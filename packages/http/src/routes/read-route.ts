import {
  type AnyRead,
  csvAnswer,
  governedRead,
  jsonAnswer,
  QuestionError,
  READS,
  type RestForm,
  refusalOf,
} from '@ipt/analytics/server';
import type { Warehouse } from '@ipt/warehouse';
import { type ErrorRequestHandler, type Request, Router } from 'express';
import { keyId, principalOf, readKeyOf, requireReadKey } from '../auth.js';
import type { AppContext } from '../context.js';
import { HttpError, retryAfterHeader } from '../infra/http-error.js';
import { rateLimit } from '../infra/rate-limit.js';
import { readQuery } from './read-query.js';

/** The reads with a REST form: `GET <path>` each, made from its definition. */
export const REST_READS: ReadonlyArray<AnyRead & { rest: RestForm }> = READS.filter(
  (read): read is AnyRead & { rest: RestForm } => read.rest !== undefined,
);

/** Every read with a REST form as a GET route of one router. */
export function readRoutes(ctx: AppContext, warehouse: Warehouse): Router {
  const router = Router();
  for (const read of REST_READS) router.use(readRoute(ctx, warehouse, read));
  return router;
}

/**
 * A GET endpoint of the read API: a read key and the reader's rate here, then the one governed
 * read (capability, basis, scope, budget, access log; the same as tRPC's), its refusals as JSON
 * errors by the service's table, and `Accept: text/csv` for the read's CSV.
 */
function readRoute(
  ctx: AppContext,
  warehouse: Warehouse,
  read: AnyRead & { rest: RestForm },
): Router {
  const router = Router();
  const { path } = read.rest;
  const procedure = `GET ${path}`;
  const surfaceOf = (req: Request) =>
    read.csv !== undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv'
      ? 'csv'
      : 'rest';
  router.get(
    path,
    requireReadKey(ctx.readKeys),
    rateLimit(ctx.readLimiter, keyId),
    async (req, res) => {
      if (ctx.accessLog === null || ctx.budget === null) {
        throw new Error('a process that serves reads has an access log and a cohort budget');
      }
      const surface = surfaceOf(req);
      const query = req.query as Record<string, unknown>;
      let answer: Awaited<ReturnType<typeof governedRead>>;
      try {
        answer = await governedRead(
          { warehouse, disclosure: ctx.disclosure, budget: ctx.budget, accessLog: ctx.accessLog },
          read,
          {
            principal: principalOf(req),
            surface,
            procedure,
            sent: query,
            input: () => restInput(read, query),
          },
        );
      } catch (error) {
        throw toHttpError(error);
      }
      if (surface === 'csv') {
        res.type('text/csv; charset=utf-8').send(csvAnswer(read, answer));
        return;
      }
      res.json(jsonAnswer(read, answer));
    },
  );
  // A reader refused for its rate is in the log too (the governed read logs every other
  // answer, budget refusals included).
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
  router.use(path, logRateLimited);
  return router;
}

/**
 * A read's input from the query string: its own parameters (unknown ones refused, each once,
 * comma lists split), the cohort filters, and `asOf`/`release` for an analysis.
 */
function restInput(read: AnyRead & { rest: RestForm }, query: Record<string, unknown>): unknown {
  const analysis = read.basis !== false;
  const { asOf, release, ...rest } = query;
  const reader = readQuery(analysis ? rest : query, read.rest.params, read.rest.usage, {
    cohortFilters: read.rest.cohortFilters,
  });
  const input = read.rest.input(reader);
  if (!analysis) return input;
  for (const [name, value] of Object.entries({ asOf, release })) {
    if (value !== undefined && typeof value !== 'string') {
      throw new QuestionError(`${name} must be given once`);
    }
  }
  return {
    ...input,
    ...(asOf === undefined ? {} : { asOf }),
    ...(release === undefined ? {} : { release }),
  };
}

/** A refusal of the service's table as the HTTP error the error handler writes. */
function toHttpError(error: unknown): unknown {
  const refusal = refusalOf(error);
  if (refusal === null) return error;
  return new HttpError(refusal.status, refusal.code, refusal.message, {
    ...(refusal.retryAfterSeconds === undefined
      ? {}
      : { headers: retryAfterHeader(refusal.retryAfterSeconds) }),
    cause: error,
  });
}
