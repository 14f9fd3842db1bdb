import {
  COUNT_LABELS,
  FIDELITY_MEASURES,
  type FidelityName,
  RATE_MEASURES,
  type RateMeasureName,
  STATISTICS,
  type StatisticName,
} from '@ipt/protocol';

/**
 * Every measure and statistic the pages show, as the registry in @ipt/protocol defines it: the
 * popovers beside each figure and the Definitions page read this, so a definition is written
 * once, next to the code that computes it.
 */
export type Term = RateMeasureName | FidelityName | StatisticName;

export interface Definition {
  id: Term;
  label: string;
  short: string;
  formula: string;
  /** For rates: what the rate is out of. */
  denominator: string | null;
  source: string;
}

export function definitionOf(term: Term): Definition {
  if (term in RATE_MEASURES) {
    const m = RATE_MEASURES[term as RateMeasureName];
    return {
      id: term,
      label: m.label,
      short: m.short,
      formula: `${m.rule}; out of ${COUNT_LABELS[m.denominator]}`,
      denominator: COUNT_LABELS[m.denominator],
      source: m.source.citation,
    };
  }
  if (term in FIDELITY_MEASURES) {
    const f = FIDELITY_MEASURES[term as FidelityName];
    return {
      id: term,
      label: f.label,
      short: f.short,
      formula: `${f.rule}; out of ${f.appliesTo}`,
      denominator: f.appliesTo,
      source: f.source.citation,
    };
  }
  const s = STATISTICS[term as StatisticName];
  return {
    id: term,
    label: s.label,
    short: s.short,
    formula: s.formula,
    denominator: null,
    source: s.source.citation,
  };
}

/** The Definitions page's order: outcome rates, data quality, fidelity, then the statistics. */
export const TERMS: readonly Term[] = [
  ...(Object.keys(RATE_MEASURES) as RateMeasureName[]),
  ...(Object.keys(FIDELITY_MEASURES) as FidelityName[]),
  ...(Object.keys(STATISTICS) as StatisticName[]),
];
