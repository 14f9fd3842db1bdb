import { z } from 'zod';
import { BasisFields, ReleaseName } from '../../access.js';
import { accessLogCsv } from '../../csv/access-log-csv.js';
import { csvFile } from '../../csv/cells.js';
import { AccessLogQuery, readAccessLog } from '../access-log.js';
import { readBudgets } from '../budget.js';
import { latestRecorded, listReleases, RELEASE_FIELDS, verifyRelease } from '../frozen-releases.js';
import { defineRead } from './define-read.js';

/** The reads of governance: the access log, the readers' budgets, and frozen releases. */

/** The access log, newest first. */
export const accessLogRead = defineRead({
  name: 'access.log',
  input: AccessLogQuery,
  capability: 'accessLog:read',
  scope: 'names',
  basis: false,
  run: ({ warehouse, scope }, input) => readAccessLog(warehouse, scope.principal, input),
  csv: accessLogCsv,
});

/** Protected readers' use of their daily budget of distinct cohorts, on a UTC day. */
export const budgetsRead = defineRead({
  name: 'access.budgets',
  input: z.strictObject({ day: z.iso.date().optional() }),
  capability: 'accessLog:read',
  scope: 'names',
  basis: false,
  run: async ({ warehouse, budget }, input) => {
    const day = input.day ?? new Date().toISOString().slice(0, 10);
    return { day, perDay: budget.perDay, readers: await readBudgets(warehouse, day) };
  },
});

/**
 * The frozen releases every analysis can be asked of (`release=<name>`), newest first, for
 * every reader (docs/outcomes.md, "As of and releases"). Names and moments, never numbers of
 * episodes: the same list for every reader.
 */
export const releasesRead = defineRead({
  name: 'releases.list',
  input: z.strictObject({}).optional(),
  capability: 'releases:read',
  scope: 'names',
  basis: false,
  run: async ({ warehouse }) => ({ releases: await listReleases(warehouse) }),
  asked: () => ({}),
  csv: ({ releases }) =>
    csvFile(
      RELEASE_FIELDS,
      releases.map((r) => RELEASE_FIELDS.map((c) => r[c])),
    ),
  rest: {
    path: '/v1/releases',
    params: [],
    usage: 'this list takes no parameters',
    cohortFilters: false,
    input: () => ({}),
  },
});

/**
 * What the numbers of a question with this basis are as of (for the note on every page): the
 * release's or the asked moment, or for live numbers the latest event recorded.
 */
export const basisRead = defineRead({
  name: 'releases.basis',
  input: z.strictObject(BasisFields),
  capability: 'outcomes:read',
  scope: 'names',
  run: async ({ warehouse, scope }) => ({
    recordedUpTo: scope.basis.kind === 'live' ? await latestRecorded(warehouse) : scope.basis.asOf,
  }),
});

/** Recomputes the content hash of a release from its rows. */
export const verifyReleaseRead = defineRead({
  name: 'releases.verify',
  input: z.strictObject({ name: ReleaseName }),
  capability: 'releases:manage',
  scope: 'names',
  basis: false,
  run: ({ warehouse }, input) => verifyRelease(warehouse, input.name),
});
