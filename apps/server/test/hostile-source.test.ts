/**
 * @fileoverview Writes stay in their clinic, over real HTTP against embedded chDB: an episode
 * belongs to the clinic of its first accepted event. Clinic B's key sending, for clinic A's
 * episode, an episode.started with an earlier date, a session, a PHQ-9 and retractions of A's
 * events gets each refused in the 200 body with its path (episodeId, payload.eventId) and a
 * message that does not name clinic A; A's episode row and GET /v1/outcomes stay as they were;
 * B's own episodes work; two sources of clinic A both write A's episode; a batch mixing allowed
 * and hostile events accepts exactly the allowed ones; within a batch the first event of a new
 * episode sets its owner; two batches racing for a new episode cannot both win; duplicates are
 * still accepted and stored once, and a retraction of an unknown id is still accepted.
 */
import { randomUUID } from 'node:crypto';
import { generateKey, ingestConfigEntry } from '@ipt/auth';
import type { CatalogEvent } from '@ipt/events';
import { episodeBuilder } from '@ipt/events/testing';
import {
  FOREIGN_EPISODE_MESSAGE,
  FOREIGN_RETRACTION_MESSAGE,
  OTHER_EPISODE_RETRACTION_MESSAGE,
} from '@ipt/http';
import { simulateNetwork } from '@ipt/simulator';
import { defineQuery, eventLogStats } from '@ipt/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getJson, type Harness, postEvents, startHarness, warehouseOf } from './harness.js';

const CLINIC_A = 'hostile-a';
const CLINIC_B = 'hostile-b';
const CLINIC_C = 'hostile-c';
const CLINIC_D = 'hostile-d';

const keys = {
  a1: generateKey('ingest'),
  a2: generateKey('ingest'),
  b: generateKey('ingest'),
  cd: generateKey('ingest'),
};
const INGEST_KEYS = JSON.stringify([
  ingestConfigEntry(keys.a1.keySha256, { sourceId: 'hostile-a-ehr', clinics: [CLINIC_A] }),
  ingestConfigEntry(keys.a2.keySha256, { sourceId: 'hostile-a-lab', clinics: [CLINIC_A] }),
  ingestConfigEntry(keys.b.keySha256, { sourceId: 'hostile-b-ehr', clinics: [CLINIC_B] }),
  ingestConfigEntry(keys.cd.keySha256, {
    sourceId: 'hostile-cd-hub',
    clinics: [CLINIC_C, CLINIC_D],
  }),
]);

const episode = episodeBuilder('hostile-source suite: a clinic secret of 32+ bytes');

const day = (start: string, weeks: number) =>
  new Date(Date.parse(start) + weeks * 7 * 86_400_000).toISOString().slice(0, 10);

/** A complete course: started, intake PHQ-9 of 18, twelve sessions each scored, ended. */
function course(e: ReturnType<typeof episode>, start: string): CatalogEvent[] {
  return [
    e.started(start),
    e.phq9(0, 18, start),
    ...Array.from({ length: 12 }, (_, i) => i + 1).flatMap((n) => [
      e.attended(n, day(start, n)),
      e.phq9(n, Math.max(4, 18 - n), day(start, n)),
    ]),
    e.ended(day(start, 13)),
  ];
}

const episodeRow = defineQuery({
  name: 'test.hostile.episode',
  sql: 'SELECT * EXCEPT (version, projected_at) FROM episodes FINAL WHERE episode_id = {id:String}',
  params: z.object({ id: z.string() }),
  row: z.record(z.string(), z.unknown()),
});

interface Body {
  accepted: number;
  rejected: Array<{
    index: number;
    id: string | null;
    errors: Array<{ path: string; message: string }>;
  }>;
}

let h: Harness;
const post = async (key: keyof typeof keys, events: unknown[]) => {
  const res = await postEvents(h, { events }, { key: keys[key].key });
  expect(res.status).toBe(200);
  return res.json as Body;
};
const rowOf = async (episodeId: string) =>
  (await warehouseOf(h).query(episodeRow, { id: episodeId }))[0];
const stats = () => eventLogStats(warehouseOf(h));
/** GET /v1/outcomes as a researcher (protected) and as the steward (exact numbers). */
const outcomes = async () => {
  const paths = ['/v1/outcomes', '/v1/outcomes?groupBy=problemArea,sessionBucket'];
  const answers = [];
  for (const key of [h.readKey, h.stewardKey]) {
    for (const path of paths) {
      const res = await getJson(h, path, { key });
      expect(res.status, `${path}: ${res.text.slice(0, 200)}`).toBe(200);
      answers.push(res.json);
    }
  }
  return answers;
};

const a = episode(CLINIC_A, 'a-target');
const aEvents = course(a, '2025-03-03');
const [aStart] = aEvents;
const aScore = aEvents.find((e) => e.type === 'phq9.recorded');
/** Clinic B's envelope on clinic A's episode. */
const intoA = { ...a.envelope, clinicId: CLINIC_B };

let aRowBefore: Record<string, unknown> | undefined;
let outcomesBefore: unknown[];

