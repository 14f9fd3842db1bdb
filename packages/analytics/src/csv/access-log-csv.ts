import type { AccessLogRow } from '../types.js';
import { csvFile, filtersText } from './cells.js';

const COLUMNS = [
  'at',
  'principal',
  'role',
  'via',
  'surface',
  'procedure',
  'filters',
  'cellsReleased',
  'cellsWithheld',
  'status',
  'durationMs',
] as const satisfies ReadonlyArray<keyof AccessLogRow>;

/**
 * The access log (tRPC `access.log`, the Access page's download): one row per entry, newest
 * first; `filters` is the question each entry asked, `view` the log's own filters.
 */
export function accessLogCsv(
  entries: readonly AccessLogRow[],
  input: { principal?: string | undefined; from?: string | undefined; to?: string | undefined },
): string {
  const view = filtersText({ principal: input.principal, from: input.from, to: input.to });
  return csvFile(
    [...COLUMNS, 'view'],
    entries.map((entry) => [...COLUMNS.map((c) => entry[c]), view]),
  );
}
