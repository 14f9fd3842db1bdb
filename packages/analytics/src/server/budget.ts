import { createHash } from 'node:crypto';
import { defineQuery, toClickHouseTime, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import { type Basis, LIVE, type Principal } from '../access.js';
import { FILTER_VOCABULARIES, LIST_FILTER_NAMES, type OutcomeFilters } from '../dimensions.js';
import { BudgetExceededError } from '../errors.js';

/**
 * The daily budget of distinct cohorts (docs/outcomes.md, "Disclosure control", "Budget"). Noise
 * keyed to the set of episodes cannot be averaged away by asking one cohort again, but it can
 * by asking many different cohorts that all contain one person: each is one more independent
 * look at that person's contribution. The budget bounds the looks a protected reader gets per
 * UTC day. A cohort is its filters in canonical form: values sorted and deduplicated, a list of
 * every value of a dimension that every episode has the same as no filter (ALWAYS_SET), so
 * spelling a cohort differently does not make it a new one, and two different sets of episodes
 * are never one cohort. Groupings of one cohort (by problem area, by month...) are not new cohorts.
 *
 * Uses are kept in the warehouse (`cohort_budget`), so the steward sees them, and a restart
 * does not renew a budget. Charges of one reader are serialised in this process; replicas of the
 * dashboard may together overrun a budget by at most one cohort each.
 */
export interface CohortBudget {
  readonly perDay: number;
  /** Charges the cohort to the reader's budget of today; throws BudgetExceededError past it. */
  /**
   * Charges a question's cohort; as of a moment or of a release it is another cohort than the
   * live one (other rows), so each basis is charged on its own.
   */
  charge(principal: Principal, filters: OutcomeFilters, basis?: Basis): Promise<void>;
}

/**
 * Filters whose column has a value for every started episode: listing all their values selects
 * the same episodes as no filter. Not sex (optional in episode.started) nor baseline severity
 * (empty without a baseline): a list of every value of those leaves some episodes out, so it is
 * another cohort.
 */
const ALWAYS_SET = new Set<string>([
  'condition',
  'adaptation',
  'ageBand',
  'modality',
  'problemArea',
  'medication',
]);

export function canonicalCohort(filters: OutcomeFilters): Record<string, unknown> {
  const canonical: Record<string, unknown> = {};
  for (const name of LIST_FILTER_NAMES) {
    const values = filters[name];
    if (values === undefined) continue;
    const unique = [...new Set<string>(values)].sort();
    const vocabulary: readonly string[] | undefined = FILTER_VOCABULARIES[name];
    if (ALWAYS_SET.has(name) && vocabulary?.every((v) => unique.includes(v))) continue;
    canonical[name] = unique;
  }
  if (filters.startedFrom !== undefined) canonical.startedFrom = filters.startedFrom;
  if (filters.startedTo !== undefined) canonical.startedTo = filters.startedTo;
  return canonical;
}

/** The basis as part of a cohort's identity: nothing for live (as before bases existed). */
const basisOfCohort = (basis: Basis): Record<string, string> =>
  basis.kind === 'live'
    ? {}
    : basis.kind === 'asOf'
      ? { asOf: new Date(basis.asOf).toISOString() }
      : { release: basis.release };

const usage = defineQuery({
  name: 'budget.usage',
  sql: 'SELECT uniqExact(cohort) AS used, countIf(cohort = {cohort:String}) AS seen FROM cohort_budget WHERE day = {day:Date} AND principal = {principal:String}',
  params: z.object({ day: z.string(), principal: z.string(), cohort: z.string() }),
  row: z.object({ used: z.coerce.number(), seen: z.coerce.number() }),
});

export function createCohortBudget(
  warehouse: Warehouse,
  options: { perDay: number; now?: () => Date },
): CohortBudget {
  const now = options.now ?? (() => new Date());
  const known = new Map<string, Set<string>>();
  const queues = new Map<string, Promise<unknown>>();
  let knownDay = '';

  const chargeNow = async (principal: Principal, filters: OutcomeFilters, basis: Basis) => {
    const at = now();
    const day = at.toISOString().slice(0, 10);
    if (day !== knownDay) {
      known.clear();
      knownDay = day;
    }
    const cohortFilters = { ...canonicalCohort(filters), ...basisOfCohort(basis) };
    const text = JSON.stringify(cohortFilters);
    const cohort = createHash('sha256').update(text).digest('hex');
    const mine = known.get(principal.name) ?? new Set<string>();
    known.set(principal.name, mine);
    if (mine.has(cohort)) return;
    const [row] = await warehouse.query(usage, { day, principal: principal.name, cohort });
    if ((row?.seen ?? 0) > 0) {
      mine.add(cohort);
      return;
    }
    const used = row?.used ?? 0;
    if (used >= options.perDay) {
      const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1);
      throw new BudgetExceededError(
        `the daily budget of ${options.perDay} distinct cohorts for protected numbers is used up (${used} today); questions about cohorts already asked today are still answered, and the budget renews at 00:00 UTC`,
        Math.ceil((midnight - at.getTime()) / 1000),
      );
    }
    await warehouse.insert({
      name: 'budget.charge',
      table: 'cohort_budget',
      rows: [
        {
          day,
          principal: principal.name,
          cohort,
          filters: text,
          first_at: toClickHouseTime(at.toISOString()),
        },
      ],
    });
    mine.add(cohort);
  };

  return {
    perDay: options.perDay,
    charge(principal, filters, basis = LIVE) {
      const previous = queues.get(principal.name) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => chargeNow(principal, filters, basis));
      queues.set(principal.name, next);
      void next
        .finally(() => {
          if (queues.get(principal.name) === next) queues.delete(principal.name);
        })
        .catch(() => undefined);
      return next;
    },
  };
}

const budgetsToday = defineQuery({
  name: 'budget.today',
  sql: 'SELECT principal, uniqExact(cohort) AS used, toString(max(first_at)) AS latest FROM cohort_budget WHERE day = {day:Date} GROUP BY principal ORDER BY used DESC, principal',
  params: z.object({ day: z.string() }),
  row: z.object({ principal: z.string(), used: z.coerce.number(), latest: z.string() }),
});

/** Budget use of every protected reader on a UTC day, for the steward. */
export function readBudgets(
  warehouse: Warehouse,
  day: string,
): Promise<Array<{ principal: string; used: number; latest: string }>> {
  return warehouse.query(budgetsToday, { day });
}
