import { capabilitiesOf } from '@ipt/analytics';
import { AccessLogQuery, readAccessLog, readBudgets } from '@ipt/analytics/server';
import { z } from 'zod';
import { publicProcedure, router, stewardProcedure } from '../trpc.js';

/** Who is signed in (for the pages), and the access log (stewards). */
export const accessRouter = router({
  /**
   * The signed-in principal and what its role may see; null when nobody is signed in. Public on
   * purpose: the pages ask it before anyone has signed in (the sign-in page too, where a 401
   * would send the browser back to sign-in), and it answers only with the caller's own identity,
   * never data. Everything else here needs a principal.
   */
  me: publicProcedure.query(({ ctx }) =>
    ctx.principal === null
      ? null
      : { ...ctx.principal, capabilities: capabilitiesOf(ctx.principal) },
  ),
  /** The access log, newest first. */
  log: stewardProcedure
    .input(AccessLogQuery)
    .query(({ ctx, input }) => readAccessLog(ctx.warehouse, ctx.principal, input)),
  /** Protected readers' use of their daily budget of distinct cohorts, on a UTC day. */
  budgets: stewardProcedure
    .input(z.strictObject({ day: z.iso.date().optional() }))
    .query(async ({ ctx, input }) => {
      const day = input.day ?? new Date().toISOString().slice(0, 10);
      return {
        day,
        perDay: ctx.budget.perDay,
        readers: await readBudgets(ctx.warehouse, day),
      };
    }),
});
