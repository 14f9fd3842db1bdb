/**
 * @fileoverview The capability table against every read: each role x each read of `READS`,
 * through the tRPC procedure made from it, against embedded chDB. The expected matrix is
 * written out here (the policy, pinned), and checked three ways: it is what the role table
 * grants (`can`), the server allows exactly those calls, and refuses the others with 403 and a
 * refusal in the access log. A read added without a row here fails the first test.
 */
import { can, type Principal, READ_ROLES, type ReadRole } from '@ipt/analytics';
import {
  type AnyRead,
  createAccessLog,
  createCohortBudget,
  READS,
  readAccessLog,
} from '@ipt/analytics/server';
import { loadedWarehouse, testDisclosure, testPrincipals } from '@ipt/analytics/testing';
import { simulateNetwork } from '@ipt/simulator';
import type { Warehouse } from '@ipt/warehouse';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../src/index.js';

const events = [...simulateNetwork({ seed: 303, episodes: 240, clinics: 3 })];
const CLINICS = [...new Set(events.map((e) => e.clinicId))].sort();
const OWN = CLINICS[0] ?? '';
const EPISODE = events.find((e) => e.clinicId === OWN)?.episodeId ?? '';

const PRINCIPALS: Record<ReadRole, Principal> = {
  steward: testPrincipals.steward,
  clinic: testPrincipals.clinic([OWN]),
  researcher: testPrincipals.researcher,
};

/** One question per read (the audit twice: its level decides the capability). */
const QUESTIONS: Record<string, { read: string; input: unknown }> = {
  'outcomes.overview': { read: 'outcomes.overview', input: { filters: {} } },
  'outcomes.trajectories': { read: 'outcomes.trajectories', input: { groupBy: null, filters: {} } },
  'outcomes.timeToImprovement': {
    read: 'outcomes.timeToImprovement',
    input: { groupBy: null, filters: {} },
  },
  'outcomes.doseResponse': { read: 'outcomes.doseResponse', input: { filters: {} } },
  'outcomes.audit (clinics)': { read: 'outcomes.audit', input: { level: 'clinic', filters: {} } },
  'outcomes.audit (therapists)': {
    read: 'outcomes.audit',
    input: { level: 'therapist', filters: {} },
  },
  'outcomes.dataQuality': { read: 'outcomes.dataQuality', input: { filters: {} } },
  'outcomes.findingEpisodes': { read: 'outcomes.findingEpisodes', input: { filters: {} } },
  'outcomes.compare': {
    read: 'outcomes.compare',
    input: { groupBy: ['problemArea'], filters: {} },
  },
  'outcomes.adjusted': { read: 'outcomes.adjusted', input: { compare: 'medication', filters: {} } },
  'outcomes.breakdown': {
    read: 'outcomes.breakdown',
    input: { groupBy: ['medication'], filters: {} },
  },
  'care.expectedRecovery': { read: 'care.expectedRecovery', input: { filters: {} } },
  'care.offTrack': { read: 'care.offTrack', input: {} },
  'care.episode': { read: 'care.episode', input: { episodeId: EPISODE } },
  'access.log': { read: 'access.log', input: { limit: 5 } },
  'access.budgets': { read: 'access.budgets', input: {} },
  'releases.list': { read: 'releases.list', input: undefined },
  'releases.basis': { read: 'releases.basis', input: {} },
  'releases.verify': { read: 'releases.verify', input: { name: 'no-such-release' } },
};

/** The policy: who may ask each question (s: steward, c: clinic reader, r: researcher). */
const ALLOWED: Record<string, string> = {
  'outcomes.overview': 'scr',
  'outcomes.trajectories': 'scr',
  'outcomes.timeToImprovement': 'scr',
  'outcomes.doseResponse': 'scr',
  'outcomes.audit (clinics)': 'scr',
  'outcomes.audit (therapists)': 'sc',
  'outcomes.dataQuality': 'sc',
  'outcomes.findingEpisodes': 'sc',
  'outcomes.compare': 'scr',
  'outcomes.adjusted': 'scr',
  'outcomes.breakdown': 'scr',
  'care.expectedRecovery': 'scr',
  'care.offTrack': 'sc',
  'care.episode': 'sc',
  'access.log': 's',
  'access.budgets': 's',
  'releases.list': 'scr',
  'releases.basis': 'scr',
  'releases.verify': 's',
};
const LETTER: Record<ReadRole, string> = { steward: 's', clinic: 'c', researcher: 'r' };

