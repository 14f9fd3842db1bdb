/**
 * @fileoverview Expected recovery and off-track episodes through createCaller against embedded
 * chDB, over a simulated network and one episode built to run far above its band:
 * - the steward's expected curves equal R type 7 percentiles of the folded finished, paired
 *   episodes' scores by session, computed here from docs/outcomes.md, at exactly the sessions with at
 *   least k scores;
 * - a researcher's curves are protected (no session below k) and near the exact ones;
 * - the audit's off-track counts equal `offTrackOf` over the folded episodes, per clinic and for
 *   the network;
 * - the built episode is on its clinic reader's off-track list and the steward's, on no other
 *   clinic's, and a researcher is refused the list and the episode; its scores come back only
 *   to its own clinic.
 */
import type { Principal } from '@ipt/analytics';
import { createAccessLog, createCohortBudget } from '@ipt/analytics/server';
import {
  builtEpisode,
  foldAll,
  loadedWarehouse,
  testDisclosure,
  testPrincipals,
} from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import {
  BASELINE_BAND_NAMES,
  baselineBand,
  DEFINITIONS_VERSION,
  type EpisodeSummary,
  type ExpectedPoint,
  offTrackOf,
  quantileType7,
} from '@ipt/protocol';
import { pseudonymFromToken, simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../src/index.js';

const K = 11;
const simulated: CatalogEvent[] = [...simulateNetwork({ seed: 5150, episodes: 3000, clinics: 6 })];
const clinics = [...new Set(simulated.map((e) => e.clinicId))].sort();
const [HOME, OTHER] = clinics as [string, string];

/** An open episode of HOME: baseline 17, then 24 at every session 1-6, far above any band. */
function builtOffTrack(): CatalogEvent[] {
  const template = simulated.find((e) => e.type === 'episode.started' && e.clinicId === HOME);
  if (template === undefined) throw new Error('no episode to copy');
  return builtEpisode({
    clinicId: HOME,
    episodeId: pseudonymFromToken('episodeId', 'built-off-track'),
    clientId: pseudonymFromToken('clientId', 'built-off-track'),
    started: template.payload,
    totals: [17, 24, 24, 24, 24, 24, 24],
  });
}

const built = builtOffTrack();
const BUILT_ID = built[0]?.episodeId as string;
const events = [...simulated, ...built];
const summaries = foldAll(events).filter((s) => s.started);
let loaded: Awaited<ReturnType<typeof loadedWarehouse>>;

const callerFor = (principal: Principal) =>
  createCaller({
    warehouse: loaded.warehouse,
    disclosure: { ...testDisclosure, minCellSize: K },
    budget: createCohortBudget(loaded.warehouse, { perDay: 1000 }),
    principal,
    accessLog: createAccessLog(loaded.warehouse),
  });

beforeAll(async () => {
  loaded = await loadedWarehouse(events, 'care');
}, 180_000);
afterAll(async () => loaded.dispose());

/** docs/outcomes.md, written out: each session's score is the later of two recorded at it. */
function scoreAt(s: EpisodeSummary): Map<number, number> {
  const out = new Map<number, number>();
  for (const m of s.scores) out.set(m.sessionNumber, m.total);
  return out;
}

/** The expected curves from the folded episodes: R type 7 over the values written out. */
function independentCurves(): Map<string, Map<number, ExpectedPoint>> {
  const values = new Map<string, Map<number, number[]>>();
  for (const s of summaries) {
    const band = baselineBand(s.baseline?.total ?? null);
    if (band === null || !s.finishedCourse || !s.paired) continue;
    const bySession = values.get(band) ?? new Map<number, number[]>();
    values.set(band, bySession);
    for (const [session, total] of scoreAt(s)) {
      if (session > 20) continue;
      bySession.set(session, [...(bySession.get(session) ?? []), total]);
    }
  }
  return new Map(
    [...values].map(([band, bySession]) => [
      band,
      new Map(
        [...bySession]
          .filter(([, v]) => v.length >= K)
          .map(([session, v]) => [
            session,
            {
              session,
              n: v.length,
              p10: quantileType7(v, 0.1),
              p50: quantileType7(v, 0.5),
              p90: quantileType7(v, 0.9),
            },
          ]),
      ),
    ]),
  );
}

describe('expected recovery curves', () => {
  it('equal R type 7 percentiles of the finished, paired episodes, for the steward', async () => {
    const result = await callerFor(testPrincipals.steward).care.expectedRecovery({ filters: {} });
    expect(result.protected).toBe(false);
    expect(result.bands.map((b) => b.band)).toEqual([...BASELINE_BAND_NAMES]);
    const truth = independentCurves();
    let compared = 0;
    for (const band of result.bands) {
      const want = [...(truth.get(band.band)?.values() ?? [])].sort(
        (a, b) => a.session - b.session,
      );
      expect(
        band.points.map((p) => p.session),
        band.band,
      ).toEqual(want.map((p) => p.session));
      band.points.forEach((p, i) => {
        const w = want[i] as ExpectedPoint;
        expect(p.n).toBe(w.n);
        for (const q of ['p10', 'p50', 'p90'] as const) {
          expect(Math.abs(p[q] - w[q]), `${band.band} ${p.session} ${q}`).toBeLessThan(1e-9);
        }
        compared += 1;
      });
    }
    expect(compared).toBeGreaterThan(40);
    // The curves fall: the median at session 8 is below the baseline band.
    const moderate = result.bands.find((b) => b.band === '16-18');
    expect(moderate?.points.find((p) => p.session === 8)?.p50).toBeLessThan(14);
  });

  it('are protected for a researcher: every session from at least k, near the exact curves', async () => {
    const protectedCurves = await callerFor(testPrincipals.researcher).care.expectedRecovery({
      filters: {},
    });
    expect(protectedCurves.protected).toBe(true);
    const exact = await callerFor(testPrincipals.steward).care.expectedRecovery({ filters: {} });
    let near = 0;
    for (const band of protectedCurves.bands) {
      for (const p of band.points) {
        expect(p.n).toBeGreaterThanOrEqual(K);
        const e = exact.bands
          .find((b) => b.band === band.band)
          ?.points.find((x) => x.session === p.session);
        expect(e, `${band.band} ${p.session}`).toBeDefined();
        if (e !== undefined && e.n >= 200) {
          expect(Math.abs(p.p50 - e.p50)).toBeLessThanOrEqual(1);
          near += 1;
        }
      }
    }
    expect(near).toBeGreaterThan(5);
    // The same question again gives the same numbers.
    expect(
      await callerFor(testPrincipals.researcher).care.expectedRecovery({ filters: {} }),
    ).toEqual(protectedCurves);
  });

  it('refuses cohort filters: the reference is the whole network', async () => {
    await expect(
      callerFor(testPrincipals.steward).care.expectedRecovery({
        filters: { condition: ['ptsd'] } as never,
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('off track', () => {
  /** The reference as the steward sees it, for judging the folded episodes here. */
  async function reference() {
    const result = await callerFor(testPrincipals.steward).care.expectedRecovery({ filters: {} });
    return new Map(
      result.bands.map((b) => [
        b.band as (typeof BASELINE_BAND_NAMES)[number],
        new Map(b.points.map((p) => [p.session, p])),
      ]),
    );
  }
  const totalsOf = (s: EpisodeSummary) => {
    const at = scoreAt(s);
    return Array.from({ length: 40 }, (_, i) => at.get(i) ?? -1);
  };

  it('counts in the audit what offTrackOf finds, per clinic and for the network', async () => {
    const ref = await reference();
    const audit = await callerFor(testPrincipals.steward).outcomes.audit({
      level: 'clinic',
      filters: {},
    });
    const judged = (c: string | null) =>
      summaries
        .filter((s) => c === null || s.clinicId === c)
        .map((s) => offTrackOf(s.baseline?.total ?? null, totalsOf(s), ref))
        .filter((o) => o.assessable);
    const network = judged(null);
    expect(audit.networkOffTrack?.denominator).toBe(network.length);
    expect(audit.networkOffTrack?.count).toBe(network.filter((o) => o.offTrack).length);
    // Some are off track, most are not: about a tenth or more by construction of the 90th.
    expect(audit.networkOffTrack?.rate).toBeGreaterThan(0.05);
    expect(audit.networkOffTrack?.rate).toBeLessThan(0.5);
    for (const unit of audit.units) {
      if (unit.suppressed) continue;
      const own = judged(unit.clinic);
      expect(unit.offTrack?.denominator, unit.clinic).toBe(own.length);
      expect(unit.offTrack?.count, unit.clinic).toBe(own.filter((o) => o.offTrack).length);
      expect(unit.offTrack?.ci[0]).toBeLessThanOrEqual(unit.offTrack?.rate ?? 0);
    }
  });

  it("lists the built episode for its clinic's reader and the steward, for no other clinic", async () => {
    const home = await callerFor(testPrincipals.clinic([HOME])).care.offTrack({});
    const mine = home.episodes.find((e) => e.episodeId === BUILT_ID);
    expect(mine).toMatchObject({ clinic: HOME, band: '16-18', session: 6, total: 24 });
    expect(mine?.expected.p90).toBeLessThan(24);
    expect(home.episodes.every((e) => e.clinic === HOME)).toBe(true);
    // Every listed episode is open and off track now, as offTrackOf judges it.
    const ref = await reference();
    for (const e of home.episodes) {
      const s = summaries.find((x) => x.episodeId === e.episodeId) as EpisodeSummary;
      expect(s.ended).toBe(false);
      const status = offTrackOf(s.baseline?.total ?? null, totalsOf(s), ref);
      expect(status.latest).toMatchObject({ session: e.session, total: e.total, now: true });
    }
    const other = await callerFor(testPrincipals.clinic([OTHER])).care.offTrack({});
    expect(other.episodes.some((e) => e.episodeId === BUILT_ID)).toBe(false);
    expect(other.episodes.every((e) => e.clinic === OTHER)).toBe(true);
    const steward = await callerFor(testPrincipals.steward).care.offTrack({ clinic: [HOME] });
    expect(steward.episodes).toEqual(home.episodes);
    // A clinic reader asking for another clinic's list is refused, not answered empty.
    await expect(
      callerFor(testPrincipals.clinic([OTHER])).care.offTrack({ clinic: [HOME] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(callerFor(testPrincipals.researcher).care.offTrack({})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it("gives an episode's scores to its own clinic only", async () => {
    const own = await callerFor(testPrincipals.clinic([HOME])).care.episode({
      episodeId: BUILT_ID,
    });
    expect(own).toEqual({
      episodeId: BUILT_ID,
      clinic: HOME,
      band: '16-18',
      scores: [0, 1, 2, 3, 4, 5, 6].map((session) => ({ session, total: session === 0 ? 17 : 24 })),
      basis: { release: null, asOf: null, definitionsVersion: DEFINITIONS_VERSION },
    });
    expect(
      await callerFor(testPrincipals.clinic([OTHER])).care.episode({ episodeId: BUILT_ID }),
    ).toBeNull();
    await expect(
      callerFor(testPrincipals.researcher).care.episode({ episodeId: BUILT_ID }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      callerFor(testPrincipals.steward).care.episode({ episodeId: 'not-a-pseudonym' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
