import {
  funnelLimits,
  indirectlyStandardise,
  resolveMinCellSize,
  wilsonInterval,
} from '@ipt/protocol';
import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { Scope } from '../access.js';
import type { OutcomeFilters } from '../dimensions.js';
import type { AuditResult, AuditUnit, RateMetric } from '../types.js';
import { cohortWhere } from './outcomes-sql.js';
import { assertAuditLevel, nameableClinics } from './scope.js';

/**
 * The clinic audit: each clinic (or therapist pseudonym) against the network. Reliable
 * improvement is standardised indirectly by baseline severity band, so a clinic is not judged
 * by its case mix, and placed on a funnel plot with 95% and 99.8% limits around the network
 * rate (Spiegelhalter 2005). Fidelity: completed standard courses within 12-16 sessions,
 * primary problem area by session 3, PHQ-9 at every attended session. Units below k are
 * suppressed whole; a ratio whose denominator is below k has no numbers.
 */
const count = z.coerce.number().int().nonnegative();
const auditRow = z.object({
  clinic: z.string(),
  unit: z.string(),
  band: z.string(),
  n: count,
  eligible: count,
  improved: count,
  completed_standard: count,
  within_range: count,
  reached_3: count,
  late_area: count,
  attended_any: count,
  phq9_every: count,
  self_harm: count,
});

const hasFinding = (code: string) =>
  `has(arrayMap(f -> tupleElement(f, 'code'), findings), '${code}')`;

