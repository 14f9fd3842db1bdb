/**
 * Builders for one episode's events, with partial overrides, so a test states only what it is
 * about. Ids are deterministic UUIDs; all data is synthetic.
 */
import type {
  EpisodeEvent,
  EpisodeStartedEvent,
  MedicationChangedEvent,
  Phq9RecordedEvent,
} from '../src/index.js';

export interface EpisodeFactory {
  started(payload?: Partial<EpisodeStartedEvent['payload']>, on?: string): EpisodeEvent;
  attended(
    sessionNumber: number,
    on: string,
    phase?: 'initial' | 'middle' | 'termination' | 'maintenance',
  ): EpisodeEvent;
  missed(sessionNumber: number, on: string): EpisodeEvent;
  phq9(
    total: number,
    sessionNumber: number,
    on: string,
    timepoint?: Phq9RecordedEvent['payload']['timepoint'],
    extra?: { weeksAfterEnd?: number; item9?: number },
  ): EpisodeEvent;
  problemArea(
    area: 'grief' | 'role_transition' | 'role_dispute' | 'interpersonal_deficits',
    sessionNumber: number,
    on: string,
    primary?: boolean,
  ): EpisodeEvent;
  phase(
    to: 'initial' | 'middle' | 'termination' | 'maintenance',
    sessionNumber: number,
    on: string,
  ): EpisodeEvent;
  medication(
    action: MedicationChangedEvent['payload']['action'],
    sessionNumber: number,
    on: string,
    medicationClass?: MedicationChangedEvent['payload']['medicationClass'],
  ): EpisodeEvent;
  ended(
    reason?: 'completed' | 'dropped_out' | 'referred_on' | 'moved_to_maintenance' | 'other',
    on?: string,
  ): EpisodeEvent;
  retract(eventId: string, on: string): EpisodeEvent;
}

let sequence = 0;
/** A valid, deterministic UUID v4-shaped id. */
export function nextId(): string {
  sequence += 1;
  return `00000000-0000-4000-8000-${sequence.toString(16).padStart(12, '0')}`;
}

/** Nine items summing to `total`; item 9 stays 0 unless set or the total needs it (> 24). */
export function itemsFor(total: number, item9 = Math.max(0, total - 24)): number[] {
  const items = Array.from({ length: 9 }, () => 0);
  items[8] = item9;
  let left = total - item9;
  for (let i = 0; i < 8 && left > 0; i++) {
    const take = Math.min(3, left);
    items[i] = take;
    left -= take;
  }
  if (left !== 0) throw new Error(`cannot build a PHQ-9 total of ${total}`);
  return items;
}

export function episodeFactory(
  envelope: { episodeId?: string; clientId?: string; clinicId?: string } = {},
): EpisodeFactory {
  const base = {
    schemaVersion: 1,
    clinicId: envelope.clinicId ?? 'clinic-test',
    clientId: envelope.clientId ?? 'cl_test_client_01',
    episodeId: envelope.episodeId ?? 'ep_test_episode_01',
  };
  return {
    started: (payload = {}, on = '2025-01-06') => ({
      ...base,
      id: nextId(),
      type: 'episode.started',
      occurredOn: on,
      payload: {
        therapistId: 'th_test_therapist',
        ageBand: '25-34',
        sex: 'female',
        condition: 'major_depression',
        adaptation: 'standard',
        modality: 'in_person',
        plannedSessions: 16,
        ...payload,
      },
    }),
    attended: (sessionNumber, on, phase = 'middle') => ({
      ...base,
      id: nextId(),
      type: 'session.attended',
      occurredOn: on,
      payload: { sessionNumber, phase, modality: 'in_person' },
    }),
    missed: (sessionNumber, on) => ({
      ...base,
      id: nextId(),
      type: 'session.missed',
      occurredOn: on,
      payload: { sessionNumber, reason: 'no_show' },
    }),
    phq9: (total, sessionNumber, on, timepoint = 'session', extra = {}) => ({
      ...base,
      id: nextId(),
      type: 'phq9.recorded',
      occurredOn: on,
      payload: {
        items: itemsFor(total, extra.item9),
        timepoint,
        sessionNumber,
        ...(extra.weeksAfterEnd === undefined ? {} : { weeksAfterEnd: extra.weeksAfterEnd }),
      },
    }),
    problemArea: (area, sessionNumber, on, primary = true) => ({
      ...base,
      id: nextId(),
      type: 'problem_area.identified',
      occurredOn: on,
      payload: { area, primary, sessionNumber },
    }),
    phase: (to, sessionNumber, on) => ({
      ...base,
      id: nextId(),
      type: 'phase.changed',
      occurredOn: on,
      payload: { to, sessionNumber },
    }),
    medication: (action, sessionNumber, on, medicationClass = 'ssri') => ({
      ...base,
      id: nextId(),
      type: 'medication.changed',
      occurredOn: on,
      payload: { action, medicationClass, sessionNumber },
    }),
    ended: (reason = 'completed', on = '2025-04-28') => ({
      ...base,
      id: nextId(),
      type: 'episode.ended',
      occurredOn: on,
      payload: { reason, relapsePreventionPlan: true },
    }),
    retract: (eventId, on) => ({
      ...base,
      id: nextId(),
      type: 'event.retracted',
      occurredOn: on,
      payload: { eventId, reason: 'entered_in_error' },
    }),
  };
}

/** Adds `days` to a `YYYY-MM-DD` date, in UTC. */
export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * A complete standard course: intake PHQ-9, `sessions` weekly sessions with a PHQ-9 at each,
 * scores falling linearly from `baseline` to `endpoint`, then an ended event.
 */
export function standardCourse(
  f: EpisodeFactory,
  options: { sessions?: number; baseline?: number; endpoint?: number; start?: string } = {},
): EpisodeEvent[] {
  const sessions = options.sessions ?? 14;
  const baseline = options.baseline ?? 18;
  const endpoint = options.endpoint ?? 6;
  const start = options.start ?? '2025-01-06';
  const events: EpisodeEvent[] = [f.started({}, start), f.phq9(baseline, 0, start, 'intake')];
  for (let s = 1; s <= sessions; s++) {
    const on = addDays(start, 7 * s);
    const phase = s <= 3 ? 'initial' : s > sessions - 3 ? 'termination' : 'middle';
    events.push(f.attended(s, on, phase));
    const total = Math.round(baseline + ((endpoint - baseline) * s) / sessions);
    events.push(f.phq9(total, s, on, s === sessions ? 'end' : 'session'));
    if (s === 2) events.push(f.problemArea('role_transition', 2, on));
  }
  events.push(f.ended('completed', addDays(start, 7 * sessions)));
  return events;
}
