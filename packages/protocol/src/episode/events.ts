import type {
  Adaptation,
  AgeBand,
  Condition,
  EndReason,
  MedicationAction,
  MedicationClass,
  MissedReason,
  Modality,
  Phase,
  Phq9Timepoint,
  ProblemArea,
  RetractionReason,
  Sex,
} from '../vocabulary.js';

/**
 * The shape of the events an episode is folded from, as the domain reads them.
 *
 * The public contract (and its validation) lives in `@ipt/events`, which depends on this package;
 * a type test there proves every catalog event is assignable to `EpisodeEvent`, so the two cannot
 * drift. Only the fields the fold reads are named here; extra fields are allowed.
 */
interface Envelope<T extends string, P> {
  readonly id: string;
  readonly type: T;
  readonly schemaVersion: number;
  readonly clinicId: string;
  readonly clientId: string;
  readonly episodeId: string;
  /** `YYYY-MM-DD`, day precision. */
  readonly occurredOn: string;
  /** Set by the ingest (ISO timestamp, UTC); absent on events not yet ingested. */
  readonly recordedAt?: string | undefined;
  readonly payload: P;
}

export type EpisodeStartedEvent = Envelope<
  'episode.started',
  {
    readonly therapistId: string;
    readonly ageBand: AgeBand;
    readonly sex?: Sex | undefined;
    readonly condition: Condition;
    readonly adaptation: Adaptation;
    readonly modality: Modality;
    readonly plannedSessions: number;
  }
>;
export type ProblemAreaIdentifiedEvent = Envelope<
  'problem_area.identified',
  { readonly area: ProblemArea; readonly primary: boolean; readonly sessionNumber: number }
>;
export type SessionAttendedEvent = Envelope<
  'session.attended',
  {
    readonly sessionNumber: number;
    readonly phase: Phase;
    readonly modality: Modality;
    readonly therapistId?: string | undefined;
  }
>;
export type SessionMissedEvent = Envelope<
  'session.missed',
  { readonly sessionNumber: number; readonly reason: MissedReason }
>;
export type Phq9RecordedEvent = Envelope<
  'phq9.recorded',
  {
    readonly items: readonly number[];
    readonly timepoint: Phq9Timepoint;
    readonly sessionNumber: number;
    readonly weeksAfterEnd?: number | undefined;
  }
>;
export type PhaseChangedEvent = Envelope<
  'phase.changed',
  { readonly to: Phase; readonly sessionNumber: number }
>;
export type MedicationChangedEvent = Envelope<
  'medication.changed',
  {
    readonly action: MedicationAction;
    readonly medicationClass: MedicationClass;
    readonly sessionNumber: number;
  }
>;
export type EpisodeEndedEvent = Envelope<
  'episode.ended',
  { readonly reason: EndReason; readonly relapsePreventionPlan: boolean }
>;
export type EventRetractedEvent = Envelope<
  'event.retracted',
  { readonly eventId: string; readonly reason: RetractionReason }
>;

export type EpisodeEvent =
  | EpisodeStartedEvent
  | ProblemAreaIdentifiedEvent
  | SessionAttendedEvent
  | SessionMissedEvent
  | Phq9RecordedEvent
  | PhaseChangedEvent
  | MedicationChangedEvent
  | EpisodeEndedEvent
  | EventRetractedEvent;

export type EpisodeEventType = EpisodeEvent['type'];

export const EPISODE_EVENT_TYPES = [
  'episode.started',
  'problem_area.identified',
  'session.attended',
  'session.missed',
  'phq9.recorded',
  'phase.changed',
  'medication.changed',
  'episode.ended',
  'event.retracted',
] as const satisfies readonly EpisodeEventType[];
