import { DATE_FILTER_NAMES, issuesMessage, LIST_FILTER_NAMES } from '@ipt/analytics';
import { badRequest, type HttpError } from '../infra/http-error.js';

/** The cohort filters every read endpoint takes, by name. */
export const FILTER_PARAMETERS: readonly string[] = [...LIST_FILTER_NAMES, ...DATE_FILTER_NAMES];

/**
 * The query string of a read endpoint: unknown parameters refused (with what is known), a
 * parameter given twice refused, comma lists split, and the filters gathered for zod.
 */
export function readQuery(
  query: Record<string, unknown>,
  known: readonly string[],
  usage: string,
  options: { cohortFilters: boolean } = { cohortFilters: true },
): {
  single: (name: string) => string | undefined;
  list: (name: string) => string[] | undefined;
  filters: Record<string, unknown>;
} {
  const allowed = new Set([...known, ...(options.cohortFilters ? FILTER_PARAMETERS : [])]);
  const unknown = Object.keys(query).filter((name) => !allowed.has(name));
  if (unknown.length > 0) {
    const filters = options.cohortFilters
      ? `, and the filters ${FILTER_PARAMETERS.join(', ')}`
      : '';
    throw badRequest(
      `unknown query parameter ${unknown.join(', ')}; ${usage}${filters}; every read also takes asOf or release`,
      'invalid_query',
    );
  }
  const single = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw badRequest(`${name} must be given once`, 'invalid_query');
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

/** zod's issues as one 400 answer, in words (issuesMessage). */
export function invalidQuery(
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>,
): HttpError {
  return badRequest(issuesMessage(issues), 'invalid_query');
}