beforeAll(async () => {
  h = await startHarness({ clinics: [CLINIC_A], env: { INGEST_KEYS } });
  // Enough of clinic A's episodes for /v1/outcomes to show numbers above the small-cell limit.
  const network = [...simulateNetwork({ seed: 515, episodes: 80, clinics: 1 })].map((e) => ({
    ...e,
    clinicId: CLINIC_A,
  }));
  for (let i = 0; i < network.length; i += 1000) {
    const body = await post('a1', network.slice(i, i + 1000));
    expect(body.rejected).toEqual([]);
  }
  expect(await post('a1', aEvents)).toEqual({ accepted: aEvents.length, rejected: [] });
  aRowBefore = await rowOf(a.id);
  expect(aRowBefore).toMatchObject({ clinic_id: CLINIC_A, started: 1, sessions_attended: 12 });
  outcomesBefore = await outcomes();
}, 120_000);
afterAll(async () => h?.dispose());

describe("clinic B's key against clinic A's episode", () => {
  if (aStart === undefined || aScore === undefined) throw new Error('no course');
  const b = episode(CLINIC_B, 'b-own');
  const hostile: Array<[string, CatalogEvent, string[]]> = [
    [
      'an episode.started dated before A started',
      { ...a.started('2024-01-02'), ...intoA } as CatalogEvent,
      ['episodeId'],
    ],
    [
      'a session.attended',
      { ...a.attended(13, '2025-06-02'), ...intoA } as CatalogEvent,
      ['episodeId'],
    ],
    [
      'a phq9.recorded',
      { ...a.phq9(13, [3, 3, 3, 3, 3, 3, 3, 3, 3], '2025-06-02'), ...intoA } as CatalogEvent,
      ['episodeId'],
    ],
    [
      "a retraction of A's start, sent with A's episode",
      { ...a.retract(aStart.id, '2025-06-02'), ...intoA } as CatalogEvent,
      ['episodeId', 'payload.eventId'],
    ],
    [
      "a retraction of A's score, sent with B's own episode",
      b.retract(aScore.id, '2025-06-02'),
      ['payload.eventId'],
    ],
  ];

  it.each(hostile.map(([label, event, paths]) => [label, event, paths] as const))(
    'refuses %s, alone, with its path and without naming clinic A',
    async (_label, event, paths) => {
      const before = await stats();
      const body = await post('b', [event]);
      expect(body.accepted).toBe(0);
      expect(body.rejected).toHaveLength(1);
      const [rejection] = body.rejected;
      expect(rejection?.index).toBe(0);
      expect(rejection?.id).toBe(event.id);
      expect(rejection?.errors.map((e) => e.path)).toEqual(paths);
      for (const error of rejection?.errors ?? []) {
        expect([FOREIGN_EPISODE_MESSAGE, FOREIGN_RETRACTION_MESSAGE]).toContain(error.message);
      }
      expect(JSON.stringify(body)).not.toContain(CLINIC_A);
      expect(await stats()).toEqual(before);
    },
  );

  it('refuses them all in one batch, one rejection each', async () => {
    const body = await post(
      'b',
      hostile.map(([, event]) => event),
    );
    expect(body.accepted).toBe(0);
    expect(body.rejected.map((r) => [r.index, r.id, r.errors.map((e) => e.path)])).toEqual(
      hostile.map(([, event, paths], index) => [index, event.id, paths]),
    );
    expect(body.rejected[0]?.errors[0]?.message).toBe(
      'episode belongs to another clinic; an episode stays with the clinic of its first event',
    );
  });

  it("leaves A's episode row and GET /v1/outcomes exactly as they were", async () => {
    expect(await rowOf(a.id)).toEqual(aRowBefore);
    expect(await outcomes()).toEqual(outcomesBefore);
  });

  it("still takes B's own episode, retractions of B's own events included", async () => {
    const events = course(b, '2025-04-07');
    expect(await post('b', events)).toEqual({ accepted: events.length, rejected: [] });
    const [bStart, bScore] = events;
    if (bStart === undefined || bScore === undefined) throw new Error('no course');
    expect(await post('b', [b.retract(bScore.id, '2025-08-01')])).toEqual({
      accepted: 1,
      rejected: [],
    });
    expect(await rowOf(b.id)).toMatchObject({
      clinic_id: CLINIC_B,
      started: 1,
      sessions_attended: 12,
      retracted_count: 1,
    });
  });

  it('accepts exactly the allowed events of a batch that mixes them with hostile ones', async () => {
    const mine = episode(CLINIC_B, 'b-mixed');
    const batch = [
      mine.started('2025-05-05'),
      { ...a.attended(14, '2025-06-09'), ...intoA } as CatalogEvent,
      mine.phq9(0, [2, 2, 2, 2, 2, 1, 1, 1, 0], '2025-05-05'),
      mine.retract(aStart.id, '2025-06-09'),
      mine.attended(1, '2025-05-12'),
    ];
    const before = await stats();
    const body = await post('b', batch);
    expect(body.accepted).toBe(3);
    expect(body.rejected.map((r) => [r.index, r.errors.map((e) => e.path)])).toEqual([
      [1, ['episodeId']],
      [3, ['payload.eventId']],
    ]);
    expect((await stats()).events).toBe(before.events + 3);
    expect(await rowOf(mine.id)).toMatchObject({
      clinic_id: CLINIC_B,
      started: 1,
      sessions_attended: 1,
      event_count: 3,
    });
    expect(await rowOf(a.id)).toEqual(aRowBefore);
  });
});

