import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAccessLog, createCohortBudget, createNoiseDraw } from '@ipt/analytics/server';
import { createDashboard, type Dashboard } from '@ipt/dashboard/server';
import { createEventValidator } from '@ipt/events';
import type { NoiseDraw } from '@ipt/protocol';
import { createNetwork } from '@ipt/simulator';
import {
  eventLogStats,
  FOLD_VERSION,
  keyUnkeyedEpisodes,
  migrate,
  type RecordKeys,
  recordKeysFrom,
  refoldOutdatedEpisodes,
  Warehouse,
  type WarehouseTarget,
} from '@ipt/warehouse';
import { loadOrCreateDemoKeys } from './demo/demo-keys.js';
import { seedDemo } from './demo/seed.js';
import { loadRecordKeySecret } from './disclosure/record-key-secret.js';
import { allowedHosts, ConfigError, type Env, oidcSettings } from './env.js';
import { createApp } from './http/app.js';
import type { AppContext } from './http/context.js';
import { createLogger, type Logger } from './http/infra/logger.js';
import { createMetrics } from './http/infra/metrics.js';
import { createRateLimiter } from './http/infra/rate-limit.js';
import { createEmbeddedIngestor, type Ingestor } from './ingest/embedded-ingestor.js';
import { createKafka } from './kafka/client.js';
import { createKafkaIngestor } from './kafka/kafka-ingestor.js';
import { type Projector, startProjector } from './kafka/projector.js';
import { ensureTopics } from './kafka/topics.js';
import { assertDistinctKeys, parseIngestKeys, parseReadKeys } from './keys/config.js';
import { createKeyring } from './keys/verify.js';
import { type Role, serves } from './roles.js';

/**
 * One entry point for every way the service runs; what each role serves is declared in
 * ROLE_ROUTES (roles.ts). Without KAFKA_BROKERS the write path appends to the warehouse
 * directly; with it, the process produces to Kafka and a consumer projects. An embedded
 * warehouse lives in the `all` role: chDB binds its directory to one process.
 */
export type { Role } from './roles.js';

