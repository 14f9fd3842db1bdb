import type { Principal } from '@ipt/analytics';
import { createAccessLog, createCohortBudget } from '@ipt/analytics/server';
import { loadedWarehouse, testDisclosure } from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import type { Warehouse } from '@ipt/warehouse';
import { afterAll, beforeAll } from 'vitest';
import { createCaller } from '../src/index.js';

/**
 * The setup most procedure suites share: an embedded warehouse loaded with the suite's events,
 * and tRPC callers over it for any principal (k as given, a daily budget no suite reaches).
 * Call it at the top level of a test file: it registers the beforeAll that loads the events and
 * the afterAll that flushes the access log and removes the data.
 */
export function loadedCallers(
  events: readonly CatalogEvent[],
  name: string,
  options: { minCellSize: number; loadTimeout?: number },
): {
  callerFor: (principal: Principal) => ReturnType<typeof createCaller>;
  warehouse: () => Warehouse;
} {
  let loaded: Awaited<ReturnType<typeof loadedWarehouse>> | undefined;
  let accessLog: ReturnType<typeof createAccessLog> | undefined;
  beforeAll(async () => {
    loaded = await loadedWarehouse(events, name);
    accessLog = createAccessLog(loaded.warehouse);
  }, options.loadTimeout ?? 180_000);
  afterAll(async () => {
    await accessLog?.flush();
    await loaded?.dispose();
  });
  const warehouse = () => {
    if (loaded === undefined) throw new Error(`the ${name} warehouse is not loaded yet`);
    return loaded.warehouse;
  };
  return {
    warehouse,
    callerFor: (principal) =>
      createCaller({
        warehouse: warehouse(),
        disclosure: { ...testDisclosure, minCellSize: options.minCellSize },
        budget: createCohortBudget(warehouse(), { perDay: 1000 }),
        principal,
        accessLog: accessLog as ReturnType<typeof createAccessLog>,
      }),
  };
}
