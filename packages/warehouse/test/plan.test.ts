/**
 * @fileoverview The projection's plan, apart from writing it: given an episode's recorded
 * events, when the projection is planned, then these rows would be written. No database: the
 * writer (projector.ts) is tested against chDB in projector and ownership suites.
 */
import type { CatalogEvent, RecordedEvent } from '@ipt/events';
import { episodeBuilder } from '@ipt/events/testing';
import type { EpisodeEvent } from '@ipt/protocol';
import { describe, expect, it } from 'vitest';
import { FOREIGN_EPISODE_REASON } from '../src/index.js';
import { planProjection } from '../src/projection/plan.js';
import { testKeys } from './helpers.js';

const episode = episodeBuilder('warehouse plan suite secret, 32+ bytes long');
const recorded = (events: CatalogEvent[], at = '2026-03-01T10:00:00.000Z') =>
  events.map(
    (e, i) =>
      ({
        ...e,
        recordedAt: new Date(Date.parse(at) + i * 1000).toISOString(),
        sourceId: 'plan-test',
      }) as RecordedEvent & EpisodeEvent,
  );
const settings = {
  version: 7,
  projectedAt: '2026-03-02T00:00:00.000Z',
  keys: testKeys,
  historyFrom: () => 0,
  bucketOf: () => '2026-03-01',
};

/** given(episodes' events).plan() */
const given = (...episodes: Array<Array<RecordedEvent & EpisodeEvent>>) => ({
  plan: () =>
    planProjection(
      new Map(episodes.map((events) => [events[0]?.episodeId ?? '', events])),
      settings,
    ),
});

describe('the plan of a projection', () => {
  const a = episode('plan-a', 'one');
  const course = recorded([
    a.started('2026-01-05'),
    a.phq9(0, 18, '2026-01-05'),
    a.attended(1, '2026-01-05'),
    a.phq9(1, 15, '2026-01-05'),
    a.attended(2, '2026-01-12'),
    a.phq9(2, 9, '2026-01-12'),
  ]);

  it('folds an episode into its current row, its scores, and a history row per earlier time', () => {
    const plan = given(course).plan();
    expect(plan.projected).toBe(1);
    expect(plan.episodes).toHaveLength(1);
    expect(plan.episodes[0]).toMatchObject({
      episode_id: a.id,
      clinic_id: 'plan-a',
      version: 7,
      bucket: '2026-03-01',
    });
    expect(plan.scores.map((s) => s.total)).toEqual([18, 15, 9]);
    // Six recorded times: five earlier ones, and the current row as the latest.
    expect(plan.history).toHaveLength(6);
    expect(plan.deadLetters).toEqual([]);
    expect(plan.refused).toEqual([]);
  });

  it("sets another clinic's events aside, with a tombstone for a score of theirs", () => {
    const intruder = episode('plan-b', 'one');
    const foreign = recorded(
      [{ ...intruder.phq9(3, 27, '2026-01-19'), episodeId: a.id }],
      '2026-03-01T11:00:00.000Z',
    );
    const plan = given([...course, ...foreign]).plan();
    expect(plan.refused).toEqual([
      { episodeId: a.id, event: foreign[0], reason: FOREIGN_EPISODE_REASON },
    ]);
    expect(plan.scores.map((s) => s.total)).toEqual([18, 15, 9, 0]);
    expect(plan.scores.at(-1)).toMatchObject({ event_id: foreign[0]?.id, is_deleted: 1 });
  });

  it('gives a retracted score a tombstone and folds without it', () => {
    const score = course[5] as RecordedEvent;
    const retraction = recorded([a.retract(score.id, '2026-01-13')], '2026-03-01T12:00:00.000Z');
    const plan = given([...course, ...retraction]).plan();
    expect(plan.scores.filter((s) => s.is_deleted === 1).map((s) => s.event_id)).toEqual([
      score.id,
    ]);
  });

  it('writes no history before historyFrom', () => {
    const plan = planProjection(new Map([[a.id, course]]), {
      ...settings,
      historyFrom: () => Date.parse('2026-03-01T10:00:04.000Z'),
    });
    expect(plan.history).toHaveLength(2);
  });
});
