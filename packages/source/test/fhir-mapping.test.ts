// FHIR R4 to v1 events: a synthetic episode exported as a Bundle maps to exactly the events a
// clinic would hand-write, pseudonymised and date-shifted at the source; a later full re-export
// with corrections maps to the same ids for what did not change, retractions for what was
// marked entered-in-error or amended, and clear problems for what cannot be mapped.
import { validateEvent } from '@ipt/events';
import { createPseudonymizer } from '@ipt/events/client';
import { describe, expect, it } from 'vitest';
import { FHIR_EXTENSIONS } from '../src/fhir/codes.js';
import { FhirInputError, parseFhirInput } from '../src/fhir/input.js';
import { mapFhir } from '../src/fhir/map.js';
import { fixture, SECRET } from './fixtures.js';

const pseudo = createPseudonymizer(SECRET);
const options = { clinicId: 'north-01', pseudonymizer: pseudo };
const shift = (day: string) => pseudo.shiftDate('p-1001', day);
const envelope = {
  schemaVersion: 1,
  clinicId: 'north-01',
  clientId: pseudo.clientId('p-1001'),
  episodeId: pseudo.episodeId('eoc-501'),
};
const idOf = (key: string, type: string) => pseudo.eventId(`${key}/${type}`);

describe('mapFhir: one episode as a Bundle', () => {
  const { events, problems } = mapFhir(parseFhirInput(fixture('episode-bundle.json')), options);
  const ofType = (type: string) => events.filter((e) => e.type === type);

  it('maps every resource, with no problem', () => {
    expect(problems).toEqual([]);
    expect(events.map((e) => e.type).sort()).toEqual(
      [
        'episode.started',
        'episode.ended',
        'session.attended',
        'session.attended',
        'session.attended',
        'session.attended',
        'phq9.recorded',
        'phq9.recorded',
        'phq9.recorded',
        'phq9.recorded',
        'medication.changed',
      ].sort(),
    );
    for (const event of events) expect(validateEvent(event).ok).toBe(true);
  });

  it('starts the episode with the age band, sex, ICD-10 condition, therapist and programme', () => {
    expect(ofType('episode.started')).toEqual([
      {
        ...envelope,
        id: idOf('EpisodeOfCare/eoc-501', 'episode.started'),
        type: 'episode.started',
        occurredOn: shift('2026-03-02'),
        payload: {
          therapistId: pseudo.therapistId('staff-77'),
          ageBand: '35-44', // born 1990-07-14: 35 on 2026-03-02
          sex: 'female',
          condition: 'major_depression', // F32.1
          adaptation: 'standard',
          modality: 'in_person',
          plannedSessions: 12,
        },
      },
    ]);
    expect(ofType('episode.ended')).toEqual([
      {
        ...envelope,
        id: idOf('EpisodeOfCare/eoc-501', 'episode.ended'),
        type: 'episode.ended',
        occurredOn: shift('2026-04-20'),
        payload: { reason: 'completed', relapsePreventionPlan: true },
      },
    ]);
  });

  it('numbers the finished encounters in date order, with phase, class and therapist', () => {
    const sessions = ofType('session.attended').map((e) => ({ on: e.occurredOn, ...e.payload }));
    const therapistId = pseudo.therapistId('staff-77');
    expect(sessions.sort((a, b) => a.on.localeCompare(b.on))).toEqual([
      {
        on: shift('2026-03-09'),
        sessionNumber: 1,
        phase: 'initial',
        modality: 'in_person',
        therapistId,
      },
      {
        on: shift('2026-03-16'),
        sessionNumber: 2,
        phase: 'initial',
        modality: 'online',
        therapistId,
      },
      {
        on: shift('2026-03-23'),
        sessionNumber: 3,
        phase: 'middle',
        modality: 'in_person',
        therapistId,
      },
      {
        on: shift('2026-04-20'),
        sessionNumber: 4,
        phase: 'termination',
        modality: 'in_person',
        therapistId,
      },
    ]);
  });

  it('reads PHQ-9 answers as LOINC codes or integers and places each score', () => {
    const scores = ofType('phq9.recorded').map((e) => ({
      id: e.id,
      on: e.occurredOn,
      ...e.payload,
    }));
    expect(scores.sort((a, b) => a.on.localeCompare(b.on))).toEqual([
      {
        id: idOf('QuestionnaireResponse/qr-intake', 'phq9.recorded'),
        on: shift('2026-03-02'),
        items: [2, 3, 2, 2, 1, 2, 1, 1, 0],
        timepoint: 'intake',
        sessionNumber: 0,
      },
      {
        id: idOf('QuestionnaireResponse/qr-s2', 'phq9.recorded'),
        on: shift('2026-03-16'),
        items: [2, 2, 2, 1, 1, 1, 1, 1, 0],
        timepoint: 'session',
        sessionNumber: 2,
      },
      {
        id: idOf('QuestionnaireResponse/qr-s4', 'phq9.recorded'),
        on: shift('2026-04-20'),
        items: [1, 1, 0, 1, 0, 1, 0, 0, 0],
        timepoint: 'session',
        sessionNumber: 4,
      },
      {
        id: idOf('QuestionnaireResponse/qr-follow', 'phq9.recorded'),
        on: shift('2026-07-13'),
        items: [1, 0, 1, 1, 0, 0, 0, 0, 0],
        timepoint: 'follow_up',
        sessionNumber: 4,
        weeksAfterEnd: 12, // 84 days after 2026-04-20
      },
    ]);
  });

  it('an antidepressant begun before the episode is ongoing at intake, classed by ATC', () => {
    expect(ofType('medication.changed').map((e) => ({ on: e.occurredOn, ...e.payload }))).toEqual([
      {
        on: shift('2026-03-02'),
        action: 'ongoing_at_intake',
        medicationClass: 'ssri',
        sessionNumber: 0,
      },
    ]);
  });

  it('sends nothing that identifies: no local id, no unshifted date, no birth date', () => {
    const sent = JSON.stringify(events);
    for (const local of [
      'p-1001',
      'eoc-501',
      'staff-77',
      'enc-1',
      'qr-',
      'med-1',
      'dx-1',
      '1990',
    ]) {
      expect(sent).not.toContain(local);
    }
    for (const day of ['2026-03-02', '2026-03-09', '2026-04-20', '2026-07-13']) {
      expect(sent).not.toContain(day);
    }
    expect(pseudo.dateOffsetDays('p-1001')).toBeLessThan(0);
  });

  it('is deterministic: the same export maps to the same events', () => {
    const again = mapFhir(parseFhirInput(fixture('episode-bundle.json')), options);
    expect(again.events).toEqual(events);
  });
});

