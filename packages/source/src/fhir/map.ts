/**
 * FHIR R4 to v1 events, at the clinic: local ids become keyed pseudonyms and every date moves by
 * the client's shift before an event exists. Event ids are keyed on the FHIR record, so mapping
 * and sending the same export twice stores every event once, and a record later marked
 * `entered-in-error` is retracted by the id it was sent under.
 *
 *   EpisodeOfCare          episode.started (period.start), episode.ended (finished, cancelled)
 *   Encounter (finished)   session.attended; (cancelled, with a missed reason) session.missed
 *   QuestionnaireResponse  phq9.recorded (LOINC 44249-1): intake, at a session, or follow-up
 *   MedicationStatement    medication.changed (ATC class): ongoing at intake, started, stopped
 *
 * What cannot be mapped is reported with the resource and the reason, and sends nothing.
 * Each resource type is one step (map-*.ts) over one MappingRun, in this order: sessions need
 * their episodes, scores and medication changes their sessions.
 */
import type { CatalogEvent } from '@ipt/events';
import { validateEvent } from '@ipt/events';
import type { FhirEntry } from './input.js';
import { mapEncounters } from './map-encounters.js';
import { mapEpisodes } from './map-episodes.js';
import { mapMedication } from './map-medication.js';
import { mapScores } from './map-scores.js';
import { type FhirMappingOptions, type FhirProblem, MappingRun } from './mapping-run.js';

export type { FhirMappingOptions, FhirProblem } from './mapping-run.js';

export interface FhirMapping {
  readonly events: CatalogEvent[];
  readonly problems: FhirProblem[];
}

export function mapFhir(input: readonly FhirEntry[], options: FhirMappingOptions): FhirMapping {
  const run = new MappingRun(input, options);
  mapEpisodes(run);
  mapEncounters(run);
  mapScores(run);
  mapMedication(run);
  // Every event checked against the contract before it can be sent.
  const events: CatalogEvent[] = [];
  for (const { key, draft } of run.drafts) {
    const result = validateEvent(draft);
    if (result.ok) events.push(result.event);
    else {
      const first = result.errors[0];
      run.report(
        key,
        `the ${String(draft.type)} event it maps to is refused: ${first?.path} ${first?.message}`,
      );
    }
  }
  return { events, problems: run.problems };
}
