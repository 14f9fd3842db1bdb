import type { Logger } from '@ipt/http';
import { createMetrics } from '@ipt/http';
import type { RecordKeys, Warehouse } from '@ipt/warehouse';
import type { Kafka } from 'kafkajs';
import { startProjector } from './projector.js';

/**
 * Rebuilds the warehouse from the log: empty the event store and the projections, then read the
 * topic from offset 0 with a fresh consumer group until it has caught up. The result equals the
 * incremental state (tested), because both run the same projector over the same messages.
 */
export async function replayFromKafka(options: {
  kafka: Kafka;
  warehouse: Warehouse;
  recordKeys: RecordKeys;
  logger: Logger;
  prefix: string;
  onProgress?: (lag: number) => void;
}): Promise<{ groupId: string }> {
  const { warehouse } = options;
  for (const table of ['events', 'episodes', 'episode_scores', 'episode_history']) {
    const target = warehouse.clustered ? `${table}_local ON CLUSTER '{cluster}'` : table;
    await warehouse.command(`replay.truncate_${table}`, `TRUNCATE TABLE IF EXISTS ${target}`);
  }
  const groupId = `${options.prefix}ipt-replay-${Date.now()}`;
  const projector = await startProjector({
    kafka: options.kafka,
    warehouse,
    recordKeys: options.recordKeys,
    metrics: createMetrics(),
    logger: options.logger,
    prefix: options.prefix,
    groupId,
    fromBeginning: true,
  });
  try {
    for (;;) {
      const lag = await projector.lag();
      options.onProgress?.(lag);
      if (lag === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await projector.stop();
  }
  return { groupId };
}
