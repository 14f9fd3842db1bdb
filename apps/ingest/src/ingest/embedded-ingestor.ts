import type { RecordedEvent } from '@ipt/events';
import {
  appendEvents,
  projectEpisodes,
  type RecordKeys,
  type Warehouse,
  WarehouseError,
} from '@ipt/warehouse';
import { IngestUnavailableError } from './errors.js';
import type { Refusal, Screen } from './ownership.js';

/**
 * The embedded write path: append to the event log and project the affected episodes, inside
 * the request, so an accepted event is durable and visible before the 200 (ARCHITECTURE.md).
 * Batches are applied one at a time; chDB runs one statement at a time anyway, and a fold of an
 * episode must not interleave with another batch's append of the same episode.
 */
export interface IngestResult {
  /** Events the screen refused (index into the batch given); the rest were accepted. */
  refused: Refusal[];
  /** Events written to the log or the warehouse now. */
  stored: number;
  /** Events already stored (known only where the write path can tell). */
  duplicates: number;
  /** Episodes projected before the answer (0 when a separate projector does it). */
  projected: number;
}

export interface Ingestor {
  /**
   * Makes the batch durable, or throws IngestUnavailableError having acknowledged nothing.
   * `screen`, when given, decides just before the write which events may be written (episode
   * ownership, which needs the stored history); the embedded ingestor runs it inside its
   * one-batch-at-a-time section, so two batches cannot both claim a new episode.
   */
  ingest(events: readonly RecordedEvent[], screen?: Screen): Promise<IngestResult>;
  /** Whether a batch could be written now (for /readyz). */
  ready(): Promise<{ name: string; up: boolean }>;
  /** Resolves when every batch accepted so far has been written. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export function createEmbeddedIngestor(warehouse: Warehouse, keys: RecordKeys): Ingestor {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    ingest(events, screen) {
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
        const refused = screen === undefined ? [] : await screen(events);
        const admitted = withoutRefused(events, refused);
        if (admitted.length === 0) return { refused, stored: 0, duplicates: 0, projected: 0 };
        const { stored, duplicates } = await appendEvents(warehouse, admitted);
        // Project every episode the batch touched, duplicates included: a retry after a failed
        // projection must finish the job the first attempt started.
        const { projected } = await projectEpisodes(
          warehouse,
          admitted.map((e) => e.episodeId),
          keys,
          { since: earliestRecorded(admitted) },
        );
        return { refused, stored: stored.length, duplicates: duplicates.length, projected };
      };
      // Writes go ahead of queued dashboard reads: chDB runs one statement at a time, and a
      // batch must wait for at most the one read already running, not for a queue of them.
      const prioritised = () => warehouse.priority(run);
      const next = tail.then(prioritised, prioritised);
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

/** The events of a batch the screen did not refuse, in batch order. */
export function withoutRefused(
  events: readonly RecordedEvent[],
  refused: readonly Refusal[],
): RecordedEvent[] {
  if (refused.length === 0) return [...events];
  const out = new Set(refused.map((r) => r.index));
  return events.filter((_, index) => !out.has(index));
}

/** The earliest recorded time of a batch: its episodes' history is folded again from there. */
export const earliestRecorded = (events: ReadonlyArray<{ recordedAt: string }>): string =>
  new Date(Math.min(...events.map((e) => Date.parse(e.recordedAt)))).toISOString();
