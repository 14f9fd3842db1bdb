/**
 * @fileoverview Who may read what, through createCaller against embedded chDB with a simulated
 * network: every procedure refuses a caller without a principal; a clinic reader gets its own
 * clinics exact and nothing else of another clinic (no unit, no operational record), only
 * network aggregates; a researcher has no therapist audit and no operational data; and, over
 * random principals, procedures and filters, no response carries a clinic's data outside the
 * principal's scope. Every call lands in the access log, without its numbers; a change is
 * logged before it is made.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutcomeFilters, Principal } from '@ipt/analytics';
import { createAccessLog, createCohortBudget, readAccessLog } from '@ipt/analytics/server';
import { foldAll, testDisclosure, testPrincipals, testRecordKeys } from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import { simulateNetwork } from '@ipt/simulator';
import { appendEvents, migrate, projectEpisodes, Warehouse } from '@ipt/warehouse';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../src/index.js';

const K = 11;
const events: CatalogEvent[] = [...simulateNetwork({ seed: 77, episodes: 900, clinics: 8 })];
const CLINICS = [...new Set(events.map((e) => e.clinicId))].sort();
let dataDir: string;
let warehouse: Warehouse;
let accessLog: ReturnType<typeof createAccessLog>;

const callerFor = (principal: Principal | null) =>
  createCaller({
    warehouse,
    disclosure: { ...testDisclosure, minCellSize: K },
    budget: createCohortBudget(warehouse, { perDay: 1000 }),
    principal,
    accessLog,
  });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ipt-scope-'));
  warehouse = new Warehouse({ mode: 'embedded', dataDir });
  await migrate(warehouse);
  accessLog = createAccessLog(warehouse);
  const recordedAt = new Date().toISOString();
  const stored = events.map((e) => ({ ...e, recordedAt, sourceId: 'scope-test' }));
  await appendEvents(warehouse, stored);
  await projectEpisodes(
    warehouse,
    stored.map((e) => e.episodeId),
    testRecordKeys,
  );
}, 120_000);
afterAll(async () => {
  await accessLog.flush();
  await warehouse.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const PROCEDURES = {
  overview: (c: ReturnType<typeof callerFor>, filters: OutcomeFilters) =>
    c.outcomes.overview({ filters }),
  compare: (c: ReturnType<typeof callerFor>, filters: OutcomeFilters) =>
    c.outcomes.compare({ groupBy: ['problemArea', 'medication'], filters }),
  trajectories: (c: ReturnType<typeof callerFor>, filters: OutcomeFilters) =>
    c.outcomes.trajectories({ groupBy: 'medication', filters }),
  doseResponse: (c: ReturnType<typeof callerFor>, filters: OutcomeFilters) =>
    c.outcomes.doseResponse({ filters }),
  clinicAudit: (c: ReturnType<typeof callerFor>, filters: OutcomeFilters) =>
    c.outcomes.audit({ level: 'clinic', filters }),
  therapistAudit: (c: ReturnType<typeof callerFor>, filters: OutcomeFilters) =>
    c.outcomes.audit({ level: 'therapist', filters }),
  dataQuality: (c: ReturnType<typeof callerFor>, filters: OutcomeFilters) =>
    c.outcomes.dataQuality({ filters }),
  adjusted: (c: ReturnType<typeof callerFor>, filters: OutcomeFilters) =>
    c.outcomes.adjusted({ compare: 'problemArea', filters }),
  timeToImprovement: (c: ReturnType<typeof callerFor>, filters: OutcomeFilters) =>
    c.outcomes.timeToImprovement({ groupBy: 'medication', filters }),
} as const;
type ProcedureName = keyof typeof PROCEDURES;
const NAMES = Object.keys(PROCEDURES) as ProcedureName[];

describe('a caller without a principal', () => {
  it.each(NAMES)('is refused by %s with UNAUTHORIZED', async (name) => {
    await expect(PROCEDURES[name](callerFor(null), {})).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('is refused by the cohort and access-log procedures, and told nobody is signed in', async () => {
    const anonymous = callerFor(null);
    await expect(anonymous.cohorts.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(anonymous.cohorts.save({ name: 'x1', filters: {} })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(anonymous.cohorts.delete({ name: 'x1' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(anonymous.access.log({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await anonymous.access.me()).toBeNull();
  });

  it('is refused by the signals for care: expected curves, the off-track list, an episode', async () => {
    const anonymous = callerFor(null);
    await expect(anonymous.care.expectedRecovery({ filters: {} })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(anonymous.care.offTrack({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(
      anonymous.care.episode({ episodeId: 'e_k3Jx9QmZ2vB7wLp0sT4uY8nR1cF6hD' }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('a clinic reader', () => {
  const own = CLINICS.slice(0, 2);
  const reader = () => callerFor(testPrincipals.clinic(own));
  const steward = () => callerFor(testPrincipals.steward);

  it('gets its own clinics exactly as the steward does', async () => {
    const filters = { clinic: own };
    for (const name of ['overview', 'compare', 'trajectories', 'doseResponse'] as const) {
      expect(await PROCEDURES[name](reader(), filters)).toEqual(
        await PROCEDURES[name](steward(), filters),
      );
    }
    const overview = await reader().outcomes.overview({ filters });
    expect(overview.disclosure).toBe('exact');
    const expected = foldAll(events).filter((s) => s.started && own.includes(s.clinicId)).length;
    expect(overview.total?.n).toBe(expected);
  });

  it('is refused a filter on another clinic, alone or beside its own', async () => {
    for (const clinic of [[CLINICS[3] ?? ''], [...own, CLINICS[4] ?? '']]) {
      for (const name of NAMES) {
        await expect(PROCEDURES[name](reader(), { clinic })).rejects.toMatchObject({
          code: 'FORBIDDEN',
        });
      }
    }
  });

  it('sees the network only as an aggregate, marked protected', async () => {
    const overview = await reader().outcomes.overview({ filters: {} });
    expect(overview.disclosure).toBe('protected');
    expect(overview.protected).toBe(true);
    // Protected: within the noise D = 1 of the exact count.
    const exact = foldAll(events).filter((s) => s.started).length;
    expect(Math.abs((overview.total?.n ?? Number.NaN) - exact)).toBeLessThanOrEqual(1);
  });

  it('sees only its own clinics and their therapists in the audit, against the network rate', async () => {
    for (const level of ['clinic', 'therapist'] as const) {
      const mine = await reader().outcomes.audit({ level, filters: {} });
      const all = await steward().outcomes.audit({ level, filters: {} });
      expect(mine.units.length).toBeGreaterThan(0);
      expect(mine.units.every((u) => own.includes(u.clinic))).toBe(true);
      // Its own units' counts and rates exactly; the network rate it is compared with, and so
      // its expected count, are protected.
      const exactPart = (u: (typeof mine.units)[number]) =>
        u.suppressed
          ? u
          : {
              unit: u.unit,
              n: u.n,
              eligible: u.eligible,
              reliableImprovement: u.reliableImprovement,
              sessionsWithinRange: u.sessionsWithinRange,
              problemAreaBySession3: u.problemAreaBySession3,
              phq9EverySession: u.phq9EverySession,
              selfHarmFlags: u.selfHarmFlags,
            };
      const theirs = all.units.filter((u) => own.includes(u.clinic));
      expect(mine.units.map(exactPart)).toEqual(theirs.map(exactPart));
      mine.units.forEach((u, i) => {
        const t = theirs[i];
        if (u.suppressed || t === undefined || t.suppressed || t.expected === null) return;
        expect(Math.abs((u.expected ?? Number.NaN) - t.expected) / t.expected).toBeLessThan(0.05);
      });
      expect(mine.protected).toBe(true);
      expect(Math.abs((mine.networkRate ?? Number.NaN) - (all.networkRate ?? 0))).toBeLessThan(
        0.01,
      );
    }
  });

  it('sees data quality of its own clinics only, whatever it asks', async () => {
    const mine = await reader().outcomes.dataQuality({ filters: {} });
    const stewardOwn = await steward().outcomes.dataQuality({ filters: { clinic: own } });
    expect(mine.pairedByClinic.map((c) => c.clinic).sort()).toEqual([...own].sort());
    expect(mine.findings).toEqual(stewardOwn.findings);
    // The episodes behind them: its own clinics' only, and all of them.
    const listed = await reader().outcomes.findingEpisodes({ filters: {} });
    expect(listed.episodes.length).toBe(mine.findings.reduce((n, f) => n + f.episodes, 0));
    expect(listed.episodes.length).toBeGreaterThan(0);
    for (const e of listed.episodes) expect(own).toContain(e.clinic);
    const other = CLINICS.find((c) => !own.includes(c)) ?? '';
    await expect(
      reader().outcomes.findingEpisodes({ filters: { clinic: [other] } }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // The simulator resends some events (as sources do); each id is stored once.
    const ownEvents = new Set(events.filter((e) => own.includes(e.clinicId)).map((e) => e.id)).size;
    expect(mine.ingestByDay.reduce((n, d) => n + d.events, 0)).toBe(ownEvents);
  });
});

describe('a researcher', () => {
  const researcher = () => callerFor(testPrincipals.researcher);

  it('has no therapist audit and no operational data', async () => {
    await expect(PROCEDURES.therapistAudit(researcher(), {})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(PROCEDURES.dataQuality(researcher(), {})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(researcher().outcomes.findingEpisodes({ filters: {} })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(researcher().access.log({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('gets network aggregates, marked protected', async () => {
    const overview = await researcher().outcomes.overview({ filters: {} });
    expect(overview.disclosure).toBe('protected');
    expect(overview.protected).toBe(true);
    const exact = foldAll(events).filter((s) => s.started).length;
    expect(Math.abs((overview.total?.n ?? Number.NaN) - exact)).toBeLessThanOrEqual(1);
  });
});

describe('cohorts belong to a principal', () => {
  it('keeps private cohorts private, shares network ones, and lets only the owner or a steward delete', async () => {
    const alice = callerFor({ ...testPrincipals.researcher, name: 'alice' });
    const bob = callerFor({ ...testPrincipals.researcher, name: 'bob' });
    await alice.cohorts.save({ name: 'Mine only', filters: { sex: ['female'] } });
    await alice.cohorts.save({
      name: 'For everyone',
      filters: { sex: ['male'] },
      visibility: 'network',
    });
    expect((await bob.cohorts.list()).map((c) => [c.name, c.owner, c.mine])).toEqual([
      ['For everyone', 'alice', false],
    ]);
    await expect(
      bob.cohorts.delete({ name: 'For everyone', owner: 'alice' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Bob's own cohort of the same name is another cohort, not a conflict with Alice's.
    await bob.cohorts.save({ name: 'For everyone', filters: {} });
    await callerFor(testPrincipals.steward).cohorts.delete({
      name: 'For everyone',
      owner: 'alice',
    });
    expect((await alice.cohorts.list()).map((c) => c.name)).toEqual(['Mine only']);
    expect((await bob.cohorts.list()).map((c) => [c.name, c.owner])).toEqual([
      ['For everyone', 'bob'],
    ]);
  });
});

describe('no response carries a clinic outside the scope', () => {
  const clinicSet = fc.subarray(CLINICS, { minLength: 1, maxLength: 3 });
  const principal = fc.oneof(
    fc.constant<Principal>(testPrincipals.steward),
    fc.constant<Principal>(testPrincipals.researcher),
    clinicSet.map((c) => testPrincipals.clinic(c)),
  );
  const filters = fc.record(
    {
      clinic: clinicSet,
      condition: fc.subarray(['major_depression', 'perinatal_depression', 'ptsd'] as const, {
        minLength: 1,
      }),
      medication: fc.subarray(['ipt_only', 'ipt_with_medication'] as const, { minLength: 1 }),
    },
    { requiredKeys: [] },
  );

  /** Clinic codes named anywhere in a response (units, rows by clinic). */
  const namedClinics = (value: unknown, found: Set<string>): Set<string> => {
    if (Array.isArray(value)) for (const v of value) namedClinics(v, found);
    else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'clinic' && typeof v === 'string') found.add(v);
        else if (key === 'unit' && typeof v === 'string' && CLINICS.includes(v)) found.add(v);
        else namedClinics(v, found);
      }
    }
    return found;
  };

  it('holds for random principals, procedures and filters', async () => {
    await fc.assert(
      fc.asyncProperty(principal, fc.constantFrom(...NAMES), filters, async (who, name, f) => {
        const caller = callerFor(who);
        const outcome = await PROCEDURES[name](caller, f).then(
          (value) => ({ ok: true as const, value }),
          (error: { code?: string }) => ({ ok: false as const, code: error.code }),
        );
        const foreignFilter =
          who.role === 'clinic' && (f.clinic ?? []).some((c) => !who.clinics.includes(c));
        const refusedByRole =
          who.role === 'researcher' && (name === 'therapistAudit' || name === 'dataQuality');
        if (foreignFilter || refusedByRole) {
          expect(outcome).toEqual({ ok: false, code: 'FORBIDDEN' });
          return;
        }
        expect(outcome.ok).toBe(true);
        if (!outcome.ok || who.role !== 'clinic') return;
        // A clinic reader: nothing named outside its clinics; its data quality is its own.
        for (const clinic of namedClinics(outcome.value, new Set())) {
          expect(who.clinics).toContain(clinic);
        }
        // Its own clinics (a clinic filter) exactly as the steward has them; the network (no
        // clinic filter) protected, each count within the noise of the steward's.
        if (['overview', 'compare', 'trajectories', 'doseResponse'].includes(name)) {
          const exact = await PROCEDURES[name](callerFor(testPrincipals.steward), f);
          const value = outcome.value as { protected: boolean };
          if (f.clinic !== undefined) {
            expect(value).toEqual(
              name === 'overview' ? { ...(exact as object), disclosure: 'exact' } : exact,
            );
          } else {
            expect(value.protected).toBe(true);
            if (name === 'compare') {
              const groups = (value as unknown as { groups: Array<{ n: number | null }> }).groups;
              const truth = (exact as { groups: Array<{ n: number | null }> }).groups;
              groups.forEach((g, i) => {
                if (g.n !== null)
                  expect(Math.abs(g.n - (truth[i]?.n ?? Number.NaN))).toBeLessThanOrEqual(1);
              });
            }
          }
        }
      }),
      { numRuns: 60, seed: 2026 },
    );
  });
});

