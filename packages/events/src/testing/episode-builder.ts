import { randomUUID } from 'node:crypto';
import type { CatalogEvent } from '../catalog.js';
import { createPseudonymizer } from '../client/pseudonym.js';

/**
 * A factory of one client's episode at one clinic, with pseudonyms made as the source client
 * makes them, for tests that need hand-built histories (hostile sources, ownership, late
 * events). `episodeBuilder(secret)(clinic, localId)` gives builders for each event type.
 * Synthetic data only.
 */
export interface EpisodeTraits {
  ageBand?: string;
  condition?: string;
  modality?: 'in_person' | 'online' | 'mixed';
  sex?: string;
}

/** Nine item scores (0-3) summing to `total` (0-27), spread as evenly as the items allow. */
export function phq9Items(total: number): number[] {
  return Array.from({ length: 9 }, (_, i) => (i < total % 9 ? 1 : 0) + Math.floor(total / 9));
}

export function episodeBuilder(secret: string) {
  const pseudonyms = createPseudonymizer(secret);
  return (clinicId: string, local: string, traits: EpisodeTraits = {}) => {
    const modality = traits.modality ?? 'in_person';
    const envelope = {
      schemaVersion: 1 as const,
      clinicId,
      clientId: pseudonyms.clientId(`client-${local}`),
      episodeId: pseudonyms.episodeId(local),
    };
    const event = (type: string, occurredOn: string, payload: Record<string, unknown>) =>
      ({ ...envelope, id: randomUUID(), type, occurredOn, payload }) as CatalogEvent;
    return {
      id: envelope.episodeId,
      envelope,
      started: (occurredOn: string) =>
        event('episode.started', occurredOn, {
          therapistId: pseudonyms.therapistId(`therapist-${clinicId}`),
          ageBand: traits.ageBand ?? '25-34',
          condition: traits.condition ?? 'major_depression',
          adaptation: 'standard',
          modality,
          plannedSessions: 12,
          ...(traits.sex === undefined ? {} : { sex: traits.sex }),
        }),
      attended: (n: number, occurredOn: string) =>
        event('session.attended', occurredOn, {
          sessionNumber: n,
          phase: n <= 3 ? 'initial' : n <= 10 ? 'middle' : 'termination',
          modality,
        }),
      /** A PHQ-9 at session `n` (0: intake), from its nine items or its total. */
      phq9: (n: number, score: number[] | number, occurredOn: string) =>
        event('phq9.recorded', occurredOn, {
          items: typeof score === 'number' ? phq9Items(score) : score,
          timepoint: n === 0 ? 'intake' : 'session',
          sessionNumber: n,
        }),
      /** An SSRI started at session `n`: the episode is IPT with medication. */
      medicationStarted: (n: number, occurredOn: string) =>
        event('medication.changed', occurredOn, {
          action: 'started',
          medicationClass: 'ssri',
          sessionNumber: n,
        }),
      /** The primary problem area, identified at session `n`. */
      problemArea: (area: string, n: number, occurredOn: string) =>
        event('problem_area.identified', occurredOn, { area, primary: true, sessionNumber: n }),
      ended: (occurredOn: string) =>
        event('episode.ended', occurredOn, { reason: 'completed', relapsePreventionPlan: true }),
      retract: (eventId: string, occurredOn: string) =>
        event('event.retracted', occurredOn, { eventId, reason: 'entered_in_error' }),
    };
  };
}
