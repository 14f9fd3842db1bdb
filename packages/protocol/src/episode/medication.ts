import type { MedicationClass, MedicationGroup, MedicationTiming } from '../vocabulary.js';
import type { MedicationChangedEvent } from './events.js';
import { sortBy } from './order.js';

export interface EpisodeMedication {
  group: MedicationGroup;
  /** Null for `ipt_only`. */
  timing: MedicationTiming | null;
  classes: MedicationClass[];
  /** For `started_during`: the session of the first start, when the exposure began. */
  startedAtSession: number | null;
}

/**
 * IPT alone against IPT with medication (docs/outcomes.md, "Medication"). Medication recorded for
 * the episode makes it `ipt_with_medication` when it was ongoing at intake or started at or
 * before the last attended session: a medication started after an ended episode's last session,
 * and every record from that start on, is after the treatment and does not make it combined
 * treatment. It is `continuing` when it was active at intake: stated (`ongoing_at_intake`), or
 * implied by a first record that changes or stops a medication nobody recorded starting.
 * Otherwise it was `started_during` the episode.
 */
export function episodeMedication(
  events: readonly MedicationChangedEvent[],
  /** The last attended session of an ended episode (0 without one); null while it is open. */
  endedAfterSession: number | null,
): EpisodeMedication {
  const all = sortBy(events, (e) => [e.payload.sessionNumber, e.occurredOn, e.id]);
  const startAfterEnd =
    endedAfterSession === null
      ? -1
      : all.findIndex(
          (e) => e.payload.action === 'started' && e.payload.sessionNumber > endedAfterSession,
        );
  const ordered = startAfterEnd === -1 ? all : all.slice(0, startAfterEnd);
  if (ordered.length === 0) {
    return { group: 'ipt_only', timing: null, classes: [], startedAtSession: null };
  }
  const first = ordered[0];
  const continuing =
    ordered.some((e) => e.payload.action === 'ongoing_at_intake') ||
    (first !== undefined && first.payload.action !== 'started');
  const classes = [...new Set(ordered.map((e) => e.payload.medicationClass))].sort();
  return {
    group: 'ipt_with_medication',
    timing: continuing ? 'continuing' : 'started_during',
    classes,
    startedAtSession: continuing ? null : (first?.payload.sessionNumber ?? null),
  };
}
