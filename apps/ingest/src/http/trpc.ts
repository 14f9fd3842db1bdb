import { appRouter } from '@ipt/api';
import type { Warehouse } from '@ipt/warehouse';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import type { RequestHandler } from 'express';

/** The dashboard's tRPC endpoint, served by this process over its own warehouse. */
export function trpcHandler(warehouse: Warehouse, minCellSize: number): RequestHandler {
  return createExpressMiddleware({
    router: appRouter,
    createContext: () => ({ warehouse, minCellSize }),
  });
}
