/**
 * A clinic filter names clinics the network has. An unknown code (a typo, a clinic that never
 * sent an event) is refused with a 400 that names it, rather than answered as a suppressed
 * group, which would read as "some episodes, too few to show". Clinic codes are organisations,
 * not people: saying which exist discloses nothing the audit does not.
 */
import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import { QuestionError } from '../errors.js';

const clinicsQuery = defineQuery({
  name: 'clinics.known',
  sql: 'SELECT DISTINCT clinic_id FROM events',
  params: z.object({}),
  row: z.object({ clinic_id: z.string() }),
});

/** Per warehouse: the codes seen, and when. A miss asks again before refusing (a new clinic). */
const cache = new WeakMap<Warehouse, { clinics: Set<string>; at: number }>();
const FRESH_MS = 60_000;

async function knownClinics(warehouse: Warehouse, fresh: boolean): Promise<Set<string>> {
  const cached = cache.get(warehouse);
  if (!fresh && cached !== undefined && Date.now() - cached.at < FRESH_MS) return cached.clinics;
  const rows = await warehouse.query(clinicsQuery, {});
  const clinics = new Set(rows.map((row) => row.clinic_id));
  cache.set(warehouse, { clinics, at: Date.now() });
  return clinics;
}

export async function assertKnownClinics(
  warehouse: Warehouse,
  asked: readonly string[] | undefined,
): Promise<void> {
  if (asked === undefined || asked.length === 0) return;
  let known = await knownClinics(warehouse, false);
  if (asked.every((clinic) => known.has(clinic))) return;
  known = await knownClinics(warehouse, true);
  const unknown = asked.filter((clinic) => !known.has(clinic));
  if (unknown.length > 0) {
    throw new QuestionError(
      `clinic: no clinic ${unknown.join(', ')} in the network (clinic codes are lower case, e.g. north-01)`,
    );
  }
}
