import type { RecordedEvent } from '@ipt/events';

/**
 * Episode ownership, applied before folding (README, "Access and governance": "an episode belongs to the clinic
 * of its first event; no source can add to, move or retract another clinic's episode"). The
 * ingest refuses such events where it can see the warehouse; this is the defence behind it, for
 * the scaled mode (an ingest without a warehouse, a log written by other producers) and for two
 * batches racing each other.
 *
 * The owner is the clinic of the first event recorded (earliest `recordedAt`, which the ingest
 * stamps, then the id's text), never the earliest `occurredOn`, which a source chooses. The
 * choice depends only on the episode's stored events, so a replay decides as the incremental
 * projection did.
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

type Ownable = Pick<RecordedEvent, 'id' | 'clinicId' | 'recordedAt' | 'type' | 'payload'>;

const recordedKey = (event: Ownable): [number, string] => [
  Date.parse(event.recordedAt),
  event.id.toLowerCase(),
];

function isEarlier(a: Ownable, b: Ownable): boolean {
  const [at, aid] = recordedKey(a);
  const [bt, bid] = recordedKey(b);
  return at < bt || (at === bt && aid < bid);
}

/** The clinic of the first recorded event, or null for no events. */
export function ownerOf(events: readonly Ownable[]): string | null {
  let first: Ownable | undefined;
  for (const event of events) if (first === undefined || isEarlier(event, first)) first = event;
  return first?.clinicId ?? null;
}

/**
 * Splits one episode's events into the owner clinic's and the rest. A retraction of the owner's
 * clinic that names an event of this episode stored for another clinic is dropped as well.
 */
export function ownedEvents<E extends Ownable>(events: readonly E[]): OwnedEvents<E> {
  const owner = ownerOf(events);
  const clinicOf = new Map(events.map((e) => [e.id.toLowerCase(), e.clinicId]));
  const kept: E[] = [];
  const dropped: OwnedEvents<E>['dropped'] = [];
  for (const event of events) {
    if (event.clinicId !== owner) {
      dropped.push({ event, reason: FOREIGN_EPISODE_REASON });
      continue;
    }
    if (event.type === 'event.retracted') {
      const target = (event.payload as { eventId?: unknown }).eventId;
      const targetClinic =
        typeof target === 'string' ? clinicOf.get(target.toLowerCase()) : undefined;
      if (targetClinic !== undefined && targetClinic !== event.clinicId) {
        dropped.push({ event, reason: FOREIGN_RETRACTION_REASON });
        continue;
      }
    }
    kept.push(event);
  }
  return { kept, dropped };
}
