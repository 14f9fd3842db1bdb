/**
 * @fileoverview A simulated network confounded by case mix, through the real pipeline (events,
 * the projector's fold, embedded chDB, the tRPC procedure): medication is given to more severe
 * clients (10% of mild, 30% of moderate, 60% of moderately severe, 90% of severe), and has no
 * effect of its own: within every severity band, both groups improve at exactly the same rate.
 * The crude comparison shows a difference that its interval does not cover; the adjusted one
 * shows none, within its interval, for the steward's exact numbers and for a researcher's
 * protected ones. Synthetic data only.
 */
import type { AdjustedComparisonResult } from '@ipt/analytics';
import { testPrincipals } from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import { episodeBuilder } from '@ipt/events/testing';
import { describe, expect, it } from 'vitest';
import { loadedCallers } from './loaded-callers.js';

const K = 11;
/** Baseline PHQ-9 by band, the share on medication, and the share reliably improved. */
const BANDS = [
  { baseline: 8, medicated: 10, improved: 0.2 },
  { baseline: 12, medicated: 30, improved: 0.4 },
  { baseline: 17, medicated: 60, improved: 0.5 },
  { baseline: 22, medicated: 90, improved: 0.6 },
];
const AGES = ['25-34', '45-54'];
const CONDITIONS = ['major_depression', 'ptsd'];
const PER_STRATUM = 100;

function confoundedNetwork(): CatalogEvent[] {
  const episode = episodeBuilder('adjusted confounding suite secret, 32+ bytes long');
  const events: CatalogEvent[] = [];
  let local = 0;
  for (const band of BANDS) {
    for (const ageBand of AGES) {
      for (const condition of CONDITIONS) {
        for (const medicated of [true, false]) {
          const n = medicated ? band.medicated : PER_STRATUM - band.medicated;
          // Exactly the band's share improves in each group: medication changes nothing.
          const improved = Math.round(n * band.improved);
          for (let i = 0; i < n; i++) {
            local += 1;
            const e = episode(`clinic-${local % 3}`, `ep-${local}`, { ageBand, condition });
            const endpoint = i < improved ? band.baseline - 8 : band.baseline - 1;
            events.push(
              e.started('2025-03-03'),
              e.phq9(0, band.baseline, '2025-03-03'),
              ...[1, 2, 3, 4].map((s) =>
                e.attended(s, `2025-03-${String(3 + 7 * s).padStart(2, '0')}`),
              ),
              e.phq9(4, endpoint, '2025-03-31'),
              e.ended('2025-04-02'),
            );
            if (medicated) events.push(e.medicationStarted(1, '2025-03-10'));
          }
        }
      }
    }
  }
  return events;
}

const events = confoundedNetwork();
const { callerFor } = loadedCallers(events, 'confounding', {
  minCellSize: K,
  loadTimeout: 120_000,
});

const improvement = (result: AdjustedComparisonResult) => {
  const m = result.measures.find((x) => x.measure === 'reliableImprovement');
  if (m === undefined) throw new Error('no reliable improvement in the answer');
  return m;
};
const covers = (ci: [number, number] | undefined, value: number) =>
  ci !== undefined && ci[0] <= value && value <= ci[1];

describe('medication given to more severe clients, with no effect of its own', () => {
  it.each([
    ['the steward (exact)', testPrincipals.steward],
    ['a researcher (protected)', testPrincipals.researcher],
  ])('%s: crude shows a difference, adjusted shows none within its interval', async (_, who) => {
    const result = await callerFor(who).outcomes.adjusted({ compare: 'medication', filters: {} });
    expect(result.protected).toBe(who.role !== 'steward');
    const m = improvement(result);
    // Every episode is paired and finished.
    const crude = m.groups.map((g) => g.crude?.denominator ?? 0);
    expect(crude.reduce((a, b) => a + b, 0)).toBeGreaterThan(1550);
    const difference = m.differences[0];
    expect(difference?.group).toBe('ipt_with_medication');
    // Crude: medication looks better by about 17 points, and the interval excludes 0 ...
    expect(difference?.crude?.estimate).toBeGreaterThan(0.12);
    expect(covers(difference?.crude?.ci, 0)).toBe(false);
    expect(covers(m.ratios[0]?.crude?.ci, 1)).toBe(false);
    // ... adjusted for case mix, the difference is gone and 0 (RR 1) is inside the interval.
    expect(Math.abs(difference?.adjusted?.estimate ?? 1)).toBeLessThan(0.02);
    expect(covers(difference?.adjusted?.ci, 0)).toBe(true);
    expect(Math.abs((m.ratios[0]?.adjusted?.estimate ?? 0) - 1)).toBeLessThan(0.05);
    expect(covers(m.ratios[0]?.adjusted?.ci, 1)).toBe(true);
    // The regression standardisation covers every episode: both adjusted rates sit at the
    // severity mix of the whole network (42.5%), protected or not, and so does Mantel-Haenszel.
    const exact = who.role === 'steward';
    for (const g of m.groups) {
      // Protected: each cell's counts carry noise of about 0.03 on a rate of 30 episodes, about
      // 0.01 on the standardised rate: within 3 points, and its widened interval holds the truth.
      expect(Math.abs((g.adjusted?.estimate ?? 0) - 0.425)).toBeLessThan(exact ? 0.01 : 0.03);
      expect(covers(g.adjusted?.ci, 0.425)).toBe(true);
    }
    expect(m.model?.fitted).toBe(true);
    expect(covers(m.differences[0]?.direct?.ci, 0)).toBe(true);
    expect(covers(m.ratios[0]?.direct?.ci, 1)).toBe(true);
    // Direct standardisation is over the strata of common support: all four bands for exact
    // numbers (42.5%); for protected ones the mild band's medicated cells and the severe band's
    // unmedicated ones (10 episodes each, below k) put those bands outside it, half the
    // episodes, leaving moderate and moderately severe (45%): the figure describes other people.
    for (const g of m.groups) {
      expect(Math.abs((g.direct?.estimate ?? 0) - (exact ? 0.425 : 0.45))).toBeLessThan(
        exact ? 0.01 : 0.03,
      );
      expect(covers(g.direct?.ci, exact ? 0.425 : 0.45)).toBe(true);
    }
    expect(Math.abs((m.support?.shareOutside ?? 1) - (exact ? 0 : 0.5))).toBeLessThan(0.01);
  });

  it('is exactly no difference for the steward, every outcome rate', async () => {
    const result = await callerFor(testPrincipals.steward).outcomes.adjusted({
      compare: 'medication',
      filters: {},
    });
    expect(improvement(result).support?.shareOutside).toBe(0);
    let checked = 0;
    for (const m of result.measures) {
      const d = m.differences[0];
      if (d?.direct == null || d.adjusted == null) continue;
      // Direct standardisation is exact arithmetic; the model's estimate is an iteration's.
      expect(Math.abs(d.direct.estimate)).toBeLessThan(1e-12);
      expect(Math.abs(d.adjusted.estimate)).toBeLessThan(1e-9);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(3);
    expect(improvement(result).ratios[0]?.direct?.estimate).toBeCloseTo(1, 12);
    expect(improvement(result).ratios[0]?.adjusted?.estimate).toBeCloseTo(1, 9);
  });
});
