import type { RecordedEvent } from '@ipt/events';
import type { Ingestor, IngestResult, Logger, Refusal, Screen } from '@ipt/http';
import { IngestUnavailableError } from '@ipt/http';
import { WarehouseError } from '@ipt/warehouse';
import { type Kafka, Partitioners, type Producer } from 'kafkajs';
import { withoutRefused } from '../ingest/embedded-ingestor.js';
import { ensureTopics, type TopicSettings, topicNames } from './topics.js';

/**
 * The scaled write path: accepted events go to Kafka, keyed by episode, with an idempotent
 * producer and `acks=all`; the 200 is sent only after the broker acknowledged. If the broker is
 * away the send fails, the source gets a 503, and the next request reconnects: no restart.
 */
export function createKafkaIngestor(
  kafka: Kafka,
  settings: TopicSettings,
  logger: Logger,
): Ingestor {
  let producer: Producer | null = null;
  let connecting: Promise<Producer> | null = null;
  const inFlight = new Set<Promise<unknown>>();

  const connect = (): Promise<Producer> => {
    if (producer !== null) return Promise.resolve(producer);
    connecting ??= (async () => {
      const admin = kafka.admin();
      try {
        await admin.connect();
        await ensureTopics(admin, settings);
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      const created = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await created.connect();
      created.on('producer.disconnect', () => {
        if (producer === created) producer = null;
      });
      producer = created;
      return created;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  /**
   * The ownership screen against the warehouse, which lags the log by the projector's lag: what
   * it cannot see yet, the projection's own ownership rule catches. A warehouse that does not
   * answer does not stop the write path (the log is what makes an event durable here): the batch
   * goes on unscreened, with a warning, and the projection still applies the rule.
   */
  const screened = async (events: readonly RecordedEvent[], screen: Screen): Promise<Refusal[]> => {
    try {
      return await screen(events);
    } catch (error) {
      if (!(error instanceof WarehouseError)) throw error;
      logger.warn('episode ownership not checked at ingest: the warehouse did not answer', {
        error: error.message,
      });
      return [];
    }
  };

  const send = async (
    batch: readonly RecordedEvent[],
    screen: Screen | undefined,
  ): Promise<IngestResult> => {
    const refused = screen === undefined ? [] : await screened(batch, screen);
    const events = withoutRefused(batch, refused);
    if (events.length === 0) return { refused, stored: 0, duplicates: 0, projected: 0 };
    try {
      const ready = await connect();
      await ready.send({
        topic: topicNames(settings.prefix).events,
        acks: -1,
        timeout: 10_000,
        messages: events.map((event) => ({ key: event.episodeId, value: JSON.stringify(event) })),
      });
      return { refused, stored: events.length, duplicates: 0, projected: 0 };
    } catch (error) {
      // Anything that stops the send means the batch is not known to be durable: refuse it all.
      // A part that did reach the log is harmless: the retry carries the same ids, and the
      // projector stores each id once.
      logger.warn('kafka send failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      const stale = producer;
      producer = null;
      await stale?.disconnect().catch(() => undefined);
      throw new IngestUnavailableError('log', 'the event log is unavailable', { cause: error });
    }
  };

  return {
    ingest(events, screen) {
      const pending = send(events, screen);
      inFlight.add(pending);
      return pending.finally(() => inFlight.delete(pending));
    },
    async ready() {
      const admin = kafka.admin();
      try {
        await admin.connect();
        await admin.describeCluster();
        return { name: 'kafka', up: true };
      } catch {
        return { name: 'kafka', up: false };
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
    async drain() {
      await Promise.allSettled([...inFlight]);
    },
    async close() {
      await Promise.allSettled([...inFlight]);
      await producer?.disconnect();
      producer = null;
    },
  };
}
