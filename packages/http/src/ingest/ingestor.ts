import type { RecordedEvent } from '@ipt/events';
import type { Refusal, Screen } from './ownership.js';

/**
 * What POST /v1/events hands a stamped batch to: the embedded write path (append and project,
 * apps/server) or the Kafka producer (apps/server). Either makes the batch durable before the
 * answer, or throws IngestUnavailableError having acknowledged nothing.
 */
export interface IngestResult {
  /** Events the screen refused (index into the batch given); the rest were accepted. */
  refused: Refusal[];
  /** Events written to the log or the warehouse now. */
  stored: number;
  /** Events already stored (known only where the write path can tell). */
  duplicates: number;
  /**
   * Episodes projected before the answer (0 when a separate projector does it). A group's
   * projection is counted on its first batch, so the sum over batches counts each once.
   */
  projected: number;
}

export interface Ingestor {
  /**
   * Makes the batch durable, or throws IngestUnavailableError having acknowledged nothing.
   * `screen`, when given, decides just before the write which events may be written (episode
   * ownership, which needs the stored history); the embedded ingestor runs it inside its
   * one-write-at-a-time section, over the group's events in arrival order, so two batches
   * cannot both claim a new episode.
   */
  ingest(events: readonly RecordedEvent[], screen?: Screen): Promise<IngestResult>;
  /** Whether a batch could be written now (for /readyz). */
  ready(): Promise<{ name: string; up: boolean }>;
  /** Resolves when every batch accepted so far has been written. */
  drain(): Promise<void>;
  close(): Promise<void>;
}
