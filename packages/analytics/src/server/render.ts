import { RATE_MEASURE_NAMES } from '@ipt/protocol';
import type { OutcomesResult, RateMetric } from '../types.js';

/**
 * The public shapes of an outcomes result (`GET /v1/outcomes`). JSON: each group carries its
 * dimension values beside its numbers. CSV: the same numbers, one row per group, suppressed
 * cells empty; columns are fixed for a given groupBy, so a script can rely on them. Both say
 * whether the numbers are `protected` (cell-key noise, OUTCOMES.md "Disclosure control") or
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
