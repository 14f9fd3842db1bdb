import { LIVE } from '@ipt/analytics';
import { listReleases, RELEASE_FIELDS } from '@ipt/analytics/server';
import type { Warehouse } from '@ipt/warehouse';
import type { Router } from 'express';
import { readQuery } from './read-query.js';
import { readRoute } from './read-route.js';

const COLUMNS = RELEASE_FIELDS;

const csvCell = (value: unknown) => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/**
 * `GET /v1/releases`: the frozen releases every analysis can be asked of (`release=<name>`),
 * newest first, for every reader (docs/outcomes.md, "As of and releases"). Stewards make and delete
 * them (the dashboard, `ipt release`).
 */
export function releasesRouter(ctx: Parameters<typeof readRoute>[0], warehouse: Warehouse): Router {
  return readRoute(ctx, warehouse, {
    path: '/v1/releases',
    basis: false,
    parse: (query) => {
      readQuery(query, [], 'this list takes no parameters', { cohortFilters: false });
      return { filters: {} };
    },
    // Names and moments, never numbers of episodes: the same list for every reader.
    scope: (principal) => ({ principal, rows: { kind: 'network' }, release: 'exact', basis: LIVE }),
    answer: async () => {
      const releases = await listReleases(warehouse);
      return {
        released: null,
        asked: {},
        json: () => ({ releases }),
        csv: () =>
          [
            COLUMNS.join(','),
            ...releases.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(',')),
          ].join('\n'),
      };
    },
  });
}
