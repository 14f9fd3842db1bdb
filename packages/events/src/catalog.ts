import { z } from 'zod';
import {
  episodeEndedPayload,
  episodeStartedPayload,
  eventRetractedPayload,
  medicationChangedPayload,
  phaseChangedPayload,
  phq9RecordedPayload,
  problemAreaIdentifiedPayload,
  sessionAttendedPayload,
  sessionMissedPayload,
} from './payloads.js';
import { clientPseudonym, clinicCode, episodePseudonym, eventId, isoDay } from './primitives.js';

/** The only schema version this catalog defines. A new version comes with an upcaster. */
export const SCHEMA_VERSION = 1;

export interface CatalogOptions {
  /** The clock the date rules compare against; the system clock by default. */
  now?: () => Date;
}

/**
 * Builds the v1 catalog: the envelope plus a discriminated union on `type` of strict per-type
 * schemas. The clock is a parameter so tests and replays can pin "today".
 */
export function createCatalog(options: CatalogOptions = {}) {
  const now = options.now ?? (() => new Date());
  const envelope = {
    id: eventId,
    schemaVersion: z.literal(SCHEMA_VERSION, {
      error: `must be ${SCHEMA_VERSION}: this catalog defines schema version ${SCHEMA_VERSION} only`,
    }),
    clinicId: clinicCode,
    clientId: clientPseudonym,
    episodeId: episodePseudonym,
    occurredOn: isoDay(now),
  };
  const variant = <T extends string, P extends z.ZodType>(type: T, payload: P) =>
    z.strictObject({ ...envelope, type: z.literal(type), payload }).meta({ title: type });

  const event = z.discriminatedUnion(
    'type',
    [
      variant('episode.started', episodeStartedPayload),
      variant('problem_area.identified', problemAreaIdentifiedPayload),
      variant('session.attended', sessionAttendedPayload),
      variant('session.missed', sessionMissedPayload),
      variant('phq9.recorded', phq9RecordedPayload),
      variant('phase.changed', phaseChangedPayload),
      variant('medication.changed', medicationChangedPayload),
      variant('episode.ended', episodeEndedPayload),
      variant('event.retracted', eventRetractedPayload),
    ],
    { error: 'unknown event type' },
  );
  return { event };
}

export const catalog = createCatalog();
export const eventSchema = catalog.event;

/** A valid v1 event, as a source sends it. */
export type CatalogEvent = z.infer<typeof eventSchema>;
export type CatalogEventOf<T extends CatalogEvent['type']> = Extract<CatalogEvent, { type: T }>;

/** An event as the platform stores it: stamped by the ingest, never by the source. */
export type RecordedEvent = CatalogEvent & {
  /** UTC timestamp with milliseconds, set at acceptance. */
  recordedAt: string;
  /** The source id of the API key that sent it. */
  sourceId: string;
};
