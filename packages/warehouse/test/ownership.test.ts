/**
 * @fileoverview Episode ownership in the projection, with hostile events appended straight to
 * the event log (bypassing the ingest, as a producer writing the Kafka topic would): an episode
 * is folded from the events of the clinic of its first recorded event only (earliest recordedAt,
 * then id; never the earliest occurredOn); another clinic's events in it (a start with an earlier
 * date, a session, a score, a retraction of the owner's start) change nothing, and each is
 * written to dead_letters once, however often the episode is projected again; a retraction of
 * another clinic's event is dropped the same way; a replay equals the incremental state.
 */
import { randomUUID } from 'node:crypto';
import type { CatalogEvent, RecordedEvent } from '@ipt/events';
import { episodeBuilder } from '@ipt/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  appendEvents,
  defineQuery,
  episodeOwners,
  eventHomes,
  FOREIGN_EPISODE_REASON,
  FOREIGN_RETRACTION_REASON,
  ownedEvents,
  ownerOf,
  projectEpisodes,
  replay,
  type Warehouse,
} from '../src/index.js';
import { freshWarehouse, testKeys } from './helpers.js';

const CLINIC_A = 'own-proj-a';
const CLINIC_B = 'own-proj-b';
const episode = episodeBuilder('warehouse ownership suite secret, 32+ bytes long');

const episodeRow = defineQuery({
  name: 'test.ownership.episode',
  sql: 'SELECT * EXCEPT (version, projected_at) FROM episodes FINAL WHERE episode_id = {id:String}',
  params: z.object({ id: z.string() }),
  row: z.record(z.string(), z.unknown()),
});
const allEpisodes = defineQuery({
  name: 'test.ownership.episodes',
  sql: 'SELECT * EXCEPT (version, projected_at) FROM episodes FINAL ORDER BY episode_id',
  params: z.object({}),
  row: z.record(z.string(), z.unknown()),
});
const allScores = defineQuery({
  name: 'test.ownership.scores',
  sql: 'SELECT * EXCEPT (version) FROM episode_scores FINAL ORDER BY episode_id, event_id',
  params: z.object({}),
  row: z.record(z.string(), z.unknown()),
});
const scoresOf = defineQuery({
  name: 'test.ownership.scores_of',
  sql: 'SELECT toString(event_id) AS event_id, clinic_id FROM episode_scores FINAL WHERE episode_id = {id:String} ORDER BY event_id',
  params: z.object({ id: z.string() }),
  row: z.object({ event_id: z.string(), clinic_id: z.string() }),
});
const deadLetters = defineQuery({
  name: 'test.ownership.dead_letters',
  sql: "SELECT episode_id, event_id, reason, payload FROM dead_letters WHERE origin = 'projector' ORDER BY event_id, reason",
  params: z.object({}),
  row: z.object({
    episode_id: z.string(),
    event_id: z.string(),
    reason: z.string(),
    payload: z.string(),
  }),
});

let clock = Date.parse('2026-05-01T08:00:00.000Z');
/** Stamps a batch as the ingest would, one second after the previous batch. */
function stamped(events: readonly CatalogEvent[], sourceId: string): RecordedEvent[] {
  clock += 1000;
  const recordedAt = new Date(clock).toISOString();
  return events.map((e) => ({ ...e, recordedAt, sourceId }));
}

async function append(warehouse: Warehouse, events: readonly RecordedEvent[]) {
  await appendEvents(warehouse, events);
  return projectEpisodes(
    warehouse,
    events.map((e) => e.episodeId),
    testKeys,
  );
}

let ctx: Awaited<ReturnType<typeof freshWarehouse>>;
let warehouse: Warehouse;

beforeAll(async () => {
  ctx = await freshWarehouse();
  warehouse = ctx.warehouse;
});
afterAll(async () => ctx.dispose());

