'use client';

import { BasisFields, DATE_FILTER_NAMES, LIST_FILTER_NAMES, OutcomeFilters } from '@ipt/analytics';
import { finerThanMonthProblem } from '@ipt/protocol';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import type { Unused } from '../components/address-notice';

/**
 * Filters live in the URL, so a view can be shared by link. Lists are comma-separated, as in
 * GET /v1/outcomes; a value the page cannot use is dropped rather than breaking the page, and
 * named in `unused` with why, so the page can say so. The
 * period is asked in whole months, as the filter bar shows it (lib/months.ts). The basis of the
 * numbers (`release=<name>` or `asOf=<timestamp>`, live without either) is in the URL too, and
 * every analysis on every page asks with it (`basis`, spread into the query's input).
 */

/** The basis of the URL: a release, or a moment, or live ({}). A malformed one is ignored. */
export function basisOfParams(params: URLSearchParams): {
  basis: { release?: string; asOf?: string };
  ignored: string[];
} {
  const release = params.get('release');
  const asOf = params.get('asOf');
  const ignored: string[] = [];
  if (release !== null && release !== '') {
    if (BasisFields.release.safeParse(release).success) {
      if (asOf !== null) ignored.push('asOf');
      return { basis: { release }, ignored };
    }
    ignored.push('release');
  }
  if (asOf !== null && asOf !== '') {
    if (BasisFields.asOf.safeParse(asOf).success) return { basis: { asOf }, ignored };
    ignored.push('asOf');
  }
  return { basis: {}, ignored };
}

/**
 * The filters of an address, and each value the page cannot use with why (the words of the API
 * where it has them). Periods are whole months on the pages, for every reader: a month
 * `YYYY-MM` or, from older links, its first or last day; any other day is not applied, with the
 * same words a protected answer of the API gives for it.
 */
export function filtersOfParams(params: URLSearchParams): {
  filters: OutcomeFilters;
  unused: Unused[];
} {
  const valid: Record<string, unknown> = {};
  const unused: Unused[] = [];
  for (const key of LIST_FILTER_NAMES) {
    const value = params.get(key);
    if (!value) continue;
    const list = value.split(',').filter(Boolean);
    if (OutcomeFilters.safeParse({ [key]: list }).success) valid[key] = list;
    else unused.push({ name: key, value, why: 'not a value this filter takes' });
  }
  for (const key of DATE_FILTER_NAMES) {
    const value = params.get(key);
    if (!value) continue;
    const parsed = OutcomeFilters.safeParse({ [key]: value });
    if (!parsed.success) {
      // The API's words for the same value (OutcomeFilters).
      unused.push({ name: key, value, why: parsed.error.issues[0]?.message ?? 'not a month' });
      continue;
    }
    const day = parsed.data[key] ?? '';
    const finer = finerThanMonthProblem(key === 'startedFrom' ? { from: day } : { to: day });
    if (finer === null) valid[key] = value;
    else unused.push({ name: key, value, why: finer });
  }
  // Each bound valid alone, the two reversed: the end is not applied.
  if (!OutcomeFilters.safeParse(valid).success && valid.startedTo !== undefined) {
    unused.push({
      name: 'startedTo',
      value: String(valid.startedTo),
      // The words of the API's refusal of the same period.
      why: 'the period ends before it starts (startedTo is before startedFrom)',
    });
    delete valid.startedTo;
  }
  return { filters: OutcomeFilters.parse(valid), unused };
}

export function useFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();

  const { filters, unused } = useMemo(() => filtersOfParams(params), [params]);
  const fromBasis = useMemo(() => basisOfParams(params), [params]);

  /** Sets (or, with null or '', removes) several parameters in one change of the URL. */
  const setParams = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === '') next.delete(key);
        else next.set(key, value);
      }
      const query = next.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [params, pathname, router],
  );
  const setParam = useCallback(
    (key: string, value: string | null) => setParams({ [key]: value }),
    [setParams],
  );

  return {
    filters,
    basis: fromBasis.basis,
    unused: [
      ...unused,
      ...fromBasis.ignored.map((name) => ({
        name,
        value: params.get(name) ?? '',
        why:
          name === 'asOf' ? 'not a moment the page can ask for' : 'not a release of this network',
      })),
    ],
    params,
    setParam,
    setParams,
  };
}
