/**
 * One valid sample of every v1 event type (synthetic), and a fixed clock for date rules.
 */
import type { CatalogEvent } from '../index.js';

export const FIXED_NOW = () => new Date('2026-06-15T12:00:00Z');

/**
 * The samples' pseudonyms, made by `createPseudonymizer` as a source would (test secret
 * 'ipt-outcomes-samples-not-a-real-clinic-secret', local ids sample-client-1 etc.):
 * the field's prefix and 30 base64url characters of a keyed hash.
 */
export const SAMPLE_CLIENT_ID = 'c_0wwewiFZlPhP6_2BW6w3eSQ95XmrWc';
export const SAMPLE_EPISODE_ID = 'e_BiWL-Zb5QE3njCIeFMNtVeX7XVbnQ_';
export const SAMPLE_THERAPIST_ID = 't_9Gh5MSlphjJsC4k5OxacvB0heOrHTe';

const envelope = {
  schemaVersion: 1 as const,
  clinicId: 'north-clinic-01',
  clientId: SAMPLE_CLIENT_ID,
  episodeId: SAMPLE_EPISODE_ID,
  occurredOn: '2026-03-02',
};

export const SAMPLES: Record<CatalogEvent['type'], CatalogEvent> = {
  'episode.started': {
    ...envelope,
    id: '6f1c2a4e-2b7d-4c1e-9a3f-0d5e8b7c6a01',
    type: 'episode.started',
    payload: {
      therapistId: SAMPLE_THERAPIST_ID,
      ageBand: '35-44',
      sex: 'female',
      condition: 'major_depression',
      adaptation: 'standard',
      modality: 'in_person',
      plannedSessions: 16,
    },
  },
  'problem_area.identified': {
    ...envelope,
    id: '6f1c2a4e-2b7d-4c1e-9a3f-0d5e8b7c6a02',
    type: 'problem_area.identified',
    payload: { area: 'grief', primary: true, sessionNumber: 2 },
  },
  'session.attended': {
    ...envelope,
    id: '6f1c2a4e-2b7d-4c1e-9a3f-0d5e8b7c6a03',
    type: 'session.attended',
    payload: {
      sessionNumber: 1,
      phase: 'initial',
      modality: 'online',
      therapistId: SAMPLE_THERAPIST_ID,
    },
  },
  'session.missed': {
    ...envelope,
    id: '6f1c2a4e-2b7d-4c1e-9a3f-0d5e8b7c6a04',
    type: 'session.missed',
    payload: { sessionNumber: 4, reason: 'no_show' },
  },
  'phq9.recorded': {
    ...envelope,
    id: '6f1c2a4e-2b7d-4c1e-9a3f-0d5e8b7c6a05',
    type: 'phq9.recorded',
    payload: { items: [2, 2, 1, 3, 1, 2, 1, 1, 0], timepoint: 'intake', sessionNumber: 0 },
  },
  'phase.changed': {
    ...envelope,
    id: '6f1c2a4e-2b7d-4c1e-9a3f-0d5e8b7c6a06',
    type: 'phase.changed',
    payload: { to: 'middle', sessionNumber: 4 },
  },
  'medication.changed': {
    ...envelope,
    id: '6f1c2a4e-2b7d-4c1e-9a3f-0d5e8b7c6a07',
    type: 'medication.changed',
    payload: { action: 'ongoing_at_intake', medicationClass: 'ssri', sessionNumber: 0 },
  },
  'episode.ended': {
    ...envelope,
    id: '6f1c2a4e-2b7d-4c1e-9a3f-0d5e8b7c6a08',
    type: 'episode.ended',
    payload: { reason: 'completed', relapsePreventionPlan: true },
  },
  'event.retracted': {
    ...envelope,
    id: '6f1c2a4e-2b7d-4c1e-9a3f-0d5e8b7c6a09',
    type: 'event.retracted',
    payload: { eventId: '6f1c2a4e-2b7d-4c1e-9a3f-0d5e8b7c6a04', reason: 'entered_in_error' },
  },
};

/** A follow-up score: the one payload shape that needs weeksAfterEnd. */
export const FOLLOW_UP: CatalogEvent = {
  ...envelope,
  id: '6f1c2a4e-2b7d-4c1e-9a3f-0d5e8b7c6a10',
  type: 'phq9.recorded',
  occurredOn: '2026-05-25',
  payload: {
    items: [1, 0, 1, 0, 1, 0, 0, 1, 0],
    timepoint: 'follow_up',
    sessionNumber: 16,
    weeksAfterEnd: 8,
  },
};

/** A deep copy with a change applied, for building invalid variants of a sample. */
export function variantOf(
  event: CatalogEvent,
  change: (draft: Record<string, unknown> & { payload: Record<string, unknown> }) => void,
): unknown {
  const draft = structuredClone(event) as unknown as Record<string, unknown> & {
    payload: Record<string, unknown>;
  };
  change(draft);
  return draft;
}
