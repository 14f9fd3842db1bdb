import {
  type Basis,
  BasisFields,
  issuesMessage,
  OutcomeFilters,
  type Principal,
  type Scope,
} from '@ipt/analytics';
import {
  AccessDeniedError,
  type AccessLog,
  assertKnownClinics,
  BudgetExceededError,
  basisOf,
  basisStamp,
  type CohortBudget,
  ConflictError,
  countCells,
  NotFoundError,
  ProtectionUnavailableError,
  QuestionError,
  type ReleaseOptions,
  scopeFor,
} from '@ipt/analytics/server';
import { ProtocolError } from '@ipt/protocol';
import { type Warehouse, WarehouseError } from '@ipt/warehouse';
import { initTRPC, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { z } from 'zod';

/**
 * tRPC for the dashboard: the context and the base procedures, layered so each narrows `ctx`:
 * `publicProcedure` (errors mapped) -> `authedProcedure` (a principal, or 401; every call in
 * the access log) -> `scopedProcedure` (the principal and the question's filters become a
 * Scope once, here) and `stewardProcedure`. Errors are mapped once: domain errors become client
 * errors with their own message, warehouse outages SERVICE_UNAVAILABLE, anything else
 * INTERNAL_SERVER_ERROR with its message redacted.
 */
export interface ApiContext {
  warehouse: Warehouse;
  /** Disclosure control: k (MIN_CELL_SIZE) and the noise D of protected numbers. */
  release: Required<ReleaseOptions>;
  /** The daily budget of distinct cohorts of protected readers. */
  budget: CohortBudget;
  /** Who is asking: from a dashboard session or a bearer read key; null when nobody signed in. */
  principal: Principal | null;
  accessLog: AccessLog;
}

const t = initTRPC.context<ApiContext>().create({
  errorFormatter({ shape, error }) {
    // A refused input reads as its problems in words, as on REST; never zod's JSON.
    const redacted =
      error.code === 'INTERNAL_SERVER_ERROR'
        ? 'an internal error occurred'
        : error.cause instanceof z.ZodError
          ? issuesMessage(error.cause.issues)
          : shape.message;
    return {
      ...shape,
      message: redacted,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        // Input errors come back flattened per field, for forms.
        fieldErrors:
          error.cause instanceof z.ZodError ? z.flattenError(error.cause).fieldErrors : null,
      },
    };
  },
});

/** The client-facing error of a failed call: domain errors keep their message, others not. */
function mapError(error: TRPCError): TRPCError {
  const cause = error.cause;
  // A schema a service applies itself (a cohort's name, the access log's query) refuses like
  // the procedure's input does.
  if (cause instanceof z.ZodError) {
    return new TRPCError({ code: 'BAD_REQUEST', message: issuesMessage(cause.issues), cause });
  }
  if (cause instanceof ProtocolError || cause instanceof QuestionError) {
    return new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  }
  if (cause instanceof NotFoundError) {
    return new TRPCError({ code: 'NOT_FOUND', message: cause.message, cause });
  }
  if (cause instanceof AccessDeniedError) {
    return new TRPCError({ code: 'FORBIDDEN', message: cause.message, cause });
  }
  if (cause instanceof BudgetExceededError) {
    return new TRPCError({ code: 'TOO_MANY_REQUESTS', message: cause.message, cause });
  }
  if (cause instanceof ConflictError) {
    return new TRPCError({ code: 'CONFLICT', message: cause.message, cause });
  }
  if (cause instanceof WarehouseError && cause.kind === 'timeout') {
    return new TRPCError({
      code: 'TIMEOUT',
      message: 'the question ran past the time limit of one query; narrow the filters or grouping',
      cause,
    });
  }
  if (cause instanceof WarehouseError && cause.kind === 'memory_limit') {
    return new TRPCError({
      code: 'PAYLOAD_TOO_LARGE',
      message:
        'the question needs more memory than one query may use; narrow the filters or grouping',
      cause,
    });
  }
  if (cause instanceof ProtectionUnavailableError) {
    return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: cause.message, cause });
  }
  if (
    cause instanceof WarehouseError &&
    (cause.kind === 'unavailable' || cause.kind === 'locked')
  ) {
    return new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the warehouse is unavailable; try again shortly',
      cause,
    });
  }
  return error;
}

