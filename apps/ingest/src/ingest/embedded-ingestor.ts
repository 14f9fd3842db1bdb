import type { RecordedEvent } from '@ipt/events';
import { appendEvents, projectEpisodes, type Warehouse, WarehouseError } from '@ipt/warehouse';
import { IngestUnavailableError } from './errors.js';

/**
 * The embedded write path: append to the event log and project the affected episodes, inside
 * the request, so an accepted event is durable and visible before the 200 (ARCHITECTURE.md).
 * Batches are applied one at a time; chDB runs one statement at a time anyway, and a fold of an
 * episode must not interleave with another batch's append of the same episode.
 */
export interface IngestResult {
  /** Events written to the log or the warehouse now. */
  stored: number;
  /** Events already stored (known only where the write path can tell). */
  duplicates: number;
  /** Episodes projected before the answer (0 when a separate projector does it). */
  projected: number;
}

export interface Ingestor {
  /** Makes the batch durable, or throws IngestUnavailableError having acknowledged nothing. */
  ingest(events: readonly RecordedEvent[]): Promise<IngestResult>;
  /** Whether a batch could be written now (for /readyz). */
  ready(): Promise<{ name: string; up: boolean }>;
  /** Resolves when every batch accepted so far has been written. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export function createEmbeddedIngestor(warehouse: Warehouse): Ingestor {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    ingest(events) {
      const run = async (): Promise<IngestResult> => {
        try {
          return await write();
        } catch (error) {
          if (
            error instanceof WarehouseError &&
            (error.kind === 'unavailable' || error.kind === 'locked')
          ) {
            throw new IngestUnavailableError('warehouse', 'the warehouse is unavailable', {
              cause: error,
            });
          }
          throw error;
        }
      };
      const write = async (): Promise<IngestResult> => {
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
    ready: async () => ({ name: 'warehouse', up: await warehouse.ping() }),
    drain: () => tail.then(() => undefined),
    close: async () => {
      await tail;
    },
  };
}
