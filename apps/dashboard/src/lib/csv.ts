/**
 * The dashboard's CSV files, built for analysis rather than reading: one column per number
 * (a rate is its count, denominator, rate and interval bounds, each a plain number; a withheld
 * number is an empty cell and a `suppressed` column says why), labels that spreadsheets keep as
 * text (`1-3` would become a date in Excel: it is written `1-3 sessions`), and on every row what
 * the numbers are: the filters of the view, its basis (`release`, `asOf`,
 * `definitionsVersion`) and whether they are `protected` (perturbed) or exact. A file outlives
 * the page it came from; it must say all of that itself.
 */
import type { RateMetric } from '@ipt/analytics';

export type CsvValue = string | number | boolean | null;

/** What the numbers of a file are: the view's filters and the answer's basis and protection. */
export interface CsvContext {
  filters: Readonly<Record<string, unknown>>;
  /** The analytics answer (tRPC adds `basis` to every one at run time), or null for a list. */
  answer: { protected?: boolean; basis?: unknown } | null;
}

const CONTEXT_COLUMNS = ['filters', 'release', 'asOf', 'definitionsVersion', 'protected'] as const;

/** `condition=major_depression&startedFrom=2025-01-01`: the filters as the URL writes them. */
export function filtersText(filters: Readonly<Record<string, unknown>>): string {
  return Object.entries(filters)
    .filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : String(value)}`)
    .join('&');
}

function basisOf(answer: CsvContext['answer']): {
  release: string | null;
  asOf: string | null;
  definitionsVersion: string | null;
} {
  const basis = (answer?.basis ?? null) as Record<string, unknown> | null;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    release: text(basis?.release),
    asOf: text(basis?.asOf),
    definitionsVersion: text(basis?.definitionsVersion),
  };
}

/** One cell: numbers as JS writes them, text quoted when it must be and never a formula. */
function cell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return String(value);
  // A leading = + - @ would run as a formula in a spreadsheet (CSV injection).
  const text = /^[=+\-@]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<CsvValue>>,
  context: CsvContext,
): string {
  const basis = basisOf(context.answer);
  const tail: CsvValue[] = [
    filtersText(context.filters),
    basis.release,
    basis.asOf,
    basis.definitionsVersion,
    context.answer?.protected ?? null,
  ];
  const lines = [
    [...header, ...CONTEXT_COLUMNS].map(cell).join(','),
    ...rows.map((row) => [...row, ...tail].map(cell).join(',')),
  ];
  return `${lines.join('\n')}\n`;
}

/** The five columns of a rate, named after it: `recovery_count`, ..., `recovery_ci_upper`. */
export function rateColumns(name: string): string[] {
  return [
    `${name}_count`,
    `${name}_denominator`,
    `${name}_rate`,
    `${name}_ci_lower`,
    `${name}_ci_upper`,
  ];
}

export function rateValues(metric: RateMetric | null): CsvValue[] {
  return metric === null
    ? [null, null, null, null, null]
    : [metric.count, metric.denominator, metric.rate, metric.ci[0], metric.ci[1]];
}

/** Labels that are ranges read as dates by spreadsheets: written with their unit. */
export function csvLabel(dimension: string, value: string): string {
  if (dimension === 'sessionBucket') return `${value} sessions`;
  if (dimension === 'plannedSessions') return `${value} sessions planned`;
  if (dimension === 'ageBand') return `${value} years`;
  return value;
}

export function downloadCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
