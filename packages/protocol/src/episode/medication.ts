import type { MedicationClass, MedicationGroup, MedicationTiming } from '../vocabulary.js';
import type { MedicationChangedEvent } from './events.js';
import { sortBy } from './order.js';

export interface EpisodeMedication {
  group: MedicationGroup;
  /** Null for `ipt_only`. */
  timing: MedicationTiming | null;
  classes: MedicationClass[];
}

/**
 * IPT alone against IPT with medication (docs/outcomes.md, "Groupings"). Any psychotropic medication
 * recorded for the episode makes it `ipt_with_medication`. It is `continuing` when it was active
 * at intake: stated (`ongoing_at_intake`), or implied by a first record that changes or stops a
 * medication nobody recorded starting. Otherwise it was `started_during` the episode.
 */
export function episodeMedication(events: readonly MedicationChangedEvent[]): EpisodeMedication {
  if (events.length === 0) return { group: 'ipt_only', timing: null, classes: [] };
  const ordered = sortBy(events, (e) => [e.payload.sessionNumber, e.occurredOn, e.id]);
  const first = ordered[0];
  const continuing =
    ordered.some((e) => e.payload.action === 'ongoing_at_intake') ||
    (first !== undefined && first.payload.action !== 'started');
  const classes = [...new Set(ordered.map((e) => e.payload.medicationClass))].sort();
  return {
    group: 'ipt_with_medication',
    timing: continuing ? 'continuing' : 'started_during',
    classes,
  };
}
