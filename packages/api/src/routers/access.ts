import { CAPABILITY_NAMES, can, ROLES } from '@ipt/analytics';
import { accessLogRead, budgetsRead } from '@ipt/analytics/server';
import { publicProcedure, readProcedure, router } from '../trpc.js';

/** Who is signed in (for the pages), and the access log (stewards). */
export const accessRouter = router({
  /**
   * The signed-in principal, its role's label and summary, and its capabilities (the pages
   * offer what `can` allows); null when nobody is signed in. Public on purpose: the pages ask
   * it before anyone has signed in (the sign-in page too, where a 401 would send the browser
   * back to sign-in), and it answers only with the caller's own identity, never data.
   */
  me: publicProcedure.query(({ ctx }) => {
    const principal = ctx.principal;
    if (principal === null) return null;
    const role = ROLES[principal.role];
    return {
      ...principal,
      label: role.label,
      summary: role.summary,
      capabilities: CAPABILITY_NAMES.filter((capability) => can(principal, capability)),
    };
  }),
  log: readProcedure(accessLogRead),
  budgets: readProcedure(budgetsRead),
});