export interface RunningServer {
  url: string;
  server: Server;
  context: AppContext;
  projector: Projector | null;
  /** Resolves when demo loading is finished (or at once when there is none). */
  demo: Promise<void>;
  /** Stop accepting, finish in-flight batches, commit, close the log and the warehouse. */
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
  processRole: Role = 'all',
): Promise<RunningServer> {
  const envIngest = parseIngestKeys(env.INGEST_KEYS);
  const envRead = parseReadKeys(env.READ_KEYS);
  assertDistinctKeys(envIngest, envRead);
  const brokers = env.KAFKA_BROKERS;
  if ((processRole === 'ingest' || processRole === 'projector') && brokers === undefined) {
    throw new ConfigError(
      `the ${processRole} role needs KAFKA_BROKERS; without Kafka, run everything in one process with "ipt start"`,
    );
  }

  // The ingest role reads only from a ClickHouse server; an embedded warehouse belongs to the
  // process that writes it.
  const needsWarehouse = processRole !== 'ingest' || env.CLICKHOUSE_URL !== undefined;
  const warehouse = needsWarehouse
    ? new Warehouse(warehouseTarget(env), undefined, {
        maxExecutionSeconds: env.QUERY_TIMEOUT_SECONDS,
        maxMemoryBytes: env.QUERY_MAX_MEMORY_MB * 1024 * 1024,
      })
    : null;
  const hosts = serves(processRole, 'dashboard') ? allowedHosts(env) : [];
  const oidc = serves(processRole, 'dashboard') ? oidcSettings(env) : undefined;
  if (warehouse !== null) {
    logger.info(`warehouse: ${warehouse.description}`);
    const { applied } = await migrate(warehouse);
    if (applied.length > 0) logger.info('migrations applied', { applied });
  }
  // The record-key secret: the processes that project derive each episode's record key from
  // it, and those that answer protected questions their noise draw. Neither leaves the process.
  const projects = processRole === 'all' || processRole === 'projector';
  const reads = serves(processRole, 'outcomes');
  let recordKeys: RecordKeys | null = null;
  let draw: NoiseDraw | null = null;
  if (warehouse !== null && (projects || reads)) {
    const { secret, source } = loadRecordKeySecret(env);
    logger.info(`record-key secret: ${source}`);
    if (reads) draw = createNoiseDraw(secret);
    if (projects) {
      recordKeys = recordKeysFrom(secret);
      const keyed = await keyUnkeyedEpisodes(warehouse, recordKeys);
      if (keyed > 0) logger.info(`record keys given to ${keyed} episodes stored before keys`);
      // Rows an older fold wrote lack what the fold has learnt since: fold them again first.
      const refolded = await refoldOutdatedEpisodes(warehouse, recordKeys, (done) =>
        logger.info(`folding again episodes of an older classification: ${done}`),
      );
      if (refolded > 0)
        logger.info(`${refolded} episodes folded again (fold version ${FOLD_VERSION})`);
    }
  }
  logger.info(
    brokers === undefined
      ? 'log: none (embedded write path)'
      : `log: Kafka at ${brokers.join(',')}`,
  );

  const metrics = createMetrics();
  const kafka =
    brokers === undefined || processRole === 'dashboard'
      ? null
      : createKafka(brokers, logger, `ipt-${processRole}`);
  const topics = {
    partitions: env.KAFKA_PARTITIONS,
    replicationFactor: env.KAFKA_REPLICATION_FACTOR,
    prefix: env.KAFKA_TOPIC_PREFIX,
  };
  let ingestor: Ingestor | null = null;
  if (processRole === 'all' || processRole === 'ingest') {
    if (kafka !== null) ingestor = createKafkaIngestor(kafka, topics, logger);
    else if (warehouse !== null && recordKeys !== null) {
      ingestor = createEmbeddedIngestor(warehouse, recordKeys);
    }
  }
  let projector: Projector | null = null;
  if (
    (processRole === 'all' || processRole === 'projector') &&
    kafka !== null &&
    warehouse !== null &&
    recordKeys !== null
  ) {
    // The topics must exist before the group subscribes.
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, topics);
    } finally {
      await admin.disconnect();
    }
    projector = await startProjector({
      kafka,
      warehouse,
      recordKeys,
      metrics,
      logger,
      prefix: env.KAFKA_TOPIC_PREFIX,
    });
  }

  const demoNetwork =
    env.SEED_DEMO && processRole === 'all' ? createNetwork(env.DEMO_SEED, env.DEMO_CLINICS) : [];
  const demoKeys =
    env.SEED_DEMO && processRole === 'all'
      ? loadOrCreateDemoKeys(
          env.DATA_DIR,
          demoNetwork.map((c) => c.clinicId),
        )
      : null;
  const now = () => new Date();
  const disclosure = {
    minCellSize: env.MIN_CELL_SIZE,
    noise: env.DISCLOSURE_NOISE,
    // Where nothing is read there is no draw; a protected answer there would be refused.
    draw:
      draw ??
      (() => {
        throw new Error('this process answers no protected questions');
      }),
  };
  const budget =
    warehouse !== null && serves(processRole, 'outcomes')
      ? createCohortBudget(warehouse, { perDay: env.COHORT_BUDGET_PER_DAY, now })
      : null;
  const readiness: AppContext['readiness'] = [];
  if (warehouse !== null) readiness.push({ name: 'warehouse', check: () => warehouse.ping() });
  if (kafka !== null && processRole !== 'dashboard') {
    const probe = ingestor ?? createKafkaIngestor(kafka, topics, logger);
    readiness.push({ name: 'kafka', check: async () => (await probe.ready()).up });
  }
  const context: AppContext = {
    warehouse,
    ingestor,
    readiness,
    ingestKeys: createKeyring([...envIngest, ...(demoKeys === null ? [] : [demoKeys.ingest])]),
    readKeys: createKeyring([...envRead, ...(demoKeys === null ? [] : demoKeys.readers)]),
    limiter: createRateLimiter({
      capacity: env.RATE_LIMIT_PER_SECOND * 2,
      refillPerSecond: env.RATE_LIMIT_PER_SECOND,
    }),
    readLimiter: createRateLimiter({
      capacity: env.READ_RATE_LIMIT_PER_SECOND * 2,
      refillPerSecond: env.READ_RATE_LIMIT_PER_SECOND,
    }),
    accessLog:
      warehouse !== null && serves(processRole, 'outcomes') ? createAccessLog(warehouse) : null,
    trustProxy: env.TRUST_PROXY,
    metrics,
    logger,
    disclosure,
    budget,
    now,
    validate: createEventValidator({ now }),
  };

  // The dashboard reads the warehouse, so it lives where the warehouse is.
  let dashboard: Dashboard | null = null;
  if (
    serves(processRole, 'dashboard') &&
    warehouse !== null &&
    context.accessLog !== null &&
    budget !== null
  ) {
    dashboard = await createDashboard({
      warehouse,
      disclosure,
      budget,
      readKeys: context.readKeys,
      accessLog: context.accessLog,
      limiter: context.readLimiter,
      allowedHosts: hosts,
      sessionIdleMinutes: env.SESSION_IDLE_MINUTES,
      sessionMaxHours: env.SESSION_MAX_HOURS,
      pages: env.DASHBOARD,
      oidc,
      log: { info: (m) => logger.info(m), warn: (m) => logger.warn(m) },
      onTrpcCalls: (procedures) => {
        for (const procedure of procedures) context.metrics.trpcCalls.inc({ procedure });
      },
    });
  }
  const app = createApp(context, processRole, { dashboard: dashboard?.handler ?? null });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(env.PORT, env.HOST, () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`;

  const abort = new AbortController();
  let demo: Promise<void> = Promise.resolve();
  if (demoKeys !== null && warehouse !== null) {
    if (demoKeys.created !== null) {
      process.stdout.write(
        `${[
          '',
          `Demo keys (shown once; their hashes are kept in ${demoKeys.file}):`,
          `  ${'source key (POST /v1/events, every demo clinic)'.padEnd(47)}: ${demoKeys.created.ingestKey}`,
          `  ${'  its clinics'.padEnd(47)}: ${demoClinicList(demoKeys.ingest.clinics)}`,
          ...demoKeys.created.readKeys.map(({ entry, key }) => {
            const clinics = entry.clinics === undefined ? '' : ` (${entry.clinics.join(', ')})`;
            return `  ${`${entry.role} read key${clinics}`.padEnd(47)}: ${key}`;
          }),
          '',
          `Sign in to the dashboard at ${url}/sign-in with the steward read key.`,
          '',
        ].join('\n')}\n`,
      );
    } else {
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
      await ingestor?.drain();
      await ingestor?.close();
      await projector?.stop();
      await dashboard?.close();
      await context.accessLog?.flush();
      await warehouse?.close();
    })();
    return stopping;
  };

  return { url, server, context, projector, demo, stop };
}

/** The demo clinic codes a source key may write, short enough for one line of the banner. */
function demoClinicList(clinics: readonly string[]): string {
  return clinics.length <= 4
    ? clinics.join(', ')
    : `${clinics.slice(0, 3).join(', ')}, ... ${clinics.at(-1)} (${clinics.length} clinics)`;
}
