import { ProtocolError } from '@ipt/protocol';
import { type Warehouse, WarehouseError } from '@ipt/warehouse';
import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';

/**
 * tRPC for the dashboard: the context, and the base procedures. Errors are mapped once here:
 * domain errors become client errors with their own message, warehouse outages become
 * SERVICE_UNAVAILABLE, and anything else is INTERNAL_SERVER_ERROR with its message redacted.
 */
export interface ApiContext {
  warehouse: Warehouse;
  /** Small-cell suppression threshold k (MIN_CELL_SIZE). */
  minCellSize: number;
}

const t = initTRPC.context<ApiContext>().create({
  errorFormatter({ shape, error }) {
    const redacted =
      error.code === 'INTERNAL_SERVER_ERROR' ? 'an internal error occurred' : shape.message;
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

const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof ProtocolError) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  }
  if (
    cause instanceof WarehouseError &&
    (cause.kind === 'unavailable' || cause.kind === 'locked')
  ) {
    throw new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the warehouse is unavailable; try again shortly',
      cause,
    });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/** Every procedure: errors mapped. Reads are aggregate and suppressed, network-wide for now. */
export const publicProcedure = t.procedure.use(mapErrors);