const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const mapped = mapError(result.error);
  if (mapped !== result.error) throw mapped;
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/** Errors mapped; no principal needed (only `auth.me`, which says who is signed in). */
export const publicProcedure = t.procedure.use(mapErrors);

/**
 * A principal is required; the call (allowed or refused) is written to the access log before
 * its answer leaves, with the question and the cells released and withheld, never the numbers.
 */
export const authedProcedure = publicProcedure.use(async (opts) => {
  const { ctx, next, path, type } = opts;
  const principal = ctx.principal;
  if (principal === null) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'sign in, or send a read key as "Authorization: Bearer <key>"',
    });
  }
  const started = performance.now();
  const procedure = `${type === 'mutation' ? 'mutation:' : ''}${path}`;
  const question = await opts.getRawInput().catch(() => null);
  // A change (cohorts) is logged before it happens, with status 0 ("attempted"): a change
  // that cannot be logged is not made. Its result is logged after, like every read.
  if (type === 'mutation') {
    await ctx.accessLog.record({
      principal,
      surface: 'trpc',
      procedure,
      filters: question,
      cellsReleased: 0,
      cellsWithheld: 0,
      status: 0,
      durationMs: 0,
    });
  }
  const result = await next({ ctx: { ...ctx, principal } });
  const cells = result.ok ? countCells(result.data) : { released: 0, withheld: 0 };
  const status = result.ok ? 200 : getHTTPStatusCodeFromError(mapError(result.error));
  const logged = ctx.accessLog.record({
    principal,
    surface: 'trpc',
    procedure,
    filters: question,
    cellsReleased: cells.released,
    cellsWithheld: cells.withheld,
    status,
    durationMs: performance.now() - started,
  });
  // Fail closed: an answer that could not be logged is not released (the error says why). A
  // refusal releases nothing, so it keeps its own error when the log is away too.
  if (result.ok) await logged;
  else await logged.catch(() => undefined);
  return result;
});

/**
 * The question's basis (`asOf`, `release`, or live) resolved once, for the procedure; the
 * answer carries what it is computed from (`basis`: release, asOf, definitions version) beside
 * its numbers, as every REST answer does.
 */
export const basedProcedure = authedProcedure
  .input(z.object(BasisFields).loose())
  .use(async ({ ctx, input, next }) => {
    const basis: Basis = await basisOf(ctx.warehouse, input);
    const result = await next({ ctx: { ...ctx, basis } });
    if (!result.ok || typeof result.data !== 'object' || result.data === null) return result;
    if (Array.isArray(result.data)) return result;
    return { ...result, data: { ...result.data, basis: basisStamp(basis) } };
  });

/**
 * The question's filters, basis and principal become a Scope, once, for the procedure. A
 * protected question is charged to the reader's daily budget of distinct cohorts before it is
 * asked (a cohort as of another moment, or of a release, is another cohort).
 */
export const scopedProcedure = basedProcedure
  .input(z.object({ filters: OutcomeFilters }).loose())
  .use(async ({ ctx, input, next }) => {
    const scope: Scope = scopeFor(ctx.principal, input.filters, ctx.basis);
    // Before the budget: a question about a clinic that does not exist costs nothing.
    await assertKnownClinics(ctx.warehouse, input.filters.clinic);
    if (scope.release === 'protected') {
      await ctx.budget.charge(ctx.principal, input.filters, ctx.basis);
    }
    return next({ ctx: { ...ctx, scope } });
  });

/** Stewards only: the access log and other governance views. */
export const stewardProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.principal.role !== 'steward') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'this is for the network data steward' });
  }
  return next();
});
