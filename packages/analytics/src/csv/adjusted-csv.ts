import type { OutcomeFilters } from '../dimensions.js';
import type { AdjustedComparisonResult, Estimate } from '../types.js';
import { type CsvValue, csvFile, csvLabel, filtersText } from './cells.js';
import { rateCells } from './outcomes-csv.js';

const estimate = (prefix: string) => [prefix, `${prefix}_ci_lower`, `${prefix}_ci_upper`];
const estimateCells = (e: Estimate | null | undefined): CsvValue[] =>
  e == null ? [null, null, null] : [e.estimate, e.ci[0], e.ci[1]];

/**
 * An adjusted comparison (`GET /v1/outcomes?adjust=caseMix`, the Compare page's adjusted
 * download): one row per outcome rate and group, crude and adjusted side by side. Differences
 * and the risk ratio are of the row's group against the reference group, so the reference's
 * are empty; the support columns say how many episodes the adjusted rate stands on.
 */
export function adjustedCsv(result: AdjustedComparisonResult, filters: OutcomeFilters): string {
  const header = [
    'measure',
    result.compare,
    'reference',
    'suppressed',
    'crude_count',
    'crude_denominator',
    'crude_rate',
    'crude_ci_lower',
    'crude_ci_upper',
    ...estimate('adjusted_rate'),
    ...estimate('crude_difference'),
    ...estimate('adjusted_difference'),
    ...estimate('crude_risk_ratio'),
    ...estimate('adjusted_risk_ratio'),
    'support_strata',
    'support_inside',
    'support_outside',
    'share_outside_support',
    'adjusted_for',
    'minCellSize',
    'protected',
    'filters',
  ];
  const rows = result.measures.flatMap((m) =>
    m.groups.map((g) => {
      const difference = m.differences.find((d) => d.group === g.group);
      const ratio = m.riskRatio?.group === g.group ? m.riskRatio : null;
      return [
        m.measure,
        csvLabel(result.compare, g.group),
        csvLabel(result.compare, result.reference),
        g.suppressed,
        ...rateCells(g.crude),
        ...estimateCells(g.adjusted),
        ...estimateCells(difference?.crude),
        ...estimateCells(difference?.adjusted),
        ...estimateCells(ratio?.crude),
        ...estimateCells(ratio?.adjusted),
        m.support?.strata ?? null,
        m.support?.inside ?? null,
        m.support?.outside ?? null,
        m.support?.shareOutside ?? null,
        result.adjustFor.join(' x '),
        result.minCellSize,
        result.protected,
        filtersText(filters),
      ];
    }),
  );
  return csvFile(header, rows);
}
