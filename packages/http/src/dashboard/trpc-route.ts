import { type ApiContext, appRouter } from '@ipt/api';
import { type ReadLimiter, type Resolution, sendError } from '@ipt/auth';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import type { RequestHandler } from 'express';

/**
 * The dashboard's tRPC endpoint. Bounded so that reads cannot stall writes: at most
 * MAX_BATCH_CALLS calls in a batch, a body of at most MAX_BODY_BYTES (read and refused while
 * streaming, never parsed whole), and each principal's calls drawn from its rate-limit bucket
 * (a batch costs one token per call). Without a principal every call is 401 (the procedures
 * say so too; this answers before any input is read).
 */
export const MAX_BATCH_CALLS = 10;
export const MAX_BODY_BYTES = 1024 * 1024;

/** The procedures of the router: labels come from this list, never from the URL as sent. */
const PROCEDURES = new Set(Object.keys(appRouter._def.procedures));
const UNKNOWN_PROCEDURE = '(unknown)';

/**
 * The metrics label of a tRPC request (read by the ingest's metrics as `res.locals.metricsRoute`):
 * the procedure of a single call, `(batch)` for several; each call is also counted on its own.
 */
function labelCalls(res: Parameters<RequestHandler>[1], calls: readonly string[]): string[] {
  const named = calls.map((c) => (PROCEDURES.has(c) ? c : UNKNOWN_PROCEDURE));
  res.locals.metricsRoute = `/api/trpc/${named.length === 1 ? named[0] : '(batch)'}`;
  return named;
}

export function trpcRoute(options: {
  context: Omit<ApiContext, 'principal'>;
  resolve: (req: Parameters<RequestHandler>[0]) => Resolution;
  limiter: ReadLimiter;
  /** Where a failure to log a refusal goes (the refusal itself is still answered). */
  warn: (message: string) => void;
  /** Each request's calls by procedure (unknown names as `(unknown)`), for metrics. */
  onCalls?: (procedures: readonly string[]) => void;
}): RequestHandler {
  // The resolution made by the guard below, handed to the context without resolving twice.
  const resolved = new WeakMap<object, Resolution>();
  const handler = createExpressMiddleware({
    router: appRouter,
    maxBodySize: MAX_BODY_BYTES,
    maxBatchSize: MAX_BATCH_CALLS,
    createContext: ({ req }) => {
      const resolution = resolved.get(req) ?? { kind: 'none' };
      return {
        ...options.context,
        principal: resolution.kind === 'principal' ? resolution.principal : null,
      };
    },
  });
  return (req, res, next) => {
    const resolution = options.resolve(req);
    const calls = req.path.replace(/^\//, '').split(',');
    options.onCalls?.(labelCalls(res, calls));
    if (resolution.kind === 'bad-key') {
      sendError(res, 401, 'unauthorized', resolution.message);
      return;
    }
    // `access.me` answers who is signed in (null when nobody), so the sign-in page can ask it.
    const onlyMe = calls.every((c) => c === 'access.me');
    if (resolution.kind === 'none' && !onlyMe) {
      sendError(
        res,
        401,
        'unauthorized',
        'sign in at /sign-in, or send a read key as "Authorization: Bearer <key>"',
      );
      return;
    }
    if (calls.length > MAX_BATCH_CALLS) {
      sendError(
        res,
        400,
        'batch_too_large',
        `at most ${MAX_BATCH_CALLS} calls in one batch, got ${calls.length}`,
      );
      return;
    }
    const length = Number(req.get('content-length') ?? 0);
    if (length > MAX_BODY_BYTES) {
      sendError(
        res,
        413,
        'payload_too_large',
        `the request body is larger than the limit of ${MAX_BODY_BYTES} bytes`,
      );
      return;
    }
    if (resolution.kind === 'principal') {
      const taken = options.limiter.take(`read:${resolution.principal.name}`, calls.length);
      if (!taken.ok) {
        // A reader refused for its rate is in the access log too, one entry per call refused.
        for (const call of calls) {
          options.context.accessLog
            .record({
              principal: resolution.principal,
              surface: 'trpc',
              procedure: call.slice(0, 100),
              filters: null,
              cellsReleased: 0,
              cellsWithheld: 0,
              status: 429,
              durationMs: 0,
            })
            .catch((error: unknown) =>
              options.warn(`could not write the access log: ${String(error)}`),
            );
        }
        sendError(
          res,
          429,
          'rate_limited',
          `too many requests from ${resolution.principal.name}; retry after ${taken.retryAfterSeconds} s`,
          { 'Retry-After': String(taken.retryAfterSeconds) },
        );
        return;
      }
    }
    resolved.set(req, resolution);
    handler(req, res, next);
  };
}