describe('mapFhir: a later full re-export with corrections (NDJSON)', () => {
  const first = mapFhir(parseFhirInput(fixture('episode-bundle.json')), options).events;
  const { events, problems } = mapFhir(parseFhirInput(fixture('later-export.ndjson')), options);
  const firstIds = new Set(first.map((e) => e.id));

  it('keeps the ids of what did not change, so the ingest stores them once', () => {
    const unchanged = first.filter(
      (e) =>
        !['QuestionnaireResponse/qr-s2', 'QuestionnaireResponse/qr-s4'].some(
          (k) => e.id === idOf(k, 'phq9.recorded'),
        ),
    );
    const laterIds = new Set(events.map((e) => e.id));
    for (const event of unchanged) expect(laterIds.has(event.id)).toBe(true);
  });

  it('retracts a score marked entered-in-error, and replaces an amended one', () => {
    const retractions = events.filter((e) => e.type === 'event.retracted');
    expect(
      retractions.map((e) => e.payload).sort((a, b) => a.eventId.localeCompare(b.eventId)),
    ).toEqual(
      [
        {
          eventId: idOf('QuestionnaireResponse/qr-s2', 'phq9.recorded'),
          reason: 'entered_in_error',
        },
        {
          eventId: idOf('QuestionnaireResponse/qr-s2/_history/2', 'phq9.recorded'),
          reason: 'entered_in_error',
        },
        {
          eventId: idOf('QuestionnaireResponse/qr-s4', 'phq9.recorded'),
          reason: 'entered_in_error',
        },
      ].sort((a, b) => a.eventId.localeCompare(b.eventId)),
    );
    for (const r of retractions) expect(r.episodeId).toBe(envelope.episodeId);
    expect(firstIds.has(idOf('QuestionnaireResponse/qr-s2', 'phq9.recorded'))).toBe(true);
    const amended = events.find(
      (e) => e.id === idOf('QuestionnaireResponse/qr-s4/_history/2', 'phq9.recorded'),
    );
    expect(amended?.payload).toEqual({
      items: [2, 1, 0, 1, 0, 1, 0, 0, 0],
      timepoint: 'session',
      sessionNumber: 4,
    });
  });

  it('sends a cancelled encounter as missed, and a stopped medication as a change at its session', () => {
    const missed = events.filter((e) => e.type === 'session.missed');
    expect(missed.map((e) => ({ on: e.occurredOn, ...e.payload }))).toEqual([
      { on: shift('2026-04-27'), sessionNumber: 5, reason: 'no_show' },
    ]);
    const medication = events.filter((e) => e.type === 'medication.changed');
    expect(medication.map((e) => ({ id: e.id, on: e.occurredOn, ...e.payload }))).toEqual([
      {
        id: idOf('MedicationStatement/med-1/ongoing_at_intake', 'medication.changed'),
        on: shift('2026-03-02'),
        action: 'ongoing_at_intake',
        medicationClass: 'ssri',
        sessionNumber: 0,
      },
      {
        id: idOf('MedicationStatement/med-1/stopped', 'medication.changed'),
        on: shift('2026-04-01'),
        action: 'stopped',
        medicationClass: 'ssri',
        sessionNumber: 3, // sessions on 03-09, 03-16 and 03-23 came before 04-01
      },
    ]);
    expect(firstIds.has(medication[0]?.id ?? '')).toBe(true);
    expect(firstIds.has(medication[1]?.id ?? '')).toBe(false);
  });

  it('reports the incomplete questionnaire by its id and the items it lacks', () => {
    expect(problems).toEqual([
      {
        resource: 'QuestionnaireResponse/qr-partial',
        message: expect.stringMatching(/items 44255-8, 44259-0, .*44260-8 are not answered/),
      },
    ]);
  });
});

