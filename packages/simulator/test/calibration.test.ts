/**
 * @fileoverview Calibration of the simulator on a 20k-episode network (docs/outcomes.md,
 * "Calibration"): pre-post effect size 0.9-1.4, response among baseline >= 10 in 40-60%,
 * dropout 15-25%, paired completeness 90-98%, medication in about a third of episodes with a
 * modest extra effect, the problem-area mix, mostly 12-16 sessions, and every event valid
 * against the v1 catalog.
 */
import { type CatalogEvent, validateEvent } from '@ipt/events';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateNetwork } from '../src/index.js';
import { type Calibration, calibrate, groupByEpisode } from './calibration.js';

const EPISODES = 20_000;
let events: CatalogEvent[] = [];
let result: Calibration;

beforeAll(() => {
  events = [...simulateNetwork({ seed: 2026, episodes: EPISODES })];
  result = calibrate(groupByEpisode(events));
  const { summaries: _s, ...numbers } = result;
  console.info('calibration (seed 2026, 20k episodes):', JSON.stringify(numbers));
}, 120_000);

describe('a simulated 20k-episode network', () => {
  it('holds every episode it was asked for', () => {
    expect(result.episodes).toBe(EPISODES);
  });

  it('has a routine-care pre-post effect size of 0.9-1.4', () => {
    expect(result.effectSize).toBeGreaterThanOrEqual(0.9);
    expect(result.effectSize).toBeLessThanOrEqual(1.4);
  });

  it('has 40-60% response among baseline cases', () => {
    expect(result.responseRate).toBeGreaterThanOrEqual(0.4);
    expect(result.responseRate).toBeLessThanOrEqual(0.6);
  });

  it('has 15-25% dropout among ended episodes', () => {
    expect(result.dropoutRate).toBeGreaterThanOrEqual(0.15);
    expect(result.dropoutRate).toBeLessThanOrEqual(0.25);
  });

  it('has 90-98% paired completeness among finished courses', () => {
    expect(result.pairedCompleteness).toBeGreaterThanOrEqual(0.9);
    expect(result.pairedCompleteness).toBeLessThanOrEqual(0.98);
  });

  it('has medication in about a third of episodes, with a modest extra effect', () => {
    expect(result.medicationShare).toBeGreaterThan(0.28);
    expect(result.medicationShare).toBeLessThan(0.38);
    const extra = result.responseWithMedication - result.responseIptOnly;
    expect(extra).toBeGreaterThan(0.01);
    expect(extra).toBeLessThan(0.12);
  });

  it('has role transitions and disputes as the commonest problem areas and some unspecified', () => {
    const count = (area: string) =>
      result.summaries.filter((s) => s.primaryProblemArea === area).length;
    expect(count('role_transition')).toBeGreaterThan(count('grief'));
    expect(count('role_dispute')).toBeGreaterThan(count('interpersonal_deficits'));
    expect(count('unspecified') / EPISODES).toBeGreaterThan(0.01);
    expect(count('unspecified') / EPISODES).toBeLessThan(0.12);
  });

  it('has some reliable deterioration, as routine services do', () => {
    const eligible = result.summaries.filter((s) => s.outcomeEligible);
    const worse = eligible.filter((s) => s.outcome?.reliableDeterioration).length / eligible.length;
    expect(worse).toBeGreaterThan(0.02);
    expect(worse).toBeLessThan(0.08);
  });

  it('flags thoughts of self-harm in a minority of episodes', () => {
    const flagged = result.summaries.filter((s) => s.selfHarmFlagged).length / EPISODES;
    expect(flagged).toBeGreaterThan(0.1);
    expect(flagged).toBeLessThan(0.35);
  });

  it('has most completed courses in 12-16 sessions', () => {
    const completed = result.summaries.filter((s) => s.endReason === 'completed');
    const standard = completed.filter((s) => s.sessionBucket === '12-16').length;
    expect(standard / completed.length).toBeGreaterThan(0.6);
  });

  it('includes retractions, duplicates and open episodes', () => {
    expect(result.summaries.filter((s) => s.retractedEventIds.length > 0).length).toBeGreaterThan(
      100,
    );
    expect(events.length - new Set(events.map((e) => e.id)).size).toBeGreaterThan(100);
    expect(result.summaries.filter((s) => !s.ended).length).toBeGreaterThan(100);
  });

  it('emits only events valid against the v1 catalog', () => {
    const invalid = events.map((e) => validateEvent(e)).filter((r) => !r.ok);
    expect(invalid.slice(0, 3)).toEqual([]);
  });
});
