import type { OutcomeFilters } from '../dimensions.js';
import type { AdjustedComparisonResult, AdjustedMeasure, Estimate } from '../types.js';
import { type CsvValue, csvFile, csvLabel, filtersText } from './cells.js';
import { rateCells } from './outcomes-csv.js';

const estimate = (prefix: string) => [prefix, `${prefix}_ci_lower`, `${prefix}_ci_upper`];
const estimateCells = (e: Estimate | null | undefined): CsvValue[] =>
  e == null ? [null, null, null] : [e.estimate, e.ci[0], e.ci[1]];

/** Why a rate has no model, or which levels it predicts at their observed 0 or 1. */
function modelNote(m: AdjustedMeasure): string | null {
  if (m.model === null) return null;
  if (!m.model.fitted) return `${m.model.reason}: ${m.model.detail}`;
  if (m.model.separated.length === 0) return null;
  return m.model.separated
    .map(
      (l) =>
        `${l.factor} ${l.level}: ${l.rate === 0 ? 'none' : 'all'} with the outcome, predicted at ${l.rate}`,
    )
    .join('; ');
}

/**
 * An adjusted comparison (`GET /v1/outcomes?adjust=caseMix`, tRPC `outcomes.adjusted`, and the
 * Compare page's download: one file, one set of columns). One row per outcome rate and group,
 * first over the whole cohort (`within_level` empty), then, with `within`, inside each of its
 * levels. Crude, regression standardised (the adjusted figures) and directly standardised
 * (sensitivity, with its support and the crude rate of the supported episodes) side by side.
 * Differences and ratios are of the row's group against the reference, so the reference's are
 * empty; the heterogeneity test is the rate's, on the whole-cohort rows.
 */
export function adjustedCsv(result: AdjustedComparisonResult, filters: OutcomeFilters): string {
  const header = [
    'measure',
    'within',
    'within_level',
    result.compare,
    'reference',
    'suppressed',
    'crude_count',
    'crude_denominator',
    'crude_rate',
    'crude_ci_lower',
    'crude_ci_upper',
    ...estimate('adjusted_rate'),
    ...estimate('adjusted_difference'),
    ...estimate('adjusted_risk_ratio'),
    'model_fitted',
    'model_episodes',
    'model_note',
    ...estimate('crude_difference'),
    ...estimate('crude_risk_ratio'),
    ...estimate('direct_rate'),
    ...estimate('direct_difference'),
    ...estimate('direct_risk_ratio'),
    ...estimate('crude_in_support_rate'),
    'support_strata',
    'support_inside',
    'support_outside',
    'share_outside_support',
    'heterogeneity_statistic',
    'heterogeneity_df',
    'heterogeneity_p',
    'heterogeneity_note',
    'adjusted_for',
    'minCellSize',
    'protected',
    'filters',
  ];
  const within = result.within;
  const rowsOf = (measures: readonly AdjustedMeasure[], level: string | null) =>
    measures.flatMap((m) =>
      m.groups.map((g) => {
        const difference = m.differences.find((d) => d.group === g.group);
        const ratio = m.ratios.find((r) => r.group === g.group);
        const test =
          level === null ? within?.heterogeneity.find((h) => h.measure === m.measure) : undefined;
        return [
          m.measure,
          within?.dimension ?? null,
          level === null || within === null ? null : csvLabel(within.dimension, level),
          csvLabel(result.compare, g.group),
          csvLabel(result.compare, result.reference),
          g.suppressed,
          ...rateCells(g.crude),
          ...estimateCells(g.adjusted),
          ...estimateCells(difference?.adjusted),
          ...estimateCells(ratio?.adjusted),
          m.model?.fitted ?? null,
          m.model?.episodes ?? null,
          modelNote(m),
          ...estimateCells(difference?.crude),
          ...estimateCells(ratio?.crude),
          ...estimateCells(g.direct),
          ...estimateCells(difference?.direct),
          ...estimateCells(ratio?.direct),
          ...estimateCells(g.crudeInSupport),
          m.support?.strata ?? null,
          m.support?.inside ?? null,
          m.support?.outside ?? null,
          m.support?.shareOutside ?? null,
          test?.test?.statistic ?? null,
          test?.test?.df ?? null,
          test?.test?.p ?? null,
          test?.detail ?? null,
          result.adjustFor.join(' x '),
          result.minCellSize,
          result.protected,
          filtersText(filters),
        ];
      }),
    );
  const rows = [
    ...rowsOf(result.measures, null),
    ...(within?.levels.flatMap((l) => rowsOf(l.measures, l.level)) ?? []),
  ];
  return csvFile(header, rows);
}