describe('ownerOf and ownedEvents', () => {
  const a = episode(CLINIC_A, 'unit');
  const at = (event: CatalogEvent, recordedAt: string, id?: string): RecordedEvent => ({
    ...event,
    ...(id === undefined ? {} : { id }),
    recordedAt,
    sourceId: 's',
  });

  it('takes the owner from the earliest recordedAt, not the earliest occurredOn', () => {
    const first = at(a.started('2025-03-01'), '2026-01-01T00:00:00.000Z');
    const hostile = at(
      { ...a.started('2024-01-01'), clinicId: CLINIC_B },
      '2026-01-02T00:00:00.000Z',
    );
    expect(ownerOf([hostile, first])).toBe(CLINIC_A);
    expect(ownedEvents([hostile, first])).toEqual({
      kept: [first],
      dropped: [{ event: hostile, reason: FOREIGN_EPISODE_REASON }],
    });
  });

  it('breaks a tie of recordedAt by the id, in any order of the input', () => {
    const t = '2026-01-01T00:00:00.000Z';
    const low = at(a.started('2025-03-01'), t, '00000000-0000-4000-8000-000000000001');
    const high = at(
      { ...a.started('2025-03-01'), clinicId: CLINIC_B },
      t,
      'ffffffff-0000-4000-8000-000000000001',
    );
    expect(ownerOf([high, low])).toBe(CLINIC_A);
    expect(ownerOf([low, high])).toBe(CLINIC_A);
    expect(ownerOf([])).toBeNull();
  });
});

