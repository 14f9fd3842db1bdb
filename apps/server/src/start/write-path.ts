import type { Ingestor, Logger, Metrics } from '@ipt/http';
import type { RecordKeys, Warehouse } from '@ipt/warehouse';
import type { Kafka } from 'kafkajs';
import type { Env } from '../env.js';
import { createEmbeddedIngestor } from '../ingest/embedded-ingestor.js';
import { createKafka } from '../kafka/client.js';
import { createKafkaIngestor } from '../kafka/kafka-ingestor.js';
import { type Projector, startProjector } from '../kafka/projector.js';
import { ensureTopics } from '../kafka/topics.js';
import type { Role } from '../roles.js';

export interface WritePath {
  kafka: Kafka | null;
  /** What POST /v1/events hands batches to; null where the role takes no writes. */
  ingestor: Ingestor | null;
  /** The consumer group writing the warehouse from Kafka; null without Kafka. */
  projector: Projector | null;
  /** What /readyz asks of Kafka, where the role uses it. */
  kafkaReady: (() => Promise<boolean>) | null;
}

/**
 * The write path of a process role: without KAFKA_BROKERS the ingestor appends to the warehouse
 * directly; with it, the ingestor produces to Kafka and (in `all` and `projector`) a consumer
 * group projects into the warehouse, once the topics exist.
 */
export async function startWritePath(options: {
  env: Env;
  processRole: Role;
  warehouse: Warehouse | null;
  recordKeys: RecordKeys | null;
  metrics: Metrics;
  logger: Logger;
}): Promise<WritePath> {
  const { env, processRole, warehouse, recordKeys, metrics, logger } = options;
  const brokers = env.KAFKA_BROKERS;
  logger.info(
    brokers === undefined
      ? 'log: none (embedded write path)'
      : `log: Kafka at ${brokers.join(',')}`,
  );
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
  let kafkaReady: WritePath['kafkaReady'] = null;
  if (kafka !== null) {
    const probe = ingestor ?? createKafkaIngestor(kafka, topics, logger);
    kafkaReady = async () => (await probe.ready()).up;
  }
  return { kafka, ingestor, projector, kafkaReady };
}
