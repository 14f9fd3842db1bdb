/**
 * @fileoverview Numbers that can be cited, through createCaller against embedded chDB: a
 * simulated network is posted in batches recorded a second apart; every procedure's answer is
 * taken at moment T for the steward (exact), a researcher (protected) and a clinic reader (its
 * own clinic); then the rest of the stream arrives late with retractions and corrections of
 * scores recorded before T. Asked `asOf` T, and of a release frozen as of T, every procedure
 * answers field for field what it answered at T (protected noise included), before and after a
 * replay, while the live answers have moved. `verify` passes, and names the episode whose frozen
 * row is changed by hand in the warehouse. Who may list, make and delete releases is enforced.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Principal } from '@ipt/analytics';
import { createAccessLog, createCohortBudget, readAccessLog } from '@ipt/analytics/server';
import {
  builtEpisode,
  foldAll,
  testDisclosure,
  testPrincipals,
  testRecordKeys,
} from '@ipt/analytics/testing';
import type { CatalogEvent, RecordedEvent } from '@ipt/events';
import { type AgeBand, DEFINITIONS_VERSION } from '@ipt/protocol';
import { pseudonymFromToken, simulateNetwork } from '@ipt/simulator';
import {
  appendEvents,
  defineQuery,
  migrate,
  projectEpisodes,
  replay,
  Warehouse,
} from '@ipt/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCaller } from '../src/index.js';

const K = 11;
const simulated: CatalogEvent[] = [...simulateNetwork({ seed: 1207, episodes: 1500, clinics: 4 })];
const CLINICS = [...new Set(simulated.map((e) => e.clinicId))].sort();
const [HOME] = CLINICS as [string];
const BEFORE = Math.floor(simulated.length * 0.7);
const START = Date.now() - 3_600_000;
let dataDir: string;
let warehouse: Warehouse;
let accessLog: ReturnType<typeof createAccessLog>;
let batchNo = 0;
let T = '';

const callerFor = (principal: Principal | null) =>
  createCaller({
    warehouse,
    disclosure: { ...testDisclosure, minCellSize: K },
    budget: createCohortBudget(warehouse, { perDay: 10_000 }),
    principal,
    accessLog,
  });
const clinicReader = testPrincipals.clinic([HOME]);
const READERS = {
  steward: testPrincipals.steward,
  researcher: testPrincipals.researcher,
  clinic: clinicReader,
} as const;

/** Posts events as one batch, recorded a second after the last, projected as the ingest does. */
async function post(events: readonly CatalogEvent[]): Promise<string> {
  const recordedAt = new Date(START + ++batchNo * 1000).toISOString();
  const stamped: RecordedEvent[] = events.map((e) => ({ ...e, recordedAt, sourceId: 'test' }));
  await appendEvents(warehouse, stamped);
  await projectEpisodes(
    warehouse,
    stamped.map((e) => e.episodeId),
    testRecordKeys,
    { since: recordedAt },
  );
  return recordedAt;
}

/** Every procedure a reader may call, with the basis given: name -> answer (basis aside). */
async function everything(
  principal: Principal,
  basis: { asOf?: string; release?: string },
): Promise<Record<string, unknown>> {
  const api = callerFor(principal);
  const filters = principal.role === 'clinic' ? { clinic: [HOME] } : {};
  const strip = <T extends object>(answer: T) => {
    const { basis: _b, ...rest } = answer as T & { basis?: unknown };
    return rest;
  };
  const answers: Record<string, unknown> = {
    overview: strip(await api.outcomes.overview({ filters, ...basis })),
    compare: strip(
      await api.outcomes.compare({ groupBy: ['problemArea', 'medication'], filters, ...basis }),
    ),
    adjusted: strip(await api.outcomes.adjusted({ compare: 'medication', filters, ...basis })),
    trajectories: strip(
      await api.outcomes.trajectories({ groupBy: 'problemArea', filters, ...basis }),
    ),
    timeToImprovement: strip(
      await api.outcomes.timeToImprovement({ groupBy: 'medication', filters, ...basis }),
    ),
    doseResponse: strip(await api.outcomes.doseResponse({ filters, ...basis })),
    auditClinics: strip(await api.outcomes.audit({ level: 'clinic', filters, ...basis })),
    expected: strip(await api.care.expectedRecovery({ filters: {}, ...basis })),
  };
  if (principal.role !== 'researcher') {
    answers.auditTherapists = strip(
      await api.outcomes.audit({ level: 'therapist', filters, ...basis }),
    );
    answers.offTrack = strip(await api.care.offTrack({ ...basis }));
    const someone = simulated.find((e) => e.clinicId === HOME && e.type === 'phq9.recorded');
    const episode = await api.care.episode({ episodeId: String(someone?.episodeId), ...basis });
    answers.episode = episode === null ? null : strip(episode);
  }
  return answers;
}

