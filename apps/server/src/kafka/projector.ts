import { type CatalogEvent, createEventValidator, type RecordedEvent } from '@ipt/events';
import type { Logger, Metrics } from '@ipt/http';
import { appendEvents, projectEpisodes, type RecordKeys, type Warehouse } from '@ipt/warehouse';
import {
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
  Partitioners,
  type Producer,
} from 'kafkajs';
import { earliestRecorded } from '../ingest/embedded-ingestor.js';
import { topicNames } from './topics.js';

/**
 * The projector of the scaled mode: a consumer group reading ipt.events.v1 in batches. For each
 * batch: events into the warehouse's log (ids already stored are skipped), the affected episodes
 * re-folded, and only then the offsets committed. A crash between the write and the commit
 * replays the batch, which the id check makes harmless: exactly once in the warehouse.
 * A message it cannot read goes to ipt.events.dlq and dead_letters with the reason, and the
 * partition moves on. An event for an episode another clinic owns is stored but not folded
 * (the projection's ownership rule) and dead-lettered there.
 */
export interface Projector {
  /** Events in the log not yet committed by the group. */
  lag(): Promise<number>;
  /** Finish the batch in hand, commit, leave the group. */
  stop(): Promise<void>;
}

export interface ProjectorOptions {
  kafka: Kafka;
  warehouse: Warehouse;
  /** Each episode's record key for disclosure control (record-key-secret.ts). */
  recordKeys: RecordKeys;
  metrics: Metrics;
  logger: Logger;
  /** KAFKA_TOPIC_PREFIX: which topics and group. */
  prefix: string;
  /** Another group than the projector's (a replay reads the log again from offset 0). */
  groupId?: string;
  /** Start a new group at the beginning of the log (replay) rather than the end. */
  fromBeginning?: boolean;
}

const recordedEvent = (event: CatalogEvent, raw: Record<string, unknown>): RecordedEvent | null =>
  typeof raw.recordedAt === 'string' &&
  !Number.isNaN(Date.parse(raw.recordedAt)) &&
  typeof raw.sourceId === 'string' &&
  raw.sourceId.length > 0
    ? { ...event, recordedAt: raw.recordedAt, sourceId: raw.sourceId }
    : null;

