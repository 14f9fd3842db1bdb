import type { RecordedEvent } from '@ipt/events';
import {
  decideOwnership,
  type OwnershipViolation,
  type RecordedOwnershipEvent,
  storedOwnership,
} from '@ipt/protocol';

/**
 * Episode ownership, applied before folding (README, "Access and governance": "an episode belongs to the clinic
 * of its first event; no source can add to, move or retract another clinic's episode"). The
 * ingest refuses such events where it can see the warehouse; this is the defence behind it, for
 * the scaled mode (an ingest without a warehouse, a log written by other producers) and for two
 * batches racing each other.
 *
 * The rule is `decideOwnership` (@ipt/protocol), the screen's too; here it is applied to one
 * episode's stored events, whose owner is the clinic of the first recorded (`storedOwnership`).
 */
export const FOREIGN_EPISODE_REASON =
  'event for an episode of another clinic: an episode stays with the clinic of its first event (earliest recordedAt, then id)';
export const FOREIGN_RETRACTION_REASON =
  "retraction of another clinic's event: a source may retract only events of its own clinic";

export interface OwnedEvents<E> {
  /** The owner's events, in the order given. */
  kept: E[];
  /** Events the fold must not see, each with the rule it breaks. */
  dropped: Array<{ event: E; reason: string }>;
}

type Ownable = Pick<
  RecordedEvent,
  'id' | 'episodeId' | 'clinicId' | 'recordedAt' | 'type' | 'payload'
>;

/** The event as the ownership decider reads it: a retraction names the event it retracts. */
function asOwnershipEvent(event: Ownable): RecordedOwnershipEvent {
  const target = (event.payload as { eventId?: unknown }).eventId;
  return {
    id: event.id,
    episodeId: event.episodeId,
    clinicId: event.clinicId,
    recordedAt: event.recordedAt,
    retracts: event.type === 'event.retracted' && typeof target === 'string' ? target : undefined,
  };
}

/** The clinic of the first recorded event, or null for no events. */
export function ownerOf(events: readonly Ownable[]): string | null {
  const [first] = events;
  if (first === undefined) return null;
  return storedOwnership(events.map(asOwnershipEvent)).owners.get(first.episodeId) ?? null;
}

const REASONS: Record<OwnershipViolation, string> = {
  foreignEpisode: FOREIGN_EPISODE_REASON,
  foreignRetraction: FOREIGN_RETRACTION_REASON,
  // Not reached over one episode's events: every home known here is of this episode.
  otherEpisodeRetraction: FOREIGN_RETRACTION_REASON,
};

/**
 * Splits one episode's events into the owner clinic's and the rest, by the one ownership
 * decider, against the episode as stored (`storedOwnership`): a retraction of the owner's
 * clinic that names an event of this episode stored for another clinic is dropped as well.
 */
export function ownedEvents<E extends Ownable>(events: readonly E[]): OwnedEvents<E> {
  const state = storedOwnership(events.map(asOwnershipEvent));
  const kept: E[] = [];
  const dropped: OwnedEvents<E>['dropped'] = [];
  for (const event of events) {
    const [violation] = decideOwnership(state, asOwnershipEvent(event));
    if (violation === undefined) kept.push(event);
    else dropped.push({ event, reason: REASONS[violation] });
  }
  return { kept, dropped };
}