describe('mapFhir: what cannot be mapped is reported, not guessed', () => {
  const base = JSON.parse(fixture('episode-bundle.json')) as {
    entry: { resource: Record<string, unknown> & { resourceType: string; id: string } }[];
  };
  // biome-ignore lint/suspicious/noExplicitAny: fixtures are edited freely to build bad input
  const resource = (id: string): any =>
    structuredClone(base.entry.find((e) => e.resource.id === id)?.resource);
  const map = (resources: unknown[], programme?: object) =>
    mapFhir(
      resources.map((r, i) => ({ resource: r, at: `entry ${i + 1}` })),
      { ...options, ...(programme ? { programme } : {}) },
    );

  it('an episode without its Patient, diagnosis or programme', () => {
    const episode = resource('eoc-501');
    expect(map([episode]).problems[0]).toEqual({
      resource: 'EpisodeOfCare/eoc-501',
      message: expect.stringContaining('Patient is not in the input'),
    });
    expect(map([resource('p-1001'), { ...episode, diagnosis: [] }]).problems[0]?.message).toMatch(
      /diagnosis must reference a Condition/,
    );
    const bare = { ...episode, extension: [] };
    const withoutProgramme = map([resource('p-1001'), resource('dx-1'), bare]);
    expect(withoutProgramme.problems[0]?.message).toMatch(
      /ipt-adaptation extension or the programme/,
    );
    expect(withoutProgramme.events.filter((e) => e.type === 'episode.started')).toEqual([]);
    const withProgramme = map([resource('p-1001'), resource('dx-1'), bare], {
      adaptation: 'brief',
      modality: 'online',
      plannedSessions: 8,
    });
    expect(withProgramme.events.find((e) => e.type === 'episode.started')?.payload).toMatchObject({
      adaptation: 'brief',
      modality: 'online',
      plannedSessions: 8,
    });
  });

  it('an encounter of an episode not in the input needs its session number; one without a phase', () => {
    const encounter = resource('enc-3');
    expect(map([encounter]).problems[0]?.message).toMatch(/session-number extension is needed/);
    const numbered = {
      ...encounter,
      extension: [...encounter.extension, { url: FHIR_EXTENSIONS.sessionNumber, valueInteger: 3 }],
    };
    expect(map([numbered]).events.map((e) => e.payload)).toEqual([
      {
        sessionNumber: 3,
        phase: 'middle',
        modality: 'in_person',
        therapistId: pseudo.therapistId('staff-77'),
      },
    ]);
    expect(
      map([{ ...numbered, extension: numbered.extension.slice(1) }]).problems[0]?.message,
    ).toMatch(/ipt-phase extension/);
  });

  it('a questionnaire that is not a PHQ-9, a wrong type, and a resource type it does not map', () => {
    const other = {
      ...resource('qr-intake'),
      questionnaire: 'http://loinc.org/q/69737-5',
      item: [{ linkId: 'gad7-1', answer: [{ valueInteger: 1 }] }],
    };
    const result = map([
      other,
      { ...resource('qr-intake'), id: 'qr-bad', status: 7 },
      { resourceType: 'Observation', id: 'obs-1', status: 'final' },
    ]);
    expect(result.events).toEqual([]);
    const byResource = (a: { resource: string }, b: { resource: string }) =>
      a.resource.localeCompare(b.resource);
    expect([...result.problems].sort(byResource)).toEqual([
      { resource: 'Observation', message: expect.stringMatching(/not mapped to events/) },
      {
        resource: 'QuestionnaireResponse/qr-bad',
        message: 'status: Invalid input: expected string, received number',
      },
      {
        resource: 'QuestionnaireResponse/qr-intake',
        message: expect.stringMatching(/not a PHQ-9/),
      },
    ]);
  });

  it('an answer outside 0-3 names the item', () => {
    const response = resource('qr-intake');
    const items = response.item[0]?.item ?? [];
    (items[4] as { answer: object[] }).answer = [{ valueInteger: 5 }];
    expect(
      map([resource('p-1001'), resource('eoc-501'), resource('dx-1'), response]).problems,
    ).toEqual([
      {
        resource: 'QuestionnaireResponse/qr-intake',
        message: expect.stringMatching(/^item 5 \(44251-7\) has no score/),
      },
    ]);
  });
});

describe('parseFhirInput', () => {
  it('reads a Bundle, one resource, and NDJSON of resources and bundles', () => {
    expect(parseFhirInput(fixture('episode-bundle.json'))).toHaveLength(13);
    expect(parseFhirInput(fixture('later-export.ndjson'))).toHaveLength(15);
    expect(parseFhirInput('{"resourceType":"Patient","id":"p"}')).toEqual([
      { resource: { resourceType: 'Patient', id: 'p' }, at: 'the document' },
    ]);
  });

  it('names the line that is not JSON or not a resource', () => {
    const text = '{"resourceType":"Patient","id":"p"}\n\n{not json}\n';
    expect(() => parseFhirInput(text)).toThrow(FhirInputError);
    expect(() => parseFhirInput(text)).toThrow(/^line 3 is not JSON/);
    expect(() => parseFhirInput('{"id":"p"}\n{"id":"q"}')).toThrow(/line 1 has no resourceType/);
    expect(() => parseFhirInput('  ')).toThrow(/empty/);
  });
});
