import type { RecordedEvent } from '@ipt/events';
import {
  type Ingestor,
  type IngestResult,
  IngestUnavailableError,
  type Refusal,
  type Screen,
} from '@ipt/http';
import {
  appendEvents,
  groupCommit,
  projectEpisodes,
  type RecordKeys,
  type Warehouse,
  WarehouseError,
} from '@ipt/warehouse';

/**
 * The embedded write path: append to the event log and project the affected episodes, inside
 * the request, so an accepted event is durable and visible before the 200 (README, "How it works").
 *
 * Writes are one at a time (chDB runs one statement at a time anyway, and a fold of an episode
 * must not interleave with another append of the same episode), and group-committed
 * (@ipt/warehouse groupCommit): a group is written as if its batches came one after another
 * (one screen over their events in arrival order, one append, one projection), and a group
 * that fails fails each of its batches, having acknowledged none of them.
 */
/**
 * At most this many events per group: five full batches. Bounds a group's memory and the wait
 * of its first batch; larger groups gain little once per-statement costs are shared.
 */
export const MAX_GROUP_EVENTS = 5_000;

interface Pending {
  events: readonly RecordedEvent[];
  screen: Screen | undefined;
}

export function createEmbeddedIngestor(
  warehouse: Warehouse,
  keys: RecordKeys,
  options: { maxGroupEvents?: number } = {},
): Ingestor {
  const maxGroupEvents = options.maxGroupEvents ?? MAX_GROUP_EVENTS;

  const writeGroup = async (group: readonly Pending[]): Promise<IngestResult[]> => {
    const all = group.flatMap((p) => p.events);
    const screen = group[0]?.screen;
    const refusals = screen === undefined ? [] : await screen(all);
    const parts = splitRefusals(
      group.map((p) => p.events.length),
      refusals,
    );
    const admitted = group.map((p, i) => withoutRefused(p.events, parts[i] ?? []));
    const everyAdmitted = admitted.flat();
    if (everyAdmitted.length === 0) {
      return parts.map((refused) => ({ refused, stored: 0, duplicates: 0, projected: 0 }));
    }
    const { stored, histories, registered } = await appendEvents(warehouse, everyAdmitted);
    // Project every episode the group touched, duplicates included: a retry after a failed
    // projection must finish the job the first attempt started.
    const { projected } = await projectEpisodes(
      warehouse,
      everyAdmitted.map((e) => e.episodeId),
      keys,
      { since: earliestRecorded(everyAdmitted), histories, registered },
    );
    // appendEvents returns the very event objects it wrote: a batch's stored events are its
    // admitted ones found there, the rest were already in the log (or earlier in the group).
    const written = new Set<RecordedEvent>(stored);
    return admitted.map((events, i) => {
      const count = events.filter((e) => written.has(e)).length;
      return {
        refused: parts[i] ?? [],
        stored: count,
        duplicates: events.length - count,
        projected: i === 0 ? projected : 0,
      };
    });
  };

  const commits = groupCommit<Pending, IngestResult>({
    async write(group) {
      try {
        // Writes go ahead of queued dashboard reads: chDB runs one statement at a time, and a
        // group must wait for at most the one read already running, not for a queue of them.
        return await warehouse.priority(() => writeGroup(group));
      } catch (error) {
        throw error instanceof WarehouseError &&
          (error.kind === 'unavailable' || error.kind === 'locked')
          ? new IngestUnavailableError('warehouse', 'the warehouse is unavailable', {
              cause: error,
            })
          : error;
      }
    },
    // One screen per group (it runs over the group's events in arrival order), within the bound.
    joins: (group, next) =>
      next.screen === group[0]?.screen &&
      group.reduce((n, p) => n + p.events.length, 0) + next.events.length <= maxGroupEvents,
  });

  return {
    ingest: (events, screen) => commits.submit({ events, screen }),
    ready: async () => ({ name: 'warehouse', up: await warehouse.ping() }),
    drain: () => commits.drain(),
    close: () => commits.drain(),
  };
}

/**
 * Splits refusals over the concatenation of batches of the given sizes back into each batch's
 * own, with indexes into that batch.
 */
export function splitRefusals(sizes: readonly number[], refusals: readonly Refusal[]): Refusal[][] {
  const out: Refusal[][] = sizes.map(() => []);
  const starts: number[] = [];
  let offset = 0;
  for (const size of sizes) {
    starts.push(offset);
    offset += size;
  }
  for (const refusal of refusals) {
    let batch = starts.length - 1;
    while (batch > 0 && (starts[batch] ?? 0) > refusal.index) batch--;
    if (refusal.index < 0 || refusal.index >= offset) {
      throw new Error(`refusal index ${refusal.index} is outside the group of ${offset} events`);
    }
    out[batch]?.push({ ...refusal, index: refusal.index - (starts[batch] ?? 0) });
  }
  return out;
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
