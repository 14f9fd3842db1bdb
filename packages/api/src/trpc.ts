import { issuesMessage, type Principal } from '@ipt/analytics';
import {
  type AccessLog,
  type AnyRead,
  type CohortBudget,
  countCells,
  type DisclosureSettings,
  governedRead,
  type JsonAnswer,
  jsonAnswer,
  type ReadInput,
  type ReadJson,
  refusalOf,
} from '@ipt/analytics/server';
import type { Warehouse } from '@ipt/warehouse';
import { initTRPC, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { z } from 'zod';

/**
 * tRPC for the dashboard: the context and the base procedures. Every read is a procedure made
 * from its definition (`readProcedure`): `governedRead` does principal, capability, scope,
 * basis, budget and the access log, as for REST. The few changes (cohorts, releases) are
 * `authedProcedure`s. Errors are mapped once, by the service's table of refusals (`refusalOf`):
 * domain errors keep their message, anything else is INTERNAL_SERVER_ERROR, redacted.
 */
export interface ApiContext {
  warehouse: Warehouse;
  /** Disclosure control: k (MIN_CELL_SIZE) and the noise D of protected numbers. */
  disclosure: Required<DisclosureSettings>;
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

/** The client-facing error of a failed call: refusals by the service's table, others redacted. */
function mapError(error: TRPCError): TRPCError {
  const refusal = refusalOf(error.cause);
  if (refusal === null) return error;
  return new TRPCError({ code: refusal.trpc, message: refusal.message, cause: error.cause });
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
 * A read's procedure, made from its definition: the input is passed to `governedRead` as sent
 * (the definition's schema parses it there, after the principal is known, so a refused input
 * is in the access log too); the answer is the read's JSON with its basis, as on REST. On
 * `publicProcedure`, not `authedProcedure`, on purpose: `governedRead` itself refuses a caller
 * without a principal (401), as it does for REST, so no read can skip it
 * (test/capability-matrix.test.ts asks every read without one).
 */
export function readProcedure<D extends AnyRead>(read: D) {
  return publicProcedure
    .input(z.custom<ReadInput<D>>())
    .query(async ({ ctx, input, path }): Promise<JsonAnswer<ReadJson<D>>> => {
      const answer = await governedRead(ctx, read, {
        principal: ctx.principal,
        surface: 'trpc',
        procedure: path,
        sent: input,
        input: () => input,
      });
      return jsonAnswer(read, answer) as JsonAnswer<ReadJson<D>>;
    });
}