describe('hostile events appended straight to the log', () => {
  const a = episode(CLINIC_A, 'target');
  const b = episode(CLINIC_B, 'their-own');
  const hostile = {
    ...a.envelope,
    clinicId: CLINIC_B,
  };
  const aEvents: CatalogEvent[] = [
    a.started('2025-06-02'),
    a.phq9(0, 18, '2025-06-02'),
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].flatMap((n) => {
      const day = new Date(Date.parse('2025-06-02') + n * 7 * 86_400_000).toISOString();
      return [a.attended(n, day.slice(0, 10)), a.phq9(n, Math.max(0, 18 - n), day.slice(0, 10))];
    }),
    a.ended('2025-09-01'),
  ];
  const [aStart] = aEvents;
  if (aStart === undefined) throw new Error('no start');
  const aScore = aEvents.find((e) => e.type === 'phq9.recorded');
  if (aScore === undefined) throw new Error('no score');
  // Clinic B writing into A's episode: an earlier start (which the fold's earliest-occurredOn
  // envelope would have moved to B), a session, a score, and a retraction of A's start.
  const earlierStart = { ...a.started('2024-01-01'), ...hostile } as CatalogEvent;
  const session = { ...a.attended(13, '2025-08-30'), ...hostile } as CatalogEvent;
  const score = { ...a.phq9(13, 27, '2025-08-30'), ...hostile } as CatalogEvent;
  const retraction = { ...a.retract(aStart.id, '2025-08-30'), ...hostile } as CatalogEvent;
  const hostileEvents = [earlierStart, session, score, retraction];
  let before: Record<string, unknown>[];
  let scoresBefore: Array<{ event_id: string; clinic_id: string }>;

  beforeAll(async () => {
    await append(warehouse, stamped(aEvents, 'a-ehr'));
    await append(
      warehouse,
      stamped([b.started('2025-07-01'), b.phq9(0, 12, '2025-07-01')], 'b-ehr'),
    );
    before = await warehouse.query(episodeRow, { id: a.id });
    scoresBefore = await warehouse.query(scoresOf, { id: a.id });
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ clinic_id: CLINIC_A, started: 1, sessions_attended: 12 });
    const result = await append(warehouse, stamped(hostileEvents, 'b-ehr'));
    expect(result.deadLettered).toBe(hostileEvents.length);
  });

  it("leaves the owner's episode exactly as it was", async () => {
    expect(await warehouse.query(episodeRow, { id: a.id })).toEqual(before);
    expect(await warehouse.query(scoresOf, { id: a.id })).toEqual(scoresBefore);
    expect(scoresBefore.every((s) => s.clinic_id === CLINIC_A)).toBe(true);
  });

  it('writes each hostile event to dead_letters with the rule it breaks', async () => {
    const rows = await warehouse.query(deadLetters, {});
    expect(rows.map((r) => r.event_id).sort()).toEqual(hostileEvents.map((e) => e.id).sort());
    for (const row of rows) {
      expect(row.episode_id).toBe(a.id);
      expect(row.reason).toBe(FOREIGN_EPISODE_REASON);
      expect(JSON.parse(row.payload)).toMatchObject({ clinicId: CLINIC_B, episodeId: a.id });
    }
  });

  it('dead-letters each event once, however often the episode is projected again', async () => {
    await projectEpisodes(warehouse, [a.id], testKeys);
    await projectEpisodes(warehouse, [a.id, b.id], testKeys);
    // A later event of the owner re-folds the episode as well.
    const followUp = a.phq9(12, 5, '2025-09-02');
    await append(warehouse, stamped([followUp], 'a-ehr'));
    expect(await warehouse.query(deadLetters, {})).toHaveLength(hostileEvents.length);
    const row = (await warehouse.query(episodeRow, { id: a.id }))[0];
    expect(row).toMatchObject({ clinic_id: CLINIC_A, started: 1, sessions_attended: 12 });
    expect(row?.event_count).toBe(Number(before[0]?.event_count) + 1);
  });

  it("drops a retraction of another clinic's event, and keeps the other clinic's episode whole", async () => {
    // The owner retracting the hostile score stored in its episode: the score was never folded,
    // and the retraction of a foreign event is set aside as well.
    const ownRetraction = a.retract(score.id, '2025-09-03');
    const rowBefore = await warehouse.query(episodeRow, { id: a.id });
    await append(warehouse, stamped([ownRetraction], 'a-ehr'));
    const rows = await warehouse.query(deadLetters, {});
    expect(rows.filter((r) => r.event_id === ownRetraction.id)).toEqual([
      expect.objectContaining({ episode_id: a.id, reason: FOREIGN_RETRACTION_REASON }),
    ]);
    expect(await warehouse.query(episodeRow, { id: a.id })).toEqual(rowBefore);
    // B's own episode: B's events, B's clinic, untouched by any of this.
    expect((await warehouse.query(episodeRow, { id: b.id }))[0]).toMatchObject({
      clinic_id: CLINIC_B,
      started: 1,
    });
  });

  it('an episode whose first recorded event is hostile belongs to that clinic, by recordedAt', async () => {
    // A new episode id seen first from B: B owns it, and A's later events are set aside. The
    // rule is the order of recording, whichever clinic comes first.
    const contested = episode(CLINIC_B, 'contested');
    await append(warehouse, stamped([contested.started('2025-10-01')], 'b-ehr'));
    const late = { ...contested.started('2025-01-01'), clinicId: CLINIC_A } as CatalogEvent;
    await append(warehouse, stamped([late], 'a-ehr'));
    expect((await warehouse.query(episodeRow, { id: contested.id }))[0]).toMatchObject({
      clinic_id: CLINIC_B,
      started_on: '2025-10-01',
    });
    expect((await warehouse.query(deadLetters, {})).map((r) => r.event_id)).toContain(late.id);
  });

  it('answers the owners and event homes the ingest screens with', async () => {
    const owners = await episodeOwners(warehouse, [a.id, b.id, 'e_not_stored_anywhere_here']);
    expect(owners).toEqual(
      new Map([
        [a.id, CLINIC_A],
        [b.id, CLINIC_B],
      ]),
    );
    const homes = await eventHomes(warehouse, [aStart.id.toUpperCase(), score.id, randomUUID()]);
    expect(homes).toEqual(
      new Map([
        [aStart.id, { clinicId: CLINIC_A, episodeId: a.id }],
        [score.id, { clinicId: CLINIC_B, episodeId: a.id }],
      ]),
    );
  });

  it('replays to the incremental state, without dead-lettering anything twice', async () => {
    const episodes = await warehouse.query(allEpisodes, {});
    const scores = await warehouse.query(allScores, {});
    const letters = await warehouse.query(deadLetters, {});
    await replay(warehouse, testKeys);
    expect(await warehouse.query(allEpisodes, {})).toEqual(episodes);
    expect(await warehouse.query(allScores, {})).toEqual(scores);
    expect(await warehouse.query(deadLetters, {})).toEqual(letters);
  });
});
