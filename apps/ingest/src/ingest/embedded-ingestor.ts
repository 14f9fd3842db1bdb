import type { RecordedEvent } from '@ipt/events';
import { appendEvents, projectEpisodes, type Warehouse } from '@ipt/warehouse';

/**
 * The embedded write path: append to the event log and project the affected episodes, inside
 * the request, so an accepted event is durable and visible before the 200 (ARCHITECTURE.md).
 * Batches are applied one at a time; chDB runs one statement at a time anyway, and a fold of an
 * episode must not interleave with another batch's append of the same episode.
 */
export interface IngestResult {
  stored: number;
  duplicates: number;
  projected: number;
}

export interface Ingestor {
  ingest(events: readonly RecordedEvent[]): Promise<IngestResult>;
  /** Resolves when every batch accepted so far has been written. */
  drain(): Promise<void>;
}

export function createEmbeddedIngestor(warehouse: Warehouse): Ingestor {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    ingest(events) {
      const run = async (): Promise<IngestResult> => {
        const { stored, duplicates } = await appendEvents(warehouse, events);
        // Project every episode the batch touched, duplicates included: a retry after a failed
        // projection must finish the job the first attempt started.
        const { projected } = await projectEpisodes(
          warehouse,
          events.map((e) => e.episodeId),
        );
        return { stored: stored.length, duplicates: duplicates.length, projected };
      };
      const next = tail.then(run, run);
      tail = next.catch(() => undefined);
      return next;
    },
    drain: () => tail.then(() => undefined),
  };
}