describe('the access log', () => {
  it('holds every call with the principal, procedure, status and cells, never the numbers', async () => {
    const who = { ...testPrincipals.researcher, name: 'logged-reader' };
    const caller = callerFor(who);
    const overview = await caller.outcomes.overview({ filters: { sex: ['female'] } });
    await expect(caller.outcomes.dataQuality({ filters: {} })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await accessLog.flush();
    const rows = await readAccessLog(warehouse, testPrincipals.steward, {
      principal: 'logged-reader',
    });
    expect(rows.map((r) => [r.procedure, r.status, r.role, r.surface])).toEqual([
      ['outcomes.dataQuality', 403, 'researcher', 'trpc'],
      ['outcomes.overview', 200, 'researcher', 'trpc'],
    ]);
    const logged = rows[1];
    expect(JSON.parse(logged?.filters ?? '{}')).toEqual({ filters: { sex: ['female'] } });
    expect((logged?.cellsReleased ?? 0) + (logged?.cellsWithheld ?? 0)).toBeGreaterThan(0);
    // Never the numbers: the total count does not appear in the entry.
    expect(JSON.stringify(logged)).not.toContain(String(overview.total?.n));
  });

  it('logs a change before it is made (status 0), then its result', async () => {
    const who = { ...testPrincipals.researcher, name: 'logged-writer' };
    await callerFor(who).cohorts.save({ name: 'Logged cohort', filters: { sex: ['male'] } });
    await accessLog.flush();
    const rows = await readAccessLog(warehouse, testPrincipals.steward, {
      principal: 'logged-writer',
    });
    expect(rows.map((r) => [r.procedure, r.status]).reverse()).toEqual([
      ['mutation:cohorts.save', 0],
      ['mutation:cohorts.save', 200],
    ]);
  });
});
