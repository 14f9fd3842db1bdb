import type { Logger } from '@ipt/http';
import { Kafka, logLevel as KafkaLogLevel, type LogEntry } from 'kafkajs';

/** Broker answers that are part of starting up, not faults (kafkajs's protocol/error.js). */
const TRANSIENT = new Set([
  'The group coordinator is not available',
  "The coordinator is loading and hence can't process requests for this group",
  'There is no leader for this topic-partition as we are in the middle of a leadership election',
]);

/**
 * A kafkajs client whose logs go to our JSON logger. Retries are short: the HTTP layer turns a
 * failed send into a 503 the source retries, which beats holding the request for half a minute.
 */
export function createKafka(brokers: readonly string[], logger: Logger, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: [...brokers],
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
    logLevel: KafkaLogLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      // kafkajs's own `timestamp` and `logger` repeat what every line of ours already says.
      const {
        message,
        timestamp: _t,
        logger: _l,
        ...fields
      } = entry.log as typeof entry.log & {
        logger?: unknown;
      };
      // Retries are limited on purpose (a 503 beats a hung request). kafkajs warns that this
      // weakens its exactly-once guarantee; ours does not rest on it: the projector stores each
      // event id once, however often a message reaches the log.
      if (message.startsWith('Limiting retries for the idempotent producer')) return;
      const text = `kafka ${entry.namespace}: ${message}`;
      // A broker that has just started answers these while it elects a coordinator or leader;
      // kafkajs retries them, and a failure that outlasts its retries is logged by our caller.
      if (TRANSIENT.has(String(fields.error))) logger.debug(text, fields);
      else if (entry.level <= KafkaLogLevel.ERROR) logger.error(text, fields);
      else logger.warn(text, fields);
    },
  });
}
