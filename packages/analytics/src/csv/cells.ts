/**
 * One CSV dialect for every file the platform writes, the API's and the pages' alike (they are
 * the same files): comma-separated, a header line, `\n` line ends, a trailing newline; numbers as
 * JavaScript writes them (full precision: rounding is for display), an empty cell for a number
 * that is withheld or does not exist; text quoted when it must be, and never a formula.
 * Client-safe: the dashboard builds its downloads with it.
 */
export type CsvValue = string | number | boolean | null;

/** One cell. A leading = + - @ would run as a formula in a spreadsheet (CSV injection). */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return String(value);
  const text = /^[=+\-@]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A file: the header and the rows, each a line. */
export function csvFile(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<CsvValue>>,
): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * A category as a file writes it: ranges a spreadsheet would read as dates (`1-3` becomes the
 * 3rd of January in Excel) carry their unit.
 */
export function csvLabel(dimension: string, value: string): string {
  if (dimension === 'sessionBucket') return `${value} sessions`;
  if (dimension === 'plannedSessions') return `${value} sessions planned`;
  if (dimension === 'ageBand') return `${value} years`;
  return value;
}

/** `condition=major_depression&startedFrom=2025-01-01`: the filters as a URL writes them. */
export function filtersText(filters: Readonly<Record<string, unknown>>): string {
  return Object.entries(filters)
    .filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : String(value)}`)
    .join('&');
}
