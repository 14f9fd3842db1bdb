import { ATC, medicationClassOf } from './codes.js';
import { dayOf } from './dates.js';
import type { MappingRun } from './mapping-run.js';
import type { MedicationStatement } from './resources.js';

/**
 * Medication: medication.changed by ATC class, a statement being its whole course: ongoing at
 * intake or started, and stopped once it has a stop.
 */
export function mapMedication(run: MappingRun): void {
  for (const statement of run.all<MedicationStatement>('MedicationStatement')) {
    const key = `MedicationStatement/${statement.id}`;
    const contextKey = run.resolve(statement.context?.reference, 'Encounter');
    const episode =
      (contextKey === undefined ? undefined : run.sessions.get(contextKey)?.episode) ??
      run.episodeOf(statement.context?.reference, statement.subject.reference);
    if (episode === undefined) {
      run.report(
        key,
        'context must reference the EpisodeOfCare or a session Encounter of the episode',
      );
      continue;
    }
    const session = contextKey === undefined ? undefined : run.sessions.get(contextKey);
    if (session === undefined && episode.resource === undefined) {
      run.report(
        key,
        'the session of the change is unknown: give context as a session Encounter, or the EpisodeOfCare with its encounters in the input',
      );
      continue;
    }
    const atc = statement.medicationCodeableConcept?.coding?.find((c) => c.system === ATC)?.code;
    if (atc === undefined) {
      run.report(key, `medicationCodeableConcept needs an ATC coding (${ATC}) to name the class`);
      continue;
    }
    const stopped = statement.status === 'stopped' || statement.status === 'completed';
    if (statement.status !== 'active' && !stopped) {
      run.report(key, `status ${statement.status}: only active, stopped or completed are sent`);
      continue;
    }
    // A statement is its whole course: the start (ongoing at intake when it began before the
    // episode), and the stop once it has one. Each is keyed by its action, so the stop of a
    // statement sent before as active joins the start sent then, under the same id as then.
    const startDay = dayOf(
      statement.effectivePeriod?.start ?? (stopped ? undefined : statement.effectiveDateTime),
    );
    const stopDay = stopped
      ? dayOf(
          statement.effectivePeriod?.end ?? statement.effectiveDateTime ?? statement.dateAsserted,
        )
      : undefined;
    if (startDay === undefined && stopDay === undefined) {
      run.report(key, 'effectiveDateTime or effectivePeriod (full dates) is required');
      continue;
    }
    const sessionOn = (day: string) =>
      session?.day === day
        ? session.sessionNumber
        : run.sessionsOf(episode).filter((s) => s.day <= day).length;
    const change = (action: string, day: string, sessionNumber: number) =>
      run.emit(`${key}/${action}`, 'medication.changed', episode, day, {
        action,
        medicationClass: medicationClassOf(atc),
        sessionNumber,
      });
    if (startDay !== undefined) {
      if (episode.start !== undefined && startDay < episode.start) {
        change('ongoing_at_intake', episode.start, 0);
      } else {
        change('started', startDay, sessionOn(startDay));
      }
    }
    if (stopDay !== undefined) change('stopped', stopDay, sessionOn(stopDay));
  }
}
