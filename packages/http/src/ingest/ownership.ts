import type { RecordedEvent } from '@ipt/events';
import { decideAll, type EventHome, type OwnershipViolation } from '@ipt/protocol';
import { episodeOwners, eventHomes, type Warehouse } from '@ipt/warehouse';

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
 * The rule is `decideOwnership` (@ipt/protocol), which the projection applies too, for what
 * gets past this screen (a scaled ingest without a warehouse, two batches racing).
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
  const homes =
    targets.length === 0 ? new Map<string, EventHome>() : await eventHomes(warehouse, targets);
  // The batch is decided in order against what is stored: an event accepted earlier in it owns
  // its new episode and can be retracted by a later one (the stored copy of an id wins).
  const decisions = decideAll(
    { owners, homes },
    events.map((event) => ({
      id: event.id,
      episodeId: event.episodeId,
      clinicId: event.clinicId,
      retracts: event.type === 'event.retracted' ? event.payload.eventId : undefined,
    })),
  );
  return decisions.flatMap((violations, index) =>
    violations.length === 0
      ? []
      : [{ index, errors: violations.map((violation) => REFUSALS[violation]) }],
  );
}

const REFUSALS: Record<OwnershipViolation, { path: string; message: string }> = {
  foreignEpisode: { path: 'episodeId', message: FOREIGN_EPISODE_MESSAGE },
  foreignRetraction: { path: 'payload.eventId', message: FOREIGN_RETRACTION_MESSAGE },
  otherEpisodeRetraction: { path: 'payload.eventId', message: OTHER_EPISODE_RETRACTION_MESSAGE },
};
