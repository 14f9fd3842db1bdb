import type { RecordedEvent } from '@ipt/events';
import { type EventHome, episodeOwners, eventHomes, type Warehouse } from '@ipt/warehouse';

/**
 * Episode ownership at the door (README, "Access and governance": "an episode belongs to the clinic of its first
 * event; no source can add to, move or retract another clinic's episode"). The owner is the
 * clinic of the episode's first accepted event: the earliest recordedAt stored, ties by id, or,
 * for an episode new to the warehouse, the first event of the batch in batch order. Refused:
 * - an event for an episode another clinic owns (path `episodeId`);
 * - a retraction naming an event stored for another clinic, or for another episode
 *   (path `payload.eventId`). A retraction of an id not stored is accepted: events arrive late.
 * Messages never name the other clinic (that would tell a source which clinic holds an episode),
 * nor an id: they name the rule, and the rejection carries the event's index and id.
 * The projection applies the same ownership rule, for what gets past this screen (a scaled
 * ingest without a warehouse, two batches racing).
 *
 * Cost: one query for the owners of the batch's episodes, and one for the events its
 * retractions name when it has any (each chunked by 5,000 ids; a batch holds at most 1,000).
 */
export interface Refusal {
  /** Index into the events screened. */
  index: number;
  errors: Array<{ path: string; message: string }>;
}

/** Decides, against what is stored, which events of a stamped batch may be written. */
export type Screen = (events: readonly RecordedEvent[]) => Promise<Refusal[]>;

export const FOREIGN_EPISODE_MESSAGE =
  'episode belongs to another clinic; an episode stays with the clinic of its first event';
export const FOREIGN_RETRACTION_MESSAGE =
  'the retracted event belongs to another clinic; a source may retract only events of its own clinic';
export const OTHER_EPISODE_RETRACTION_MESSAGE =
  'the retracted event belongs to another episode; a retraction is sent with the episode of the event it retracts';

export function ownershipScreen(warehouse: Warehouse): Screen {
  // A write's statements go ahead of queued reads (embedded warehouse), also in Kafka mode.
  return (events) => warehouse.priority(() => screenOwnership(warehouse, events));
}

export async function screenOwnership(
  warehouse: Warehouse,
  events: readonly RecordedEvent[],
): Promise<Refusal[]> {
  if (events.length === 0) return [];
  const owners = await episodeOwners(
    warehouse,
    events.map((e) => e.episodeId),
  );
  const targets = events.flatMap((e) => (e.type === 'event.retracted' ? [e.payload.eventId] : []));
  const stored =
    targets.length === 0 ? new Map<string, EventHome>() : await eventHomes(warehouse, targets);
  // Events accepted earlier in this batch, for retractions naming them: the stored copy of an
  // id wins, as the store keeps the first copy.
  const batchHomes = new Map<string, EventHome>();

  const refusals: Refusal[] = [];
  events.forEach((event, index) => {
    const errors: Refusal['errors'] = [];
    const owner = owners.get(event.episodeId);
    if (owner !== undefined && owner !== event.clinicId) {
      errors.push({
        path: 'episodeId',
        message: FOREIGN_EPISODE_MESSAGE,
      });
    }
    if (event.type === 'event.retracted') {
      const target = event.payload.eventId.toLowerCase();
      const home = stored.get(target) ?? batchHomes.get(target);
      if (home !== undefined && home.clinicId !== event.clinicId) {
        errors.push({ path: 'payload.eventId', message: FOREIGN_RETRACTION_MESSAGE });
      } else if (home !== undefined && home.episodeId !== event.episodeId) {
        errors.push({ path: 'payload.eventId', message: OTHER_EPISODE_RETRACTION_MESSAGE });
      }
    }
    if (errors.length > 0) {
      refusals.push({ index, errors });
      return;
    }
    // Accepted: the first accepted event of a new episode makes its clinic the owner.
    if (owner === undefined) owners.set(event.episodeId, event.clinicId);
    const id = event.id.toLowerCase();
    if (!stored.has(id) && !batchHomes.has(id)) {
      batchHomes.set(id, { clinicId: event.clinicId, episodeId: event.episodeId });
    }
  });
  return refusals;
}