let warehouse: Warehouse;
let accessLog: ReturnType<typeof createAccessLog>;

const callerFor = (principal: Principal | null) =>
  createCaller({
    warehouse,
    disclosure: testDisclosure,
    budget: createCohortBudget(warehouse, { perDay: 1000 }),
    principal,
    accessLog,
  });

/** Calls a read's procedure by its name (`outcomes.compare`), as the client would. */
function call(principal: Principal | null, name: string, input: unknown): Promise<unknown> {
  const [group, procedure] = name.split('.') as [string, string];
  const caller = callerFor(principal) as unknown as Record<
    string,
    Record<string, (input: unknown) => Promise<unknown>>
  >;
  const fn = caller[group]?.[procedure];
  if (fn === undefined) throw new Error(`no procedure ${name}`);
  return fn(input);
}

const codeOf = async (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'OK',
    (error: unknown) => (error instanceof TRPCError ? error.code : String(error)),
  );

let dispose: () => Promise<void>;
beforeAll(async () => {
  ({ warehouse, dispose } = await loadedWarehouse(events, 'capabilities'));
  accessLog = createAccessLog(warehouse);
}, 120_000);
afterAll(async () => {
  await accessLog.flush();
  await dispose();
});

describe('the capability matrix', () => {
  it('has a question and a row of the policy for every read, and no other', () => {
    const reads = new Set(READS.map((r: AnyRead) => r.name));
    expect(new Set(Object.values(QUESTIONS).map((q) => q.read))).toEqual(reads);
    expect(Object.keys(ALLOWED).sort()).toEqual(Object.keys(QUESTIONS).sort());
  });

  it('is what the role table grants', () => {
    for (const [question, { read: name, input }] of Object.entries(QUESTIONS)) {
      const read = READS.find((r) => r.name === name) as AnyRead;
      const capability =
        typeof read.capability === 'function' ? read.capability(input) : read.capability;
      for (const role of READ_ROLES) {
        expect(can(PRINCIPALS[role], capability), `${role} ${question}`).toBe(
          (ALLOWED[question] ?? '').includes(LETTER[role]),
        );
      }
    }
  });

  it('is enforced: each role x each read answers or is refused with 403, and logged', async () => {
    const outcome: Record<string, Record<ReadRole, string>> = {};
    for (const [question, { read, input }] of Object.entries(QUESTIONS)) {
      outcome[question] = { steward: '', clinic: '', researcher: '' };
      for (const role of READ_ROLES) {
        const code = await codeOf(call(PRINCIPALS[role], read, input));
        // A release that does not exist is the verify's answer for the steward: allowed.
        (outcome[question] as Record<ReadRole, string>)[role] =
          code === 'OK' || code === 'NOT_FOUND' ? 'allow' : code;
      }
    }
    const expected = Object.fromEntries(
      Object.entries(ALLOWED).map(([question, who]) => [
        question,
        Object.fromEntries(
          READ_ROLES.map((role) => [role, who.includes(LETTER[role]) ? 'allow' : 'FORBIDDEN']),
        ),
      ]),
    );
    expect(outcome).toEqual(expected);
    await accessLog.flush();
    const log = await readAccessLog(warehouse, testPrincipals.steward, { limit: 10_000 });
    for (const [question, who] of Object.entries(ALLOWED)) {
      const read = QUESTIONS[question]?.read ?? '';
      for (const role of READ_ROLES) {
        if (who.includes(LETTER[role])) continue;
        const refused = log.filter(
          (e) => e.procedure === read && e.principal === PRINCIPALS[role].name && e.status === 403,
        );
        expect(refused.length, `${role} ${question} refusal logged`).toBeGreaterThan(0);
      }
    }
  }, 300_000);

  it('refuses every read to a caller without a principal (401), logging nothing of it', async () => {
    for (const { read, input } of Object.values(QUESTIONS)) {
      expect(await codeOf(call(null, read, input)), read).toBe('UNAUTHORIZED');
    }
  });
});
