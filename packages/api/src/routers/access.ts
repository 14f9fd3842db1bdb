import { capabilitiesOf } from '@ipt/analytics';
import { AccessLogQuery, readAccessLog } from '@ipt/analytics/server';
import { publicProcedure, router, stewardProcedure } from '../trpc.js';

/** Who is signed in (for the pages), and the access log (stewards). */
export const accessRouter = router({
  /** The signed-in principal and what its role may see; null when nobody is signed in. */
  me: publicProcedure.query(({ ctx }) =>
    ctx.principal === null
      ? null
      : { ...ctx.principal, capabilities: capabilitiesOf(ctx.principal) },
  ),
  /** The access log, newest first. */
  log: stewardProcedure
    .input(AccessLogQuery)
    .query(({ ctx, input }) => readAccessLog(ctx.warehouse, ctx.principal, input)),
});
