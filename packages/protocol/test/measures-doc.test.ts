/**
 * @fileoverview The registry of measures is the one source of every definition: docs/measures.md
 * is rendered from it (`pnpm definitions`) and must match it, every rate's counts are registry counts,
 * every fidelity measure is breached by a finding the fold can report, and every measure has a
 * label, an explanation and a source.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EPISODE_COUNTS,
  FIDELITY_MEASURES,
  FINDING_CODES,
  measuresMarkdown,
  OUTCOME_RATE_NAMES,
  RATE_MEASURE_NAMES,
  RATE_MEASURES,
  STATISTICS,
} from '../src/index.js';

describe('the registry of measures', () => {
  it('is what docs/measures.md says (run `pnpm definitions` after changing it)', () => {
    const file = readFileSync(new URL('../../../docs/measures.md', import.meta.url), 'utf8');
    expect(file).toBe(measuresMarkdown());
  });

  it('defines every rate over registry counts, with words and a source', () => {
    for (const name of RATE_MEASURE_NAMES) {
      const m = RATE_MEASURES[name];
      expect(Object.keys(EPISODE_COUNTS)).toContain(m.numerator);
      expect(Object.keys(EPISODE_COUNTS)).toContain(m.denominator);
      // A numerator counts a subset of its denominator: every denominator flag is required.
      const numerator: readonly string[] = EPISODE_COUNTS[m.numerator];
      for (const flag of EPISODE_COUNTS[m.denominator]) expect(numerator).toContain(flag);
      expect(m.label.length).toBeGreaterThan(3);
      expect(m.short.length).toBeGreaterThan(20);
      expect(m.source.citation.length).toBeGreaterThan(10);
    }
    expect(OUTCOME_RATE_NAMES).not.toContain('pairedCompleteness');
    expect(OUTCOME_RATE_NAMES).toContain('reliableImprovement');
  });

  it('breaches fidelity only by findings the fold reports', () => {
    for (const f of Object.values(FIDELITY_MEASURES)) {
      expect(FINDING_CODES as readonly string[]).toContain(f.breach);
    }
  });

  it('cites documents a reader has: docs/outcomes.md, never the design notes behind it', () => {
    const citations = [
      ...Object.values(RATE_MEASURES).map((m) => m.source.citation),
      ...Object.values(STATISTICS).map((s) => s.source.citation),
    ];
    expect(citations.some((c) => c.includes('docs/outcomes.md'))).toBe(true);
    for (const citation of citations) expect(citation).not.toMatch(/(^|[^/])OUTCOMES\.md/);
  });

  it('explains and cites every statistic', () => {
    for (const s of Object.values(STATISTICS)) {
      expect(s.short.length).toBeGreaterThan(20);
      expect(s.formula.length).toBeGreaterThan(5);
      expect(s.source.citation.length).toBeGreaterThan(10);
    }
  });
});
