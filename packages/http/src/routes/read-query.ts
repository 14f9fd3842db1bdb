import { DATE_FILTER_NAMES, LIST_FILTER_NAMES } from '@ipt/analytics';
import { type QueryReader, QuestionError } from '@ipt/analytics/server';

/** The cohort filters every read endpoint takes, by name. */
export const FILTER_PARAMETERS: readonly string[] = [...LIST_FILTER_NAMES, ...DATE_FILTER_NAMES];

/**
 * The query string of a read endpoint: unknown parameters refused (with what is known), a
 * parameter given twice refused (QuestionError: 400), comma lists split, and the filters
 * gathered for the read's schema.
 */
export function readQuery(
  query: Record<string, unknown>,
  known: readonly string[],
  usage: string,
  options: { cohortFilters: boolean } = { cohortFilters: true },
): QueryReader {
  const allowed = new Set([...known, ...(options.cohortFilters ? FILTER_PARAMETERS : [])]);
  const unknown = Object.keys(query).filter((name) => !allowed.has(name));
  if (unknown.length > 0) {
    const filters = options.cohortFilters
      ? `, and the filters ${FILTER_PARAMETERS.join(', ')}`
      : '';
    throw new QuestionError(
      `unknown query parameter ${unknown.join(', ')}; ${usage}${filters}; every read also takes asOf or release`,
    );
  }
  const single = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new QuestionError(`${name} must be given once`);
    return value;
  };
  const list = (name: string) => {
    const value = single(name);
    return value === undefined
      ? undefined
      : value
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0);
  };
  const filters: Record<string, unknown> = {};
  if (!options.cohortFilters) return { single, list, filters };
  for (const name of LIST_FILTER_NAMES) {
    const values = list(name);
    if (values !== undefined) filters[name] = values;
  }
  for (const name of DATE_FILTER_NAMES) {
    const value = single(name);
    if (value !== undefined) filters[name] = value;
  }
  return { single, list, filters };
}