export async function startProjector(options: ProjectorOptions): Promise<Projector> {
  const { kafka, warehouse, metrics, logger } = options;
  const names = topicNames(options.prefix);
  const groupId = options.groupId ?? names.projectorGroup;
  // The catalog's "not in the future" rule is for sources; a message stamped at ingest is
  // checked for shape only, against a clock that accepts its dates.
  const farFuture = new Date('9999-01-01T00:00:00Z');
  const validate = createEventValidator({ now: () => farFuture });
  const consumer: Consumer = kafka.consumer({
    groupId,
    // Large fetches while catching up: a batch's statements and parts are paid once however
    // many events it holds, and a backlog's batches span every month filed (a part each).
    // Live, a fetch returns what arrived since the last (minBytes 1), so freshness is kept.
    maxBytes: 64 * 1024 * 1024,
    maxBytesPerPartition: 16 * 1024 * 1024,
    sessionTimeout: 30_000,
  });
  const producer: Producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const admin = kafka.admin();
  await Promise.all([consumer.connect(), producer.connect(), admin.connect()]);
  await subscribeWhenKnown(consumer, names.events, options.fromBeginning ?? true);

  const parse = (message: KafkaMessage): { event: RecordedEvent } | { reason: string } => {
    if (message.value === null) return { reason: 'empty message' };
    let raw: unknown;
    try {
      raw = JSON.parse(message.value.toString('utf8'));
    } catch {
      return { reason: 'not JSON' };
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      return { reason: 'not a JSON object' };
    // The ingest's stamps are not part of the source's catalog: check the event without them,
    // then the stamps themselves.
    const { recordedAt: _r, sourceId: _s, ...rest } = raw as Record<string, unknown>;
    const result = validate(rest);
    if (!result.ok) {
      const [first] = result.errors;
      return { reason: `not a v1 event: ${first?.path ?? ''} ${first?.message ?? ''}`.trim() };
    }
    const event = recordedEvent(result.event, raw as Record<string, unknown>);
    return event === null ? { reason: 'missing recordedAt or sourceId stamp' } : { event };
  };

  const eachBatch = async ({ batch, resolveOffset, heartbeat }: EachBatchPayload) => {
    const events: RecordedEvent[] = [];
    const dead: Array<{ message: KafkaMessage; reason: string }> = [];
    for (const message of batch.messages) {
      const parsed = parse(message);
      if ('event' in parsed) events.push(parsed.event);
      else dead.push({ message, reason: parsed.reason });
    }
    if (dead.length > 0) {
      await producer.send({
        topic: names.deadLetters,
        acks: -1,
        messages: dead.map(({ message, reason }) => ({
          key: message.key,
          value: message.value,
          headers: {
            reason,
            topic: batch.topic,
            partition: String(batch.partition),
            offset: message.offset,
          },
        })),
      });
      await warehouse.insert({
        name: 'projector.dead_letters',
        table: 'dead_letters',
        rows: dead.map(({ message, reason }) => ({
          received_at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
          origin: 'kafka',
          episode_id: message.key?.toString('utf8') ?? '',
          event_id: '',
          reason: `${reason} (partition ${batch.partition}, offset ${message.offset})`,
          payload: message.value?.toString('utf8').slice(0, 100_000) ?? '',
        })),
      });
      metrics.projectorEvents.inc({ outcome: 'dead_lettered' }, dead.length);
      logger.warn('dead-lettered messages', {
        count: dead.length,
        partition: batch.partition,
        reason: dead[0]?.reason,
      });
    }
    if (events.length > 0) {
      // Writes go ahead of queued dashboard reads on an embedded warehouse (one statement at a
      // time); on a server this changes nothing.
      const { stored, duplicates, histories, registered } = await warehouse.priority(() =>
        appendEvents(warehouse, events),
      );
      await heartbeat();
      // The projection folds each episode from its owner clinic's events only: an event for
      // another clinic's episode that reached the log (an ingest without a warehouse, another
      // producer, two batches racing) is stored in the raw log but never folded, and goes to
      // dead_letters once.
      const { projected, deadLettered } = await warehouse.priority(() =>
        projectEpisodes(
          warehouse,
          events.map((e) => e.episodeId),
          options.recordKeys,
          { since: earliestRecorded(events), histories, registered },
        ),
      );
      metrics.projectorEvents.inc({ outcome: 'stored' }, stored.length);
      metrics.projectorEvents.inc({ outcome: 'duplicate' }, duplicates.length);
      metrics.projectorEvents.inc({ outcome: 'dead_lettered' }, deadLettered);
      metrics.projectorEpisodesProjected.inc(projected);
      if (deadLettered > 0) {
        logger.warn('dead-lettered events at projection', {
          count: deadLettered,
          partition: batch.partition,
        });
      }
    }
    const last = batch.messages.at(-1);
    if (last !== undefined) {
      resolveOffset(last.offset);
      // With autoCommit off, commitOffsetsIfNecessary() commits nothing: commit explicitly, and
      // only now that the warehouse has the batch. The committed offset is the next to read.
      await consumer.commitOffsets([
        {
          topic: batch.topic,
          partition: batch.partition,
          offset: (BigInt(last.offset) + 1n).toString(),
        },
      ]);
    }
    await heartbeat();
  };

  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 1,
    eachBatch,
  });

  const lag = async (): Promise<number> => {
    const [ends, committed] = await Promise.all([
      admin.fetchTopicOffsets(names.events),
      admin.fetchOffsets({ groupId, topics: [names.events] }),
    ]);
    const done = new Map(
      (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
    );
    return ends.reduce((sum, p) => {
      const at = done.get(p.partition) ?? -1;
      const start = at < 0 ? Number(p.low) : at;
      return sum + Math.max(0, Number(p.high) - start);
    }, 0);
  };

  const timer = setInterval(() => {
    lag().then(
      (value) => metrics.projectorLag.set(value),
      (error: unknown) => logger.warn('could not measure consumer lag', { error: String(error) }),
    );
  }, 5_000);
  timer.unref();

  return {
    lag,
    async stop() {
      clearInterval(timer);
      // disconnect() waits for the running batch, whose offsets are committed inside it.
      await consumer.disconnect();
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    },
  };
}

/**
 * Subscribes once every broker the consumer asks knows the topic. A topic just created on a
 * cluster reaches each broker's metadata at its own pace: the leader wait in ensureTopics asks
 * one broker, and the consumer may ask another that still answers "does not host this
 * topic-partition" (seen on a loaded 3-node cluster). That answer is retried, for up to a minute;
 * anything else is thrown at once.
 */
async function subscribeWhenKnown(
  consumer: Consumer,
  topic: string,
  fromBeginning: boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 100; ; wait = Math.min(wait * 2, 2_000)) {
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning });
      return;
    } catch (error) {
      const unknown =
        error instanceof Error && 'type' in error && error.type === 'UNKNOWN_TOPIC_OR_PARTITION';
      if (!unknown || Date.now() + wait > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
