/**
 * @fileoverview foldEpisode: baseline and endpoint rules, sessions attended, finished course,
 * primary problem area, medication groups, phase timeline, follow-ups, retractions (including a
 * retracted retraction), duplicates, and every data-quality finding. Order independence has its
 * own property-based suite (fold-order.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { type EpisodeEvent, foldEpisode, ProtocolError } from '../src/index.js';
import { addDays, episodeFactory, standardCourse } from './episode-factory.js';

const codes = (events: EpisodeEvent[]) => foldEpisode(events).findings.map((f) => f.code);

describe('foldEpisode: a complete standard course', () => {
  const f = episodeFactory();
  const events = standardCourse(f, { sessions: 14, baseline: 18, endpoint: 6 });
  const summary = foldEpisode(events);

  it('pairs the intake baseline with the last in-treatment score', () => {
    expect(summary.baseline?.total).toBe(18);
    expect(summary.baseline?.timepoint).toBe('intake');
    expect(summary.endpoint?.total).toBe(6);
    expect(summary.endpoint?.timepoint).toBe('end');
    expect(summary.paired).toBe(true);
    expect(summary.outcome?.change).toBe(-12);
    expect(summary.outcome?.reliableRecovery).toBe(true);
  });

  it('counts sessions, buckets them and marks the course finished and eligible', () => {
    expect(summary.sessionsAttended).toBe(14);
    expect(summary.sessionBucket).toBe('12-16');
    expect(summary.ended).toBe(true);
    expect(summary.endReason).toBe('completed');
    expect(summary.finishedCourse).toBe(true);
    expect(summary.outcomeEligible).toBe(true);
  });

  it('takes demographics from episode.started and the problem area from its identification', () => {
    expect(summary).toMatchObject({
      started: true,
      startedOn: '2025-01-06',
      ageBand: '25-34',
      condition: 'major_depression',
      adaptation: 'standard',
      primaryProblemArea: 'role_transition',
      primaryIdentifiedAtSession: 2,
      medicationGroup: 'ipt_only',
      medicationTiming: null,
    });
  });

  it('builds the phase timeline from the phases stamped on sessions', () => {
    expect(summary.phaseTimeline.map((p) => [p.phase, p.fromSession])).toEqual([
      ['initial', 1],
      ['middle', 4],
      ['termination', 12],
    ]);
  });

  it('reports no data-quality findings for a clean course', () => {
    expect(summary.findings).toEqual([]);
  });

  it('keeps every in-treatment score in session order for trajectories', () => {
    expect(summary.scores.map((s) => s.sessionNumber)).toEqual([...Array(15).keys()]);
  });
});

describe('foldEpisode: baseline and endpoint', () => {
  it('accepts a first score at session 2 as the baseline but not one at session 3', () => {
    const f = episodeFactory();
    const at2 = foldEpisode([
      f.started(),
      f.attended(2, '2025-01-13'),
      f.phq9(15, 2, '2025-01-13'),
      f.phq9(8, 5, '2025-02-03'),
    ]);
    expect(at2.baseline?.total).toBe(15);
    expect(at2.endpoint?.total).toBe(8);
    expect(at2.paired).toBe(true);

    const g = episodeFactory();
    const at3 = foldEpisode([
      g.started(),
      g.attended(3, '2025-01-20'),
      g.phq9(15, 3, '2025-01-20'),
      g.phq9(8, 5, '2025-02-03'),
    ]);
    expect(at3.baseline).toBeNull();
    expect(at3.paired).toBe(false);
    expect(at3.outcome).toBeNull();
    expect(at3.findings.map((x) => x.code)).toContain('no_baseline');
  });

  it('orders scores by session number before date', () => {
    const f = episodeFactory();
    // Session 1's score was entered with a later date than session 4's: the session number rules.
    const summary = foldEpisode([f.phq9(20, 1, '2025-03-01'), f.phq9(12, 4, '2025-02-01')]);
    expect(summary.baseline?.total).toBe(20);
    expect(summary.endpoint?.total).toBe(12);
  });

  it('never uses a follow-up score as the endpoint', () => {
    const f = episodeFactory();
    const events = [
      ...standardCourse(f, { baseline: 16, endpoint: 8 }),
      f.phq9(3, 14, '2025-07-01', 'follow_up', { weeksAfterEnd: 8 }),
    ];
    const summary = foldEpisode(events);
    expect(summary.endpoint?.total).toBe(8);
    expect(summary.followUps.map((m) => [m.total, m.weeksAfterEnd])).toEqual([[3, 8]]);
  });

  it('has no endpoint when the only score is the baseline', () => {
    const f = episodeFactory();
    const summary = foldEpisode([f.started(), f.phq9(14, 0, '2025-01-06', 'intake')]);
    expect(summary.baseline?.total).toBe(14);
    expect(summary.endpoint).toBeNull();
    expect(summary.paired).toBe(false);
  });

  it('does not take a second intake score as the endpoint', () => {
    const f = episodeFactory();
    const summary = foldEpisode([
      f.phq9(14, 0, '2025-01-06', 'intake'),
      f.phq9(12, 0, '2025-01-07', 'intake'),
    ]);
    expect(summary.baseline?.total).toBe(14);
    expect(summary.endpoint).toBeNull();
  });

  it('flags an episode with a self-harm item answer, including at follow-up', () => {
    const f = episodeFactory();
    expect(foldEpisode([f.phq9(14, 0, '2025-01-06', 'intake')]).selfHarmFlagged).toBe(false);
    const flagged = foldEpisode([
      f.phq9(14, 0, '2025-01-06', 'intake'),
      f.phq9(6, 12, '2025-06-01', 'follow_up', { weeksAfterEnd: 4, item9: 1 }),
    ]);
    expect(flagged.selfHarmFlagged).toBe(true);
  });
});

describe('foldEpisode: sessions and finished course', () => {
  it('counts distinct session numbers and flags a session recorded twice', () => {
    const f = episodeFactory();
    const summary = foldEpisode([
      f.attended(1, '2025-01-06'),
      f.attended(2, '2025-01-13'),
      f.attended(2, '2025-01-14'),
    ]);
    expect(summary.sessionsAttended).toBe(2);
    expect(summary.findings.map((x) => x.code)).toContain('session_attended_twice');
  });

  it('needs two attended sessions for a finished course', () => {
    const f = episodeFactory();
    const one = foldEpisode([
      f.started(),
      f.attended(1, '2025-01-13'),
      f.ended('dropped_out', '2025-02-01'),
    ]);
    expect(one.ended).toBe(true);
    expect(one.finishedCourse).toBe(false);
    const g = episodeFactory();
    const two = foldEpisode([
      g.started(),
      g.attended(1, '2025-01-13'),
      g.attended(2, '2025-01-20'),
      g.ended('dropped_out', '2025-02-01'),
    ]);
    expect(two.finishedCourse).toBe(true);
    expect(two.sessionBucket).toBe('1-3');
  });

  it('is not finished while the episode is open', () => {
    const f = episodeFactory();
    const events = standardCourse(f).filter((e) => e.type !== 'episode.ended');
    const summary = foldEpisode(events);
    expect(summary.ended).toBe(false);
    expect(summary.finishedCourse).toBe(false);
    expect(summary.outcomeEligible).toBe(false);
    expect(summary.paired).toBe(true);
  });

  it('counts missed sessions separately', () => {
    const f = episodeFactory();
    const summary = foldEpisode([
      f.attended(1, '2025-01-06'),
      f.missed(2, '2025-01-13'),
      f.missed(3, '2025-01-20'),
    ]);
    expect(summary.sessionsMissed).toBe(2);
    expect(summary.sessionsAttended).toBe(1);
  });
});

describe('foldEpisode: problem area', () => {
  it('is unspecified when no primary area was identified', () => {
    const f = episodeFactory();
    const summary = foldEpisode([f.started(), f.problemArea('grief', 1, '2025-01-13', false)]);
    expect(summary.primaryProblemArea).toBe('unspecified');
    expect(summary.problemAreas).toEqual(['grief']);
  });

  it('takes the latest primary and reports two primaries as a finding', () => {
    const f = episodeFactory();
    const summary = foldEpisode([
      f.problemArea('grief', 1, '2025-01-13'),
      f.problemArea('role_dispute', 3, '2025-01-27'),
    ]);
    expect(summary.primaryProblemArea).toBe('role_dispute');
    expect(summary.problemAreas).toEqual(['grief', 'role_dispute']);
    expect(summary.findings.map((x) => x.code)).toContain('multiple_primary_problem_areas');
  });

  it('reports an area identified after session 3 once session 3 has been attended', () => {
    const f = episodeFactory();
    const late = [
      f.attended(1, '2025-01-13'),
      f.attended(2, '2025-01-20'),
      f.attended(3, '2025-01-27'),
    ];
    expect(codes([...late, f.problemArea('grief', 4, '2025-02-03')])).toContain(
      'problem_area_not_identified_by_session_3',
    );
    expect(codes([...late, f.problemArea('grief', 3, '2025-01-27')])).not.toContain(
      'problem_area_not_identified_by_session_3',
    );
    // Before session 3 there is still time: no finding yet.
    expect(codes(late.slice(0, 2))).not.toContain('problem_area_not_identified_by_session_3');
  });
});

describe('foldEpisode: medication', () => {
  it('is ipt_only without medication events', () => {
    const f = episodeFactory();
    expect(foldEpisode(standardCourse(f)).medicationGroup).toBe('ipt_only');
  });

  it('is continuing when medication was ongoing at intake', () => {
    const f = episodeFactory();
    const summary = foldEpisode([
      f.started(),
      f.medication('ongoing_at_intake', 0, '2025-01-06', 'snri'),
    ]);
    expect(summary).toMatchObject({
      medicationGroup: 'ipt_with_medication',
      medicationTiming: 'continuing',
      medicationClasses: ['snri'],
    });
  });

  it('is continuing when the first record changes a medication nobody recorded starting', () => {
    const f = episodeFactory();
    const summary = foldEpisode([f.started(), f.medication('dose_changed', 4, '2025-02-03')]);
    expect(summary.medicationTiming).toBe('continuing');
  });

  it('is started_during when the episode records the start', () => {
    const f = episodeFactory();
    const summary = foldEpisode([
      f.started(),
      f.medication('started', 3, '2025-01-27', 'ssri'),
      f.medication('switched', 6, '2025-02-17', 'snri'),
    ]);
    expect(summary).toMatchObject({
      medicationGroup: 'ipt_with_medication',
      medicationTiming: 'started_during',
      medicationClasses: ['snri', 'ssri'],
    });
  });
});

describe('foldEpisode: time zero (docs/outcomes.md, "Time to reliable improvement")', () => {
  it('records the session medication started during treatment, and none when ongoing at intake', () => {
    const f = episodeFactory();
    const started = foldEpisode([
      f.started(),
      f.medication('started', 4, '2025-02-03', 'ssri'),
      f.medication('started', 7, '2025-02-24', 'snri'),
    ]);
    expect(started.medicationStartedAtSession).toBe(4);
    const ongoing = foldEpisode([f.started(), f.medication('stopped', 2, '2025-01-20', 'ssri')]);
    expect(ongoing).toMatchObject({
      medicationTiming: 'continuing',
      medicationStartedAtSession: null,
    });
    expect(foldEpisode([f.started()]).medicationStartedAtSession).toBeNull();
  });

  it('gives the problem area known at session 3, and unspecified when it came later', () => {
    const f = episodeFactory();
    const inTime = foldEpisode([
      f.started(),
      f.problemArea('grief', 2, '2025-01-20'),
      f.problemArea('role_dispute', 5, '2025-02-10'),
    ]);
    // The latest primary is the episode's; at the landmark only grief was known.
    expect(inTime).toMatchObject({
      primaryProblemArea: 'role_dispute',
      problemAreaAtLandmark: 'grief',
    });
    const late = foldEpisode([f.started(), f.problemArea('grief', 4, '2025-02-03')]);
    expect(late).toMatchObject({
      primaryProblemArea: 'grief',
      problemAreaAtLandmark: 'unspecified',
    });
    const atThree = foldEpisode([f.started(), f.problemArea('grief', 3, '2025-01-27')]);
    expect(atThree.problemAreaAtLandmark).toBe('grief');
  });
});

describe('foldEpisode: medication after the end (docs/outcomes.md, "Medication")', () => {
  // A 12-session course (last attended session 12) that ended.
  const course = (f: ReturnType<typeof episodeFactory>) => standardCourse(f, { sessions: 12 });

  it('is ipt_only when the only medication started after the last attended session', () => {
    const f = episodeFactory();
    const summary = foldEpisode([
      ...course(f),
      f.medication('started', 13, '2025-04-30', 'ssri'),
      f.medication('dose_changed', 14, '2025-05-20', 'ssri'),
    ]);
    expect(summary).toMatchObject({
      medicationGroup: 'ipt_only',
      medicationTiming: null,
      medicationClasses: [],
    });
  });

  it('counts a medication started at the last attended session', () => {
    const f = episodeFactory();
    const summary = foldEpisode([...course(f), f.medication('started', 12, '2025-03-31', 'ssri')]);
    expect(summary).toMatchObject({
      medicationGroup: 'ipt_with_medication',
      medicationTiming: 'started_during',
    });
  });

  it('keeps a medication started during treatment, and leaves out one started after the end', () => {
    const f = episodeFactory();
    const summary = foldEpisode([
      ...course(f),
      f.medication('started', 5, '2025-02-10', 'ssri'),
      f.medication('stopped', 13, '2025-04-30', 'ssri'),
      f.medication('started', 14, '2025-05-20', 'snri'),
    ]);
    expect(summary).toMatchObject({
      medicationGroup: 'ipt_with_medication',
      medicationTiming: 'started_during',
      medicationClasses: ['ssri'],
    });
  });

  it('keeps a medication active at intake whose first record comes after the end', () => {
    const f = episodeFactory();
    const summary = foldEpisode([...course(f), f.medication('stopped', 13, '2025-04-30')]);
    expect(summary.medicationTiming).toBe('continuing');
  });

  it('counts a start at any session while the episode is open', () => {
    const f = episodeFactory();
    const open = course(f).filter((e) => e.type !== 'episode.ended');
    const summary = foldEpisode([...open, f.medication('started', 13, '2025-04-30', 'ssri')]);
    expect(summary.medicationGroup).toBe('ipt_with_medication');
  });
});

describe('foldEpisode: retractions', () => {
  it('ignores a retracted score as if never sent', () => {
    const f = episodeFactory();
    const course = standardCourse(f, { baseline: 18, endpoint: 6 });
    const wrongEnd = f.phq9(25, 15, '2025-04-20', 'end');
    const withError = [...course, wrongEnd];
    expect(foldEpisode(withError).endpoint?.total).toBe(25);
    const corrected = foldEpisode([...withError, f.retract(wrongEnd.id, '2025-04-21')]);
    expect(corrected.endpoint?.total).toBe(6);
    expect(corrected.retractedEventIds).toEqual([wrongEnd.id]);
    expect(corrected).toEqual({
      ...foldEpisode(course),
      retractedEventIds: [wrongEnd.id],
      eventCount: course.length + 2,
    });
  });

  it('restores an event whose retraction was itself retracted', () => {
    const f = episodeFactory();
    const session = f.attended(1, '2025-01-13');
    const retraction = f.retract(session.id, '2025-01-14');
    expect(foldEpisode([session, retraction]).sessionsAttended).toBe(0);
    const undo = f.retract(retraction.id, '2025-01-15');
    const summary = foldEpisode([undo, session, retraction]);
    expect(summary.sessionsAttended).toBe(1);
    expect(summary.retractedEventIds).toEqual([retraction.id]);
  });

  it('reports a retraction of an event the episode has not received, and applies it once it arrives', () => {
    const f = episodeFactory();
    const session = f.attended(1, '2025-01-13');
    const retraction = f.retract(session.id, '2025-01-14');
    const early = foldEpisode([f.attended(2, '2025-01-20'), retraction]);
    expect(early.findings.map((x) => x.code)).toContain('retraction_of_unknown_event');
    expect(early.sessionsAttended).toBe(1);
    const late = foldEpisode([f.attended(2, '2025-01-20'), retraction, session]);
    expect(late.findings.map((x) => x.code)).not.toContain('retraction_of_unknown_event');
    expect(late.sessionsAttended).toBe(1);
  });

  it('reports a retraction cycle and leaves its members in force', () => {
    const f = episodeFactory();
    const a = f.retract('00000000-0000-4000-8000-00000000ffff', '2025-01-14');
    const b = { ...f.retract(a.id, '2025-01-15') };
    const aCycle = {
      ...a,
      payload: {
        ...(a as Extract<EpisodeEvent, { type: 'event.retracted' }>).payload,
        eventId: b.id,
      },
    };
    const summary = foldEpisode([aCycle as EpisodeEvent, b, f.attended(1, '2025-01-13')]);
    expect(summary.findings.map((x) => x.code)).toContain('retraction_cycle');
    expect(summary.sessionsAttended).toBe(1);
  });
});

describe('foldEpisode: duplicates and envelope', () => {
  it('counts an event sent twice once', () => {
    const f = episodeFactory();
    const session = f.attended(1, '2025-01-13');
    const summary = foldEpisode([session, { ...session }, f.attended(2, '2025-01-20')]);
    expect(summary.sessionsAttended).toBe(2);
    expect(summary.eventCount).toBe(2);
    expect(summary.findings).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ code: 'conflicting_duplicate_id' })]),
    );
  });

  it('keeps the first recorded copy of a conflicting duplicate and reports it', () => {
    const f = episodeFactory();
    const first = {
      ...f.phq9(20, 0, '2025-01-06', 'intake'),
      recordedAt: '2025-01-06T10:00:00.000Z',
    };
    const second = {
      ...first,
      payload: { ...first.payload, items: [1, 1, 1, 1, 1, 1, 1, 1, 1] },
      recordedAt: '2025-01-07T10:00:00.000Z',
    };
    for (const order of [
      [first, second],
      [second, first],
    ] as EpisodeEvent[][]) {
      const summary = foldEpisode(order);
      expect(summary.baseline?.total).toBe(20);
      expect(summary.findings.filter((x) => x.code === 'conflicting_duplicate_id')).toHaveLength(1);
    }
  });

  it('reports an event naming another client or clinic', () => {
    const f = episodeFactory();
    const other = episodeFactory({ clientId: 'cl_someone_else' });
    expect(codes([f.started(), other.attended(1, '2025-01-13')])).toContain(
      'inconsistent_envelope',
    );
  });

  it('refuses to fold two episodes together or nothing at all', () => {
    const f = episodeFactory();
    const g = episodeFactory({ episodeId: 'ep_other_episode' });
    expect(() => foldEpisode([f.started(), g.started()])).toThrow(ProtocolError);
    expect(() => foldEpisode([])).toThrow(/at least one event/);
  });
});

describe('foldEpisode: data-quality findings', () => {
  it('reports a session after the episode ended', () => {
    const f = episodeFactory();
    const events = [...standardCourse(f), f.attended(15, '2025-06-02')];
    const finding = foldEpisode(events).findings.find(
      (x) => x.code === 'session_after_episode_end',
    );
    expect(finding?.sessionNumber).toBe(15);
  });

  it('reports each attended session without a PHQ-9', () => {
    const f = episodeFactory();
    const events = standardCourse(f).filter(
      (e) => !(e.type === 'phq9.recorded' && [5, 9].includes(e.payload.sessionNumber)),
    );
    const missing = foldEpisode(events).findings.filter(
      (x) => x.code === 'phq9_missing_at_attended_session',
    );
    expect(missing.map((x) => x.sessionNumber)).toEqual([5, 9]);
  });

  it('reports a finished course without paired scores', () => {
    const f = episodeFactory();
    const events = [
      f.started(),
      f.attended(1, '2025-01-13'),
      f.attended(2, '2025-01-20'),
      f.ended('dropped_out', '2025-02-01'),
    ];
    expect(codes(events)).toEqual(
      expect.arrayContaining(['finished_without_paired_scores', 'no_baseline']),
    );
  });

  it('reports an episode with no start event', () => {
    const f = episodeFactory();
    const summary = foldEpisode([f.attended(1, '2025-01-13')]);
    expect(summary.started).toBe(false);
    expect(summary.ageBand).toBeNull();
    expect(summary.findings.map((x) => x.code)).toContain('episode_not_started');
  });

  it('reports a completed standard course outside 12-16 sessions', () => {
    const f = episodeFactory();
    expect(codes(standardCourse(f, { sessions: 8 }))).toContain('standard_course_outside_12_16');
    const g = episodeFactory();
    expect(codes(standardCourse(g, { sessions: 12 }))).not.toContain(
      'standard_course_outside_12_16',
    );
    const h = episodeFactory();
    expect(codes(standardCourse(h, { sessions: 17 }))).toContain('standard_course_outside_12_16');
  });

  it('reports a follow-up score on an episode that has not ended', () => {
    const f = episodeFactory();
    expect(
      codes([f.phq9(10, 6, addDays('2025-01-06', 60), 'follow_up', { weeksAfterEnd: 4 })]),
    ).toContain('follow_up_before_end');
  });

  it('uses the latest of several end events and reports them', () => {
    const f = episodeFactory();
    const summary = foldEpisode([
      f.ended('dropped_out', '2025-02-01'),
      f.ended('completed', '2025-03-01'),
    ]);
    expect(summary.endReason).toBe('completed');
    expect(summary.endedOn).toBe('2025-03-01');
    expect(summary.findings.map((x) => x.code)).toContain('multiple_episode_ended');
  });
});