export async function clinicAudit(
  warehouse: Warehouse,
  scope: Scope,
  input: { level: 'clinic' | 'therapist'; filters: OutcomeFilters },
  options: { minCellSize: number },
): Promise<AuditResult> {
  assertAuditLevel(scope, input.level);
  const k = resolveMinCellSize(options.minCellSize);
  const { where, params } = cohortWhere(scope, input.filters);
  const unit = input.level === 'clinic' ? 'clinic_id' : 'therapist_id';
  const completedStandard = "ended = 1 AND end_reason = 'completed' AND adaptation = 'standard'";
  // A therapist is a unit per clinic: one who works in two clinics is two units, so no unit
  // mixes a clinic's data with another's.
  const sql = `SELECT clinic_id AS clinic, ${unit} AS unit, baseline_severity AS band, count() AS n,
  countIf(outcome_eligible = 1) AS eligible,
  countIf(outcome_eligible = 1 AND reliable_improvement = 1) AS improved,
  countIf(${completedStandard}) AS completed_standard,
  countIf(${completedStandard} AND sessions_attended BETWEEN 12 AND 16) AS within_range,
  countIf(sessions_attended >= 3) AS reached_3,
  countIf(sessions_attended >= 3 AND ${hasFinding('problem_area_not_identified_by_session_3')}) AS late_area,
  countIf(sessions_attended >= 1) AS attended_any,
  countIf(sessions_attended >= 1 AND NOT ${hasFinding('phq9_missing_at_attended_session')}) AS phq9_every,
  sum(self_harm_flagged) AS self_harm
FROM episodes FINAL
WHERE ${where}
GROUP BY clinic, unit, band`;
  const rows = await warehouse.query(
    defineQuery({
      name: `audit.${input.level}`,
      sql,
      params: z.record(z.string(), z.unknown()),
      row: auditRow,
    }),
    params,
  );
  const eligibleRows = rows.filter((r) => r.eligible > 0 && r.band !== '');
  if (eligibleRows.length === 0)
    return { minCellSize: k, level: input.level, networkRate: null, units: [], funnel: [] };
  const { networkRate, units: standardised } = indirectlyStandardise(
    eligibleRows.map((r) => ({
      unit: unitKey(r),
      stratum: r.band,
      n: r.eligible,
      events: r.improved,
    })),
  );
  // The network rate and limits come from every row in scope; only units the reader may see
  // are named (a clinic reader: its own clinics and their therapists).
  const nameable = nameableClinics(scope);
  const byUnit = new Map<string, typeof rows>();
  for (const row of rows) {
    if (nameable !== 'all' && !nameable.includes(row.clinic)) continue;
    byUnit.set(unitKey(row), [...(byUnit.get(unitKey(row)) ?? []), row]);
  }
  const standardisedByUnit = new Map(standardised.map((u) => [u.unit, u]));
  // Units of the same size share their limits: computed once per size.
  const limitsBySize = new Map<number, ReturnType<typeof funnelLimits>>();
  const limitsAt = (size: number) => {
    let limits = limitsBySize.get(size);
    if (limits === undefined) {
      limits = funnelLimits(networkRate, size);
      limitsBySize.set(size, limits);
    }
    return limits;
  };
  const rate = (hits: number, of: number): RateMetric | null => {
    if (of < k) return null;
    const ci = wilsonInterval(hits, of);
    return { count: hits, denominator: of, rate: hits / of, ci: [ci.lower, ci.upper] };
  };
  const units: AuditUnit[] = [...byUnit.entries()]
    .map(([key, unitRows]) => {
      const sum = (field: Exclude<keyof (typeof rows)[number], 'clinic' | 'unit' | 'band'>) =>
        unitRows.reduce((total, r) => total + r[field], 0);
      const { unit: name, clinic } = unitRows[0] ?? { unit: key, clinic: '' };
      const n = sum('n');
      if (n < k) return { unit: name, clinic, suppressed: true as const };
      const eligible = sum('eligible');
      const improved = sum('improved');
      const s = standardisedByUnit.get(key);
      const limits = eligible >= k && s !== undefined ? limitsAt(eligible) : null;
      const standardisedRate = eligible >= k ? (s?.standardisedRate ?? null) : null;
      const selfHarm = sum('self_harm');
      return {
        unit: name,
        clinic,
        suppressed: false as const,
        n,
        eligible: eligible >= k ? eligible : null,
        reliableImprovement: rate(improved, eligible),
        expected: eligible >= k && s !== undefined ? s.expected : null,
        ratio: eligible >= k ? (s?.ratio ?? null) : null,
        standardisedRate,
        funnel:
          limits === null || standardisedRate === null
            ? null
            : standardisedRate < limits.lower998 || standardisedRate > limits.upper998
              ? ('outside_99.8' as const)
              : standardisedRate < limits.lower95 || standardisedRate > limits.upper95
                ? ('outside_95' as const)
                : ('within' as const),
        sessionsWithinRange: rate(sum('within_range'), sum('completed_standard')),
        problemAreaBySession3: rate(sum('reached_3') - sum('late_area'), sum('reached_3')),
        phq9EverySession: rate(sum('phq9_every'), sum('attended_any')),
        // A count of people with a sensitive flag is itself a cell: below k it is withheld.
        selfHarmFlags: selfHarm === 0 || selfHarm >= k ? selfHarm : null,
      };
    })
    .sort((a, b) =>
      a.clinic === b.clinic ? (a.unit < b.unit ? -1 : 1) : a.clinic < b.clinic ? -1 : 1,
    );
  const sizes = units.flatMap((u) => (u.suppressed || u.eligible === null ? [] : [u.eligible]));
  const maxN = Math.max(k, ...sizes);
  const steps = 40;
  const funnel = Array.from({ length: steps + 1 }, (_, i) =>
    Math.max(k, Math.round(k + ((maxN - k) * i) / steps)),
  )
    .filter((n, i, all) => all.indexOf(n) === i)
    .map((n) => ({ n, ...limitsAt(n) }));
  return { minCellSize: k, level: input.level, networkRate, units, funnel };
}

/** A unit's key: the clinic, or the clinic and therapist (a therapist is a unit per clinic). */
const unitKey = (row: { clinic: string; unit: string }) =>
  row.clinic === row.unit ? row.unit : `${row.clinic}/${row.unit}`;
