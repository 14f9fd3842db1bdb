'use client';

import { BasisFields, DATE_FILTER_NAMES, LIST_FILTER_NAMES, OutcomeFilters } from '@ipt/analytics';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { wholeMonths } from './months';

/**
 * Filters live in the URL, so a view can be shared by link. Lists are comma-separated, as in
 * GET /v1/outcomes; a value the schema refuses is dropped rather than breaking the page, and
 * named in `ignored` so the page can say so. The
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

export function useFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();

  const { filters, ignored } = useMemo(() => {
    const raw: Record<string, unknown> = {};
    for (const key of LIST_FILTER_NAMES) {
      const value = params.get(key);
      if (value) raw[key] = value.split(',').filter(Boolean);
    }
    for (const key of DATE_FILTER_NAMES) {
      const value = params.get(key);
      if (value) raw[key] = value;
    }
    const parsed = OutcomeFilters.safeParse(raw);
    if (parsed.success) return { filters: wholeMonths(parsed.data), ignored: [] as string[] };
    // Keep the valid part: drop each field the schema refuses, and say so (FilterBar).
    const valid: Record<string, unknown> = {};
    const ignored: string[] = [];
    for (const [key, value] of Object.entries(raw)) {
      if (OutcomeFilters.safeParse({ [key]: value }).success) valid[key] = value;
      else ignored.push(key);
    }
    // Each date valid alone, the two reversed: the end goes.
    if (!OutcomeFilters.safeParse(valid).success && valid.startedTo !== undefined) {
      delete valid.startedTo;
      ignored.push('startedTo');
    }
    return { filters: wholeMonths(OutcomeFilters.parse(valid)), ignored };
  }, [params]);
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
    ignored: [...ignored, ...fromBasis.ignored],
    params,
    setParam,
    setParams,
  };
}