const atT: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ipt-as-of-'));
  warehouse = new Warehouse({ mode: 'embedded', dataDir });
  await migrate(warehouse);
  accessLog = createAccessLog(warehouse);
  for (let i = 0; i < BEFORE; i += 4000) {
    T = await post(simulated.slice(i, Math.min(i + 4000, BEFORE)));
  }
  for (const [name, principal] of Object.entries(READERS)) {
    atT[name] = await everything(principal, {});
  }
}, 300_000);
afterAll(async () => {
  await accessLog.flush();
  await warehouse.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Retractions of 40 scores recorded before T, and corrected scores in their place. */
function corrections(): CatalogEvent[] {
  const scores = simulated
    .slice(0, BEFORE)
    .filter((e) => e.type === 'phq9.recorded')
    .filter((_, i) => i % 97 === 0)
    .slice(0, 40);
  return scores.flatMap((score, i) => [
    {
      ...score,
      id: `7a1e0000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      type: 'event.retracted',
      schemaVersion: 1,
      payload: { eventId: score.id, reason: 'entered_in_error' },
    } as unknown as CatalogEvent,
    {
      ...score,
      id: `7a1e0000-0000-4000-9000-${String(i).padStart(12, '0')}`,
      payload: { ...(score.payload as object), items: [3, 3, 3, 3, 3, 3, 3, 3, 0] },
    } as unknown as CatalogEvent,
  ]);
}

describe('as of a moment', () => {
  beforeAll(async () => {
    await post(corrections());
    for (let i = BEFORE; i < simulated.length; i += 4000) {
      await post(simulated.slice(i, Math.min(i + 4000, simulated.length)));
    }
  }, 300_000);

  it('has moved on live: the late events and corrections change the numbers', async () => {
    for (const [name, principal] of Object.entries(READERS)) {
      const now = await everything(principal, {});
      expect(now.overview, name).not.toEqual(atT[name]?.overview);
      expect(now.trajectories, name).not.toEqual(atT[name]?.trajectories);
    }
  });

  it('answers every procedure, for every reader, field for field as it answered at T', async () => {
    for (const [name, principal] of Object.entries(READERS)) {
      const asOf = await everything(principal, { asOf: T });
      expect(Object.keys(asOf).length).toBeGreaterThanOrEqual(8);
      for (const [procedure, answer] of Object.entries(asOf)) {
        expect(answer, `${name} ${procedure}`).toEqual(atT[name]?.[procedure]);
      }
    }
  });

  it('says what it is computed from', async () => {
    const api = callerFor(testPrincipals.steward);
    const live = await api.outcomes.overview({ filters: {} });
    expect(live).toMatchObject({
      basis: { release: null, asOf: null, definitionsVersion: DEFINITIONS_VERSION },
    });
    const past = await api.outcomes.overview({ filters: {}, asOf: T });
    expect(past).toMatchObject({
      basis: { release: null, asOf: T, definitionsVersion: DEFINITIONS_VERSION },
    });
    expect(await api.releases.basis({ asOf: T })).toMatchObject({ recordedUpTo: T });
    const latest = new Date(START + batchNo * 1000).toISOString();
    expect(await api.releases.basis({})).toMatchObject({ recordedUpTo: latest });
  });

  it('refuses a moment in the future, a malformed one, and both a moment and a release', async () => {
    const api = callerFor(testPrincipals.steward);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    await expect(api.outcomes.overview({ filters: {}, asOf: future })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('in the future'),
    });
    await expect(api.outcomes.overview({ filters: {}, asOf: 'yesterday' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      api.outcomes.overview({ filters: {}, asOf: T, release: 'x' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('not both') });
    await expect(api.outcomes.dataQuality({ filters: {}, asOf: T })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('refuses a caller without a principal', async () => {
    const nobody = callerFor(null);
    await expect(nobody.outcomes.overview({ filters: {}, asOf: T })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(nobody.releases.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('differencing across moments', () => {
  it('recovers one episode that joined a cohort between two moments no better than chance', async () => {
    // Cohorts of a clinic and an age band with at least k episodes now (the steward's exact
    // numbers); one more episode joins each.
    const exactApi = callerFor(testPrincipals.steward);
    const cells = [
      ...new Set(
        foldAll(simulated)
          .filter((x) => x.started)
          .map((s) => `${s.clinicId}|${s.ageBand}`),
      ),
    ];
    const targets: Array<[string]> = [];
    for (const cell of cells) {
      const [clinic, ageBand] = cell.split('|') as [string, AgeBand];
      const o = await exactApi.outcomes.overview({
        filters: { clinic: [clinic], ageBand: [ageBand] },
      });
      if (o.total?.suppressed === false) targets.push([cell]);
    }
    expect(targets.length).toBeGreaterThanOrEqual(15);
    const before = new Date(START + batchNo * 1000).toISOString();
    const joined = targets.flatMap(([cell], i) => {
      const template = simulated.find(
        (e) =>
          e.type === 'episode.started' &&
          `${e.clinicId}|${(e.payload as { ageBand: string }).ageBand}` === cell,
      );
      if (template === undefined) throw new Error(`no episode of ${cell} to copy`);
      return builtEpisode({
        clinicId: template.clinicId,
        episodeId: pseudonymFromToken('episodeId', `joined-${i}`),
        clientId: pseudonymFromToken('clientId', `joined-${i}`),
        started: template.payload,
        totals: [15, 12, 9],
      });
    });
    await post(joined);
    const api = callerFor(testPrincipals.researcher);
    let exact = 0;
    for (const [cell] of targets) {
      const [clinic, ageBand] = cell.split('|') as [string, AgeBand];
      const filters = { clinic: [clinic], ageBand: [ageBand] };
      // The truth, from the steward's exact numbers: exactly one episode joined.
      const truth = [
        await exactApi.outcomes.overview({ filters, asOf: before }),
        await exactApi.outcomes.overview({ filters }),
      ].map((o) => (o.total?.suppressed === false ? o.total.n : Number.NaN));
      expect(Number(truth[1]) - Number(truth[0]), cell).toBe(1);
      const then = await api.outcomes.overview({ filters, asOf: before });
      const now = await api.outcomes.overview({ filters });
      expect(then.protected && now.protected).toBe(true);
      const n = (o: typeof now) => (o.total?.suppressed === false ? o.total.n : null);
      const a = n(then);
      const b = n(now);
      if (a !== null && b !== null && b - a === 1) exact += 1;
    }
    // Without noise every try recovers the one episode. Two independent noises on {-1, 0, 1}
    // are equal with probability 1/3; the bound allows three binomial standard deviations.
    const p = 1 / 3;
    const bound = targets.length * p + 3 * Math.sqrt(targets.length * p * (1 - p));
    expect(exact).toBeLessThanOrEqual(bound);
  }, 300_000);
});

describe('a frozen release', () => {
  const NAME = 'audit-2026-q2';
  const frozen: Record<string, Record<string, unknown>> = {};

  beforeAll(async () => {
    await callerFor(testPrincipals.steward).releases.create({
      name: NAME,
      asOf: T,
      note: 'synthetic test network',
    });
    for (const [name, principal] of Object.entries(READERS)) {
      frozen[name] = await everything(principal, { release: NAME });
    }
  }, 300_000);

  it('is made by the steward only, listed for every reader, and logged', async () => {
    for (const principal of [testPrincipals.researcher, clinicReader]) {
      await expect(
        callerFor(principal).releases.create({ name: 'mine', asOf: T }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(callerFor(principal).releases.delete({ name: NAME })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(callerFor(principal).releases.verify({ name: NAME })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      const { releases } = await callerFor(principal).releases.list();
      expect(releases).toEqual([
        expect.objectContaining({
          name: NAME,
          asOf: T,
          definitionsVersion: DEFINITIONS_VERSION,
          createdBy: testPrincipals.steward.name,
          episodes: expect.any(Number),
          contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
      ]);
    }
    await accessLog.flush();
    const log = await readAccessLog(warehouse, testPrincipals.steward, { limit: 10_000 });
    const made = log.filter((e) => e.procedure === 'mutation:releases.create');
    expect(made.map((e) => [e.principal, e.status]).sort()).toEqual(
      [
        [testPrincipals.steward.name, 0],
        [testPrincipals.steward.name, 200],
        [testPrincipals.researcher.name, 0],
        [testPrincipals.researcher.name, 403],
        [clinicReader.name, 0],
        [clinicReader.name, 403],
      ].sort(),
    );
  });

  it('answers what was answered at T, for every reader and procedure', () => {
    for (const name of Object.keys(READERS)) {
      expect(frozen[name], name).toEqual(atT[name]);
    }
  });

  it('answers the same after more late events and a replay; as of T does too', async () => {
    await post(corrections().map((e, i) => ({ ...e, id: e.id.replace('7a1e', `7b${i % 10}e`) })));
    await replay(warehouse, testRecordKeys);
    for (const [name, principal] of Object.entries(READERS)) {
      expect(await everything(principal, { release: NAME }), name).toEqual(frozen[name]);
      expect(await everything(principal, { asOf: T }), name).toEqual(atT[name]);
    }
  }, 300_000);

  it('verifies, and names the episode whose frozen row was changed by hand', async () => {
    const api = callerFor(testPrincipals.steward);
    const good = await api.releases.verify({ name: NAME });
    expect(good).toMatchObject({ ok: true, differing: [] });
    expect(good.computed).toEqual(good.recorded);
    // A hash of rows, not of nothing: not SHA-256 of the empty string.
    expect(good.recorded.contentHash).not.toBe(createHash('sha256').update('').digest('hex'));
    expect(good.recorded.episodes).toBeGreaterThan(900);
    const victim = simulated.find((e) => e.type === 'episode.started')?.episodeId ?? '';
    const victimRow = defineQuery({
      name: 'test.victim',
      sql: 'SELECT sessions_attended FROM release_episodes WHERE release = {name:String} AND episode_id = {id:String}',
      params: z.object({ name: z.string(), id: z.string() }),
      row: z.object({ sessions_attended: z.coerce.number() }),
    });
    const [before] = await warehouse.query(victimRow, { name: NAME, id: victim });
    expect(before).toBeDefined();
    await warehouse.command(
      'test.tamper',
      'ALTER TABLE release_episodes UPDATE sessions_attended = sessions_attended + 1 WHERE release = {name:String} AND episode_id = {id:String} SETTINGS mutations_sync = 2',
      { name: NAME, id: victim },
    );
    expect(await warehouse.query(victimRow, { name: NAME, id: victim })).toEqual([
      { sessions_attended: Number(before?.sessions_attended) + 1 },
    ]);
    const bad = await api.releases.verify({ name: NAME });
    expect(bad.ok).toBe(false);
    expect(bad.computed.contentHash).not.toBe(bad.recorded.contentHash);
    expect(bad.computed.episodes).toBe(bad.recorded.episodes);
    expect(bad.differing).toEqual([victim]);
  });

  it('is asked of by name: an unknown one is 404, a deleted one too, and its name is never reused', async () => {
    const api = callerFor(testPrincipals.steward);
    await expect(
      api.outcomes.overview({ filters: {}, release: 'no-such-release' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await api.releases.create({ name: 'short-lived', asOf: T });
    await api.releases.delete({ name: 'short-lived' });
    await expect(
      api.outcomes.overview({ filters: {}, release: 'short-lived' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.releases.create({ name: 'short-lived', asOf: T })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(api.releases.create({ name: NAME, asOf: T })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(api.releases.create({ name: 'Bad Name!', asOf: T })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const { releases } = await api.releases.list();
    expect(releases.map((r) => r.name)).toEqual([NAME]);
  });
});
