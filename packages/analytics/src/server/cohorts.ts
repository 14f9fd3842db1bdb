import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import { CohortName, OutcomeFilters } from '../dimensions.js';
import type { SavedCohort } from '../types.js';

/**
 * Named cohorts, saved in the warehouse so a team shares them. A cohort is only a name and a
 * filter set; its numbers are always computed fresh, with suppression, when it is shown.
 */
const list = defineQuery({
  name: 'cohorts.list',
  sql: 'SELECT name, filters, toString(saved_at) AS saved_at FROM cohorts FINAL ORDER BY name',
  params: z.object({}),
  row: z.object({ name: z.string(), filters: z.string(), saved_at: z.string() }),
});

let lastVersion = 0;
const nextVersion = () => {
  lastVersion = Math.max(lastVersion + 1, Date.now() * 1000);
  return lastVersion;
};

export async function listCohorts(warehouse: Warehouse): Promise<SavedCohort[]> {
  const rows = await warehouse.query(list, {});
  return rows.flatMap((row) => {
    const filters = OutcomeFilters.safeParse(JSON.parse(row.filters));
    // A definition this version cannot read is left out rather than shown wrongly.
    return filters.success
      ? [{ name: row.name, filters: filters.data, savedAt: `${row.saved_at.replace(' ', 'T')}Z` }]
      : [];
  });
}

export async function saveCohort(
  warehouse: Warehouse,
  input: { name: string; filters: OutcomeFilters },
): Promise<void> {
  const name = CohortName.parse(input.name);
  const filters = OutcomeFilters.parse(input.filters);
  await warehouse.insert({
    name: 'cohorts.save',
    table: 'cohorts',
    rows: [
      {
        name,
        filters: JSON.stringify(filters),
        saved_at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
        version: nextVersion(),
        is_deleted: 0,
      },
    ],
  });
}

export async function deleteCohort(warehouse: Warehouse, name: string): Promise<void> {
  await warehouse.insert({
    name: 'cohorts.delete',
    table: 'cohorts',
    rows: [
      {
        name: CohortName.parse(name),
        filters: '{}',
        saved_at: '1970-01-01 00:00:00.000',
        version: nextVersion(),
        is_deleted: 1,
      },
    ],
  });
}
