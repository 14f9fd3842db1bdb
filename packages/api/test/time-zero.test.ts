import { foldAll, testPrincipals } from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import { episodeBuilder } from '@ipt/events/testing';
import { aalenJohansen, type CompetingObservation, timeToImprovement } from '@ipt/protocol';
import { Rng } from '@ipt/simulator';
import { describe, expect, it } from 'vitest';
import { loadedCallers } from './loaded-callers.js';

const K = 11;
const EPISODES = 2000;
const HAZARD = 0.12;
const START_AT = 3;
/** Sessions after time zero at which the groups are compared. */
const HORIZON = 8;

function network(): CatalogEvent[] {
  const rng = new Rng('time-zero', 303);
  const random = () => rng.next();
  const episode = episodeBuilder('time zero suite secret, 32+ bytes long');
  const events: CatalogEvent[] = [];
  const areas = ['grief', 'role_transition', 'role_dispute', 'interpersonal_deficits'];
  for (let i = 0; i < EPISODES; i++) {
    const e = episode(`clinic-${i % 4}`, `ep-${i}`);
    const day = (session: number) =>
      new Date(Date.UTC(2025, 0, 6 + 7 * session + (i % 50))).toISOString().slice(0, 10);
    events.push(e.started(day(0)), e.phq9(0, 18, day(0)));
    let improvedAt: number | null = null;
    for (let s = 1; s <= 16; s++) {
      events.push(e.attended(s, day(s)));
      if (improvedAt === null && random() < HAZARD) improvedAt = s;
      events.push(e.phq9(s, improvedAt === null ? 17 : 10, day(s)));
      if (s === 2) {
        events.push(e.problemArea(areas[i % 4] as string, 2, day(s)));
      }
      if (s === START_AT && random() < 0.5) events.push(e.medicationStarted(s, day(s)));
      const done =
        s === 16 ||
        (improvedAt !== null && s >= improvedAt + 3) ||
        (improvedAt === null && random() < HAZARD);
      if (done) {
        events.push(e.ended(day(s)));
        break;
      }
    }
  }
  return events;
}

const events = network();
const summaries = foldAll(events).filter((s) => s.started);
const { callerFor } = loadedCallers(events, 'time-zero', { minCellSize: K, loadTimeout: 300_000 });

interface Curve {
  incidence: number;
  variance: number;
}
/** F(t) and its variance at `time`, from a point's interval (unclipped where it is used). */
function at(
  points: ReadonlyArray<{ session: number; incidence: number; ci: [number, number] }>,
  time: number,
): Curve {
  const p = points.find((x) => x.session === time);
  if (p === undefined) throw new Error(`no point at session ${time}`);
  const half = (p.ci[1] - p.ci[0]) / 2;
  return { incidence: p.incidence, variance: (half / 1.96) ** 2 };
}
const difference = (a: Curve, b: Curve) => {
  const estimate = a.incidence - b.incidence;
  const half = 1.96 * Math.sqrt(a.variance + b.variance);
  return { estimate, ci: [estimate - half, estimate + half] as const };
};

describe('time zero', () => {
  it('grouped from session 0, medication started during treatment looks better; from its start it does not', async () => {
    // From session 0, written out here: the episode's group as it ends, its clock at intake.
    const naive = (group: string) =>
      summaries
        .filter((s) => s.medicationGroup === group)
        .map(timeToImprovement)
        .filter((o): o is CompetingObservation => o !== null);
    const curve = (group: string) => {
      const points = aalenJohansen(naive(group));
      return at(
        points.map((p) => ({ session: p.time, incidence: p.incidence, ci: p.ci })),
        START_AT + HORIZON,
      );
    };
    const biased = difference(curve('ipt_with_medication'), curve('ipt_only'));
    expect(biased.ci[0]).toBeGreaterThan(0.05);

    const result = await callerFor(testPrincipals.steward).outcomes.timeToImprovement({
      groupBy: 'medication',
      filters: {},
    });
    expect(result.timeZero.kind).toBe('exposure');
    const series = (group: string) => result.series.find((s) => s.group === group)?.points ?? [];
    const fair = difference(
      at(series('ipt_with_medication'), HORIZON),
      at(series('ipt_only'), HORIZON),
    );
    console.info(
      `time zero: with minus without medication, ${HORIZON} sessions after time zero: ${fair.estimate.toFixed(3)} (${fair.ci[0].toFixed(3)} to ${fair.ci[1].toFixed(3)}); from session 0 at session ${START_AT + HORIZON}: ${biased.estimate.toFixed(3)} (${biased.ci[0].toFixed(3)} to ${biased.ci[1].toFixed(3)})`,
    );
    expect(fair.ci[0]).toBeLessThan(0);
    expect(fair.ci[1]).toBeGreaterThan(0);
  });

  it('by problem area from the landmark, episodes that ended before it form no group', async () => {
    // From session 0 they would: every episode that ended at session 1 has no problem area.
    const early = summaries.filter((s) => s.primaryProblemArea === 'unspecified');
    expect(early.length).toBeGreaterThan(100);
    expect(early.every((s) => s.sessionsAttended < 2)).toBe(true);
    const result = await callerFor(testPrincipals.steward).outcomes.timeToImprovement({
      groupBy: 'problemArea',
      filters: {},
    });
    expect(result.timeZero).toMatchObject({ kind: 'landmark', session: 3 });
    const unspecified = result.series.find((s) => s.group === 'unspecified');
    expect(unspecified).toMatchObject({ suppressed: false, episodes: 0, points: [] });
    // The others start after the landmark, with everyone still in treatment and not improved.
    const atLandmark = summaries.filter((s) => {
      const o = timeToImprovement(s);
      return o !== null && o.time > 3;
    });
    const grief = result.series.find((s) => s.group === 'grief');
    expect(grief?.points[0]?.session).toBe(4);
    expect(grief?.episodes).toBe(
      atLandmark.filter((s) => s.problemAreaAtLandmark === 'grief').length,
    );
    expect(grief?.points[0]?.atRisk).toBe(grief?.episodes);
  });
});
