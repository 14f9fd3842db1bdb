import { Kafka, logLevel as KafkaLogLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../http/infra/logger.js';

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
      const { message, ...fields } = entry.log;
      // Retries are limited on purpose (a 503 beats a hung request). kafkajs warns that this
      // weakens its exactly-once guarantee; ours does not rest on it: the projector stores each
      // event id once, however often a message reaches the log.
      if (message.startsWith('Limiting retries for the idempotent producer')) return;
      const text = `kafka ${entry.namespace}: ${message}`;
      if (entry.level <= KafkaLogLevel.ERROR) logger.error(text, fields);
      else logger.warn(text, fields);
    },
  });
}
