import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { Principal } from '../access.js';
import { can } from '../capabilities.js';
import { CohortName, OutcomeFilters } from '../dimensions.js';
import { AccessDeniedError, ConflictError } from '../errors.js';
import type { SavedCohort } from '../types.js';

/**
 * Named cohorts: a name and a filter set, owned by the principal that saved it, private or
 * shared with the network. Their numbers are always computed fresh, within the reader's scope,
 * when shown. Saving over an existing name is a conflict unless the request says to replace it;
 * only the owner or a steward deletes.
 */
export const CohortVisibility = z.enum(['private', 'network']);

const list = defineQuery({
  name: 'cohorts.list',
  sql: `SELECT owner, name, visibility, filters, toString(saved_at) AS saved_at FROM cohorts_v2 FINAL
WHERE owner = {owner:String} OR visibility = 'network' ORDER BY name, owner`,
  params: z.object({ owner: z.string() }),
  row: z.object({
    owner: z.string(),
    name: z.string(),
    visibility: CohortVisibility,
    filters: z.string(),
    saved_at: z.string(),
  }),
});

const existing = defineQuery({
  name: 'cohorts.exists',
  sql: 'SELECT count() AS n FROM cohorts_v2 FINAL WHERE owner = {owner:String} AND name = {name:String}',
  params: z.object({ owner: z.string(), name: z.string() }),
  row: z.object({ n: z.coerce.number() }),
});

let lastVersion = 0;
const nextVersion = () => {
  lastVersion = Math.max(lastVersion + 1, Date.now() * 1000);
  return lastVersion;
};

export async function listCohorts(
  warehouse: Warehouse,
  principal: Principal,
): Promise<SavedCohort[]> {
  const rows = await warehouse.query(list, { owner: principal.name });
  const steward = can(principal, 'cohorts:manageAll');
  return rows.flatMap((row) => {
    const filters = OutcomeFilters.safeParse(JSON.parse(row.filters));
    // A definition this version cannot read is left out rather than shown wrongly.
    return filters.success
      ? [
          {
            name: row.name,
            owner: row.owner,
            visibility: row.visibility,
            mine: row.owner === principal.name || steward,
            filters: filters.data,
            savedAt: `${row.saved_at.replace(' ', 'T')}Z`,
          },
        ]
      : [];
  });
}

export async function saveCohort(
  warehouse: Warehouse,
  principal: Principal,
  input: {
    name: string;
    filters: OutcomeFilters;
    visibility: 'private' | 'network';
    replace: boolean;
  },
): Promise<void> {
  const name = CohortName.parse(input.name);
  const filters = OutcomeFilters.parse(input.filters);
  if (!input.replace) {
    const [row] = await warehouse.query(existing, { owner: principal.name, name });
    if ((row?.n ?? 0) > 0) {
      throw new ConflictError(
        `you already have a cohort named "${name}"; replace it or choose another name`,
      );
    }
  }
  await warehouse.insert({
    name: 'cohorts.save',
    table: 'cohorts_v2',
    rows: [
      {
        owner: principal.name,
        name,
        visibility: input.visibility,
        filters: JSON.stringify(filters),
        saved_at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
        version: nextVersion(),
        is_deleted: 0,
      },
    ],
  });
}

export async function deleteCohort(
  warehouse: Warehouse,
  principal: Principal,
  input: { name: string; owner?: string | undefined },
): Promise<void> {
  const name = CohortName.parse(input.name);
  const owner = input.owner ?? principal.name;
  if (owner !== principal.name && !can(principal, 'cohorts:manageAll')) {
    throw new AccessDeniedError('only the owner of a cohort or a steward may delete it');
  }
  const [row] = await warehouse.query(existing, { owner, name });
  if ((row?.n ?? 0) === 0)
    throw new ConflictError(`there is no cohort "${name}" of ${owner || 'the network'} to delete`);
  await warehouse.insert({
    name: 'cohorts.delete',
    table: 'cohorts_v2',
    rows: [
      {
        owner,
        name,
        visibility: 'private',
        filters: '{}',
        saved_at: '1970-01-01 00:00:00.000',
        version: nextVersion(),
        is_deleted: 1,
      },
    ],
  });
}
