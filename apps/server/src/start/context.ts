import {
  createAccessLog,
  createCohortBudget,
  type DisclosureSettings,
} from '@ipt/analytics/server';
import type { IngestKey, ReadKey } from '@ipt/auth';
import { createKeyring } from '@ipt/auth';
import { createEventValidator } from '@ipt/events';
import type { AppContext, Ingestor, Logger, Metrics } from '@ipt/http';
import { createRateLimiter } from '@ipt/http';
import type { NoiseDraw } from '@ipt/protocol';
import type { Warehouse } from '@ipt/warehouse';
import type { DemoKeys } from '../demo/demo-keys.js';
import type { Env } from '../env.js';
import { type Role, serves } from '../roles.js';

/** The disclosure settings of a process; where nothing is read there is no noise draw. */
export function disclosureSettings(env: Env, draw: NoiseDraw | null): Required<DisclosureSettings> {
  return {
    minCellSize: env.MIN_CELL_SIZE,
    noise: env.DISCLOSURE_NOISE,
    // A protected answer without a draw is refused, never released with a guessable noise.
    draw:
      draw ??
      (() => {
        throw new Error('this process answers no protected questions');
      }),
  };
}

/** Everything the HTTP layer of a process role needs, built once at start. */
export function buildContext(options: {
  env: Env;
  processRole: Role;
  warehouse: Warehouse | null;
  ingestor: Ingestor | null;
  kafkaReady: (() => Promise<boolean>) | null;
  keys: { ingest: readonly IngestKey[]; read: readonly ReadKey[] };
  demoKeys: DemoKeys | null;
  draw: NoiseDraw | null;
  metrics: Metrics;
  logger: Logger;
}): AppContext {
  const { env, processRole, warehouse, ingestor, kafkaReady, keys, demoKeys } = options;
  const now = () => new Date();
  const reads = warehouse !== null && serves(processRole, 'outcomes');
  const readiness: AppContext['readiness'] = [];
  if (warehouse !== null) readiness.push({ name: 'warehouse', check: () => warehouse.ping() });
  if (kafkaReady !== null) readiness.push({ name: 'kafka', check: kafkaReady });
  return {
    warehouse,
    ingestor,
    readiness,
    ingestKeys: createKeyring([...keys.ingest, ...(demoKeys === null ? [] : [demoKeys.ingest])]),
    readKeys: createKeyring([...keys.read, ...(demoKeys === null ? [] : demoKeys.readers)]),
    limiter: createRateLimiter({
      capacity: env.RATE_LIMIT_PER_SECOND * 2,
      refillPerSecond: env.RATE_LIMIT_PER_SECOND,
    }),
    readLimiter: createRateLimiter({
      capacity: env.READ_RATE_LIMIT_PER_SECOND * 2,
      refillPerSecond: env.READ_RATE_LIMIT_PER_SECOND,
    }),
    accessLog: reads ? createAccessLog(warehouse) : null,
    trustProxy: env.TRUST_PROXY,
    metrics: options.metrics,
    logger: options.logger,
    disclosure: disclosureSettings(env, options.draw),
    budget: reads
      ? createCohortBudget(warehouse, { perDay: env.COHORT_BUDGET_PER_DAY, now })
      : null,
    now,
    validate: createEventValidator({ now }),
  };
}
