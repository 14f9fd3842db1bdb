import type { AccessLog, CohortBudget, DisclosureSettings } from '@ipt/analytics/server';
import type { IngestKey, Keyring, ReadKey } from '@ipt/auth';
import type { ValidationResult } from '@ipt/events';
import type { Warehouse } from '@ipt/warehouse';
import type { Logger } from './infra/logger.js';
import type { Metrics } from './infra/metrics.js';
import type { RateLimiter } from './infra/rate-limit.js';
import type { Ingestor } from './ingest/ingestor.js';

/** Everything the HTTP layer needs, built once at start and passed in (tests build their own). */
export interface AppContext {
  /** Absent in the ingest-only role of the scaled mode: no read API there. */
  warehouse: Warehouse | null;
  /** Absent in the projector role: no write API there. */
  ingestor: Ingestor | null;
  /** What /readyz checks: each dependency that must answer for this process to do its work. */
  readiness: Array<{ name: string; check: () => Promise<boolean> }>;
  ingestKeys: Keyring<IngestKey>;
  readKeys: Keyring<ReadKey>;
  limiter: RateLimiter;
  metrics: Metrics;
  logger: Logger;
  /** Disclosure control: k (MIN_CELL_SIZE) and the noise D of protected numbers. */
  disclosure: Required<DisclosureSettings>;
  /** The daily budget of distinct cohorts of protected readers (absent where nothing is read). */
  budget: CohortBudget | null;
  /** Every read is written here before its answer leaves (absent where nothing is read). */
  accessLog: AccessLog | null;
  /** Read requests per second per principal (REST and tRPC share the bucket). */
  readLimiter: RateLimiter;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* (secure cookies, client address). */
  trustProxy: boolean;
  /** Clock for `recordedAt`; the system clock outside tests. */
  now: () => Date;
  /** The catalog validator, built once with the same clock. */
  validate: (input: unknown) => ValidationResult;
}