describe('what keeps working', () => {
  it("lets two sources (keys) of clinic A both write A's episodes, retractions included", async () => {
    const shared = episode(CLINIC_A, 'a-shared');
    const [start, intake] = [
      shared.started('2025-02-03'),
      shared.phq9(0, [2, 2, 2, 2, 2, 2, 1, 1, 0], '2025-02-03'),
    ];
    expect(await post('a1', [start, intake])).toEqual({ accepted: 2, rejected: [] });
    const fromLab = [
      shared.attended(1, '2025-02-10'),
      shared.attended(2, '2025-02-17'),
      shared.retract(intake.id, '2025-02-17'),
    ];
    expect(await post('a2', fromLab)).toEqual({ accepted: 3, rejected: [] });
    expect(await rowOf(shared.id)).toMatchObject({
      clinic_id: CLINIC_A,
      started: 1,
      sessions_attended: 2,
      retracted_count: 1,
    });
  });

  it('accepts a resent event again and stores it once; refuses it from another clinic', async () => {
    if (aStart === undefined) throw new Error('no start');
    const before = await stats();
    expect(await post('a1', [aStart, aStart])).toEqual({ accepted: 2, rejected: [] });
    expect(await post('a2', [aStart])).toEqual({ accepted: 1, rejected: [] });
    const resentByB = await post('b', [{ ...aStart, clinicId: CLINIC_B }]);
    expect(resentByB.rejected.map((r) => r.errors[0]?.path)).toEqual(['episodeId']);
    expect(await stats()).toEqual(before);
    expect(await rowOf(a.id)).toEqual(aRowBefore);
  });

  it('accepts a retraction of an id not stored yet: events arrive out of order', async () => {
    const late = episode(CLINIC_A, 'a-late');
    const body = await post('a1', [late.retract(randomUUID(), '2025-03-10')]);
    expect(body).toEqual({ accepted: 1, rejected: [] });
  });

  it('within a batch, the first accepted event of a new episode makes its clinic the owner', async () => {
    // One key writing two clinics: an episode still stays with one of them.
    const x = episode(CLINIC_C, 'cd-new');
    const asD = (event: CatalogEvent) => ({ ...event, clinicId: CLINIC_D }) as CatalogEvent;
    const other = episode(CLINIC_C, 'cd-other');
    const third = episode(CLINIC_C, 'cd-third');
    const otherStart = other.started('2025-01-06');
    const invalid = asD(x.started('2025-01-06'));
    const batch = [
      { ...invalid, payload: { ...invalid.payload, ageBand: '30' } }, // refused: owns nothing
      asD(x.started('2025-01-06')), // the first accepted event: D owns the episode
      x.started('2025-01-06'), // C
      asD(x.attended(1, '2025-01-13')),
      otherStart,
      third.retract(otherStart.id, '2025-01-13'), // names an event of another episode
      asD(x.retract(randomUUID(), '2025-01-13')),
    ];
    const body = await post('cd', batch);
    expect(body.accepted).toBe(4);
    expect(body.rejected.map((r) => [r.index, r.errors.map((e) => e.path)])).toEqual([
      [0, ['payload.ageBand']],
      [2, ['episodeId']],
      [5, ['payload.eventId']],
    ]);
    expect(body.rejected[2]?.errors[0]?.message).toBe(OTHER_EPISODE_RETRACTION_MESSAGE);
    expect(await rowOf(x.id)).toMatchObject({
      clinic_id: CLINIC_D,
      started: 1,
      sessions_attended: 1,
    });
    expect(await rowOf(third.id)).toBeUndefined();
  });

  it('lets only one of two batches racing for a new episode have it', async () => {
    const contested = episode(CLINIC_A, 'raced');
    const fromA = [contested.started('2025-07-07'), contested.attended(1, '2025-07-14')];
    const fromB = [
      { ...contested.started('2025-07-01'), clinicId: CLINIC_B } as CatalogEvent,
      { ...contested.attended(1, '2025-07-08'), clinicId: CLINIC_B } as CatalogEvent,
    ];
    const [ra, rb] = await Promise.all([post('a1', fromA), post('b', fromB)]);
    expect([ra.accepted, rb.accepted].sort()).toEqual([0, 2]);
    const winner = ra.accepted === 2 ? CLINIC_A : CLINIC_B;
    expect(await rowOf(contested.id)).toMatchObject({
      clinic_id: winner,
      started: 1,
      event_count: 2,
    });
  });

  it("after all of it, A's episode is still unchanged", async () => {
    // (The outcomes are compared right after the hostile posts: the later tests add episodes.)
    expect(await rowOf(a.id)).toEqual(aRowBefore);
  });
});
