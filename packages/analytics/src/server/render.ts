import { RATE_MEASURE_NAMES } from '@ipt/protocol';
import type {
  AdjustedComparisonResult,
  Estimate,
  OffTrackListResult,
  OutcomesResult,
  RateMetric,
  TimeToImprovementResult,
} from '../types.js';

/**
 * The public shapes of an outcomes result (`GET /v1/outcomes`). JSON: each group carries its
 * dimension values beside its numbers. CSV: the same numbers, one row per group, suppressed
 * cells empty; columns are fixed for a given groupBy, so a script can rely on them. Both say
 * whether the numbers are `protected` (cell-key noise, docs/outcomes.md "Disclosure control") or
 * exact, and carry full precision: rounding is for display only.
 */
export function outcomesJson(result: OutcomesResult): Record<string, unknown> {
  return {
    minCellSize: result.minCellSize,
    protected: result.protected,
    groupBy: result.groupBy,
    groups: result.groups.map(({ dimensions, ...numbers }) => ({ ...dimensions, ...numbers })),
  };
}

/** One set of columns per rate of the registry, in its order. */
const RATES = RATE_MEASURE_NAMES;

export function outcomesCsv(result: OutcomesResult): string {
  const header = [
    ...result.groupBy,
    'n',
    'suppressed',
    'finished',
    'paired',
    ...RATES.flatMap((r) => [
      `${r}_count`,
      `${r}_denominator`,
      `${r}_rate`,
      `${r}_ci_lower`,
      `${r}_ci_upper`,
    ]),
    'meanChange',
    'meanChange_ci_lower',
    'meanChange_ci_upper',
    'effectSize',
    'minCellSize',
    'protected',
  ];
  const lines = [header.join(',')];
  for (const group of result.groups) {
    const cells: Array<string | number | null> = [
      ...result.groupBy.map((d) => group.dimensions[d] ?? ''),
      group.n,
      String(group.suppressed),
      group.finished,
      group.paired,
      ...RATES.flatMap((r) => rateCells(group[r])),
      group.meanChange?.mean ?? null,
      group.meanChange?.ci[0] ?? null,
      group.meanChange?.ci[1] ?? null,
      group.effectSize,
      result.minCellSize,
      String(result.protected),
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function rateCells(metric: RateMetric | null): Array<number | null> {
  return metric === null
    ? [null, null, null, null, null]
    : [metric.count, metric.denominator, metric.rate, metric.ci[0], metric.ci[1]];
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The CSV of an adjusted comparison (`GET /v1/outcomes?adjust=caseMix`, `Accept: text/csv`): one
 * row per outcome rate and group, crude and adjusted side by side. Differences and the risk ratio
 * are of the row's group against the reference group, so the reference's are empty.
 */
export function adjustedCsv(result: AdjustedComparisonResult): string {
  const estimate = (prefix: string) => [prefix, `${prefix}_ci_lower`, `${prefix}_ci_upper`];
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
  ];
  const lines = [header.join(',')];
  const cells = (e: Estimate | null | undefined) =>
    e == null ? [null, null, null] : [e.estimate, e.ci[0], e.ci[1]];
  for (const m of result.measures) {
    for (const g of m.groups) {
      const difference = m.differences.find((d) => d.group === g.group);
      const ratio = m.riskRatio?.group === g.group ? m.riskRatio : null;
      const row: Array<string | number | null> = [
        m.measure,
        g.group,
        result.reference,
        String(g.suppressed),
        ...rateCells(g.crude),
        ...cells(g.adjusted),
        ...cells(difference?.crude),
        ...cells(difference?.adjusted),
        ...cells(ratio?.crude),
        ...cells(ratio?.adjusted),
        m.support?.strata ?? null,
        m.support?.inside ?? null,
        m.support?.outside ?? null,
        m.support?.shareOutside ?? null,
        result.adjustFor.join(' x '),
        result.minCellSize,
        String(result.protected),
      ];
      lines.push(row.map(csvCell).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The CSV of time to reliable improvement (`GET /v1/time-to-improvement`, `Accept: text/csv`):
 * one row per group and session of its curve; a suppressed group is one row with the session
 * empty. Counts at a session are empty for protected numbers (only the risk set is released).
 */
export function timeToImprovementCsv(result: TimeToImprovementResult): string {
  const header = [
    result.groupBy ?? 'group',
    'suppressed',
    'episodes',
    'session',
    'at_risk',
    'improved',
    'ended_without_improvement',
    'censored',
    'incidence',
    'ci_lower',
    'ci_upper',
    'minCellSize',
    'protected',
  ];
  const lines = [header.join(',')];
  const tail = [result.minCellSize, String(result.protected)];
  for (const s of result.series) {
    if (s.suppressed) {
      lines.push([s.group, 'true', ...Array(9).fill(null), ...tail].map(csvCell).join(','));
      continue;
    }
    // A group without episodes (exact readers only) has no curve: one row saying 0.
    if (s.points.length === 0) {
      lines.push(
        [s.group, 'false', s.episodes, ...Array(8).fill(null), ...tail].map(csvCell).join(','),
      );
      continue;
    }
    for (const p of s.points) {
      const row: Array<string | number | null> = [
        s.group,
        'false',
        s.episodes,
        p.session,
        p.atRisk,
        p.events,
        p.competing,
        p.censored,
        p.incidence,
        p.ci[0],
        p.ci[1],
        ...tail,
      ];
      lines.push(row.map(csvCell).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The CSV of a clinic's open episodes off track now (`GET /v1/off-track`, `Accept: text/csv`):
 * one row per episode, pseudonyms only, for the clinic to re-identify locally.
 */
export function offTrackCsv(result: OffTrackListResult): string {
  const header = [
    'episode_id',
    'clinic',
    'baseline_band',
    'session',
    'phq9_total',
    'expected_p10',
    'expected_p50',
    'expected_p90',
    'last_session',
  ];
  const lines = [header.join(',')];
  for (const e of result.episodes) {
    const row: Array<string | number> = [
      e.episodeId,
      e.clinic,
      e.band,
      e.session,
      e.total,
      e.expected.p10,
      e.expected.p50,
      e.expected.p90,
      e.lastSession,
    ];
    lines.push(row.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}
