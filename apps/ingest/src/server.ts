import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEventValidator } from '@ipt/events';
import { createNetwork } from '@ipt/simulator';
import { eventLogStats, migrate, Warehouse, type WarehouseTarget } from '@ipt/warehouse';
import { loadOrCreateDemoKeys } from './demo/demo-keys.js';
import { seedDemo } from './demo/seed.js';
import type { Env } from './env.js';
import { createApp } from './http/app.js';
import type { AppContext } from './http/context.js';
import { createLogger, type Logger } from './http/infra/logger.js';
import { createMetrics } from './http/infra/metrics.js';
import { createRateLimiter } from './http/infra/rate-limit.js';
import { createEmbeddedIngestor } from './ingest/embedded-ingestor.js';
import { assertDistinctKeys, parseIngestKeys, parseReadKeys } from './keys/config.js';
import { createKeyring } from './keys/verify.js';

/**
 * The embedded product in one process: ingest API, projector and read API on one port, over a
 * warehouse this process owns (chDB binds its directory to one process). Start-up order: config,
 * warehouse and migrations, keys, HTTP, then demo data through the HTTP path itself.
 */
export interface RunningServer {
  url: string;
  server: Server;
  context: AppContext;
  /** Resolves when demo loading is finished (or immediately when there is none). */
  demo: Promise<void>;
  /** Stop accepting, finish in-flight batches, close the warehouse. */
  stop(): Promise<void>;
}

export function warehouseTarget(env: Env): WarehouseTarget {
  return env.CLICKHOUSE_URL === undefined
    ? { mode: 'embedded', dataDir: env.DATA_DIR }
    : { mode: 'server', url: env.CLICKHOUSE_URL, clustered: env.CLICKHOUSE_CLUSTERED };
}

export async function startServer(
  env: Env,
  logger: Logger = createLogger({ level: env.LOG_LEVEL }),
): Promise<RunningServer> {
  const envIngest = parseIngestKeys(env.INGEST_KEYS);
  const envRead = parseReadKeys(env.READ_KEYS);
  assertDistinctKeys(envIngest, envRead);

  const warehouse = new Warehouse(warehouseTarget(env));
  logger.info(`warehouse: ${warehouse.description}`);
  const { applied } = await migrate(warehouse);
  if (applied.length > 0) logger.info('migrations applied', { applied });

  const demoNetwork = env.SEED_DEMO ? createNetwork(env.DEMO_SEED, env.DEMO_CLINICS) : [];
  const demoKeys = env.SEED_DEMO
    ? loadOrCreateDemoKeys(
        env.DATA_DIR,
        demoNetwork.map((c) => c.clinicId),
      )
    : null;
  const now = () => new Date();
  const context: AppContext = {
    warehouse,
    ingestor: createEmbeddedIngestor(warehouse),
    ingestKeys: createKeyring([...envIngest, ...(demoKeys === null ? [] : [demoKeys.ingest])]),
    readKeys: createKeyring([...envRead, ...(demoKeys === null ? [] : [demoKeys.read])]),
    limiter: createRateLimiter({
      capacity: env.RATE_LIMIT_PER_SECOND * 2,
      refillPerSecond: env.RATE_LIMIT_PER_SECOND,
    }),
    metrics: createMetrics(),
    logger,
    minCellSize: env.MIN_CELL_SIZE,
    now,
    validate: createEventValidator({ now }),
  };

  const app = createApp(context);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(env.PORT, env.HOST, () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`;

  const abort = new AbortController();
  let demo: Promise<void> = Promise.resolve();
  if (demoKeys !== null) {
    if (demoKeys.created !== null) {
      process.stdout.write(
        `${[
          '',
          `Demo keys (shown once; their hashes are kept in ${demoKeys.file}):`,
          `  source key (POST /v1/events): ${demoKeys.created.ingestKey}`,
          `  read key   (GET /v1/outcomes): ${demoKeys.created.readKey}`,
          '',
        ].join('\n')}\n`,
      );
    }
    if (demoKeys.created === null) {
      logger.info(
        `demo keys: printed at the first start; their hashes are in ${demoKeys.file} (delete it for new keys)`,
      );
    }
    const stats = await eventLogStats(warehouse);
    if (stats.events === 0 && demoKeys.created !== null) {
      demo = seedDemo({
        url,
        ingestKey: demoKeys.created.ingestKey,
        seed: env.DEMO_SEED,
        episodes: env.DEMO_EPISODES,
        clinics: env.DEMO_CLINICS,
        signal: abort.signal,
      }).then(
        (result) => logger.info('demo data loaded', result),
        (error: unknown) => logger.error('demo data failed to load', { error: String(error) }),
      );
    } else if (stats.events === 0) {
      logger.warn(
        `the warehouse is empty but the demo keys already exist; delete ${demoKeys.file} to load demo data again`,
      );
    }
  }

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      abort.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // In-flight requests finish; a client that holds a connection open past this is cut.
      const deadline = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(deadline);
      await demo;
      await context.ingestor.drain();
      await warehouse.close();
    })();
    return stopping;
  };

  return { url, server, context, demo, stop };
}
