/**
 * The dashboard's CSV files, in the platform's one dialect (`csvCell` of @ipt/analytics): a
 * view that is one read downloads that read's CSV (`answerCsv`), the REST answer's bytes where
 * the read has a REST form; only the views composed on the page from several answers (cohorts
 * side by side, the data-quality tables) are built here (`toCsv`), the same way. Built for analysis rather than reading: one column per number
 * (a rate is its count, denominator, rate and interval bounds, each a plain number; a withheld
 * number is an empty cell and a `suppressed` column says why), labels that spreadsheets keep as
 * text (`1-3` would become a date in Excel: it is written `1-3 sessions`), and on every row what
 * the numbers are: the filters of the view, its basis (`release`, `asOf`,
 * `definitionsVersion`) and whether they are `protected` (perturbed) or exact. A file outlives
 * the page it came from; it must say all of that itself.
 */
import {
  type BasisStamp,
  type CsvValue,
  csvFile,
  filtersText,
  withBasisColumns,
} from '@ipt/analytics';

export { csvLabel, filtersText, rateCells as rateValues, rateColumns } from '@ipt/analytics';
export type { CsvValue };

/**
 * A read's CSV as the API gives it for the same question: the read's own CSV (the client-safe
 * codec of @ipt/analytics) with the answer's basis on every row. The Compare, Trajectories and
 * Signals for care downloads are this, byte for byte the REST `Accept: text/csv` answer.
 */
export function answerCsv(csv: string, answer: { basis?: BasisStamp }): string {
  return answer.basis === undefined ? csv : withBasisColumns(csv, answer.basis);
}

/** What the numbers of a file are: the view's filters and the answer's basis and protection. */
export interface CsvContext {
  filters: Readonly<Record<string, unknown>>;
  /** The analytics answer (tRPC adds `basis` to every one at run time), or null for a list. */
  answer: { protected?: boolean; basis?: unknown } | null;
}

const CONTEXT_COLUMNS = ['filters', 'release', 'asOf', 'definitionsVersion', 'protected'] as const;

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
  return csvFile(
    [...header, ...CONTEXT_COLUMNS],
    rows.map((row) => [...row, ...tail]),
  );
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
