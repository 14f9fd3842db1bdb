import {
  addCellKeys,
  expectedByModel,
  FIDELITY_MEASURES,
  type FidelityName,
  type FindingCode,
  funnelLimits,
  type KeyedCount,
  OUTCOME_RATE_NAMES,
  type PatternCount,
  PROBLEM_AREA_DEADLINE_SESSION,
  perturbCount,
} from '@ipt/protocol';
import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { Scope } from '../access.js';
import { boundClinics } from '../capabilities.js';
import { ADJUSTMENT_LEVELS, type OutcomeFilters } from '../dimensions.js';
import type { AuditResult, AuditUnit } from '../types.js';
import {
  type DisclosureRule,
  type DisclosureSettings,
  disclosureFor,
  disclosureOf,
  NOISE_STREAMS,
} from './disclosure.js';
import { expectedReference } from './expected-recovery.js';
import { assertKeyed, keyed, keyedCount, keyedShape, unkeyedColumn } from './keyed-sql.js';
import { addKeyed, poolSmallLevels } from './level-pools.js';
import { offTrackSql } from './off-track.js';
import { cohortWhere, FLAG_SQL } from './outcomes-sql.js';
import { assertAuditLevel, nameableClinics } from './scope.js';

/**
 * The clinic audit: each clinic (or therapist pseudonym) against the network. Reliable
 * improvement is standardised indirectly, its expected count from the network's logistic model
 * of baseline severity, age band and condition, so a clinic is not judged by its case mix, and
 * placed on a funnel plot with 95% and 99.8% limits around the network
 * rate (Spiegelhalter 2005). Fidelity: completed standard courses within 12-16 sessions,
 * primary problem area by session 3, PHQ-9 at every attended session. Units below k are
 * suppressed whole (and, in a protected answer, not named at all); a ratio whose denominator is
 * below k has no numbers. Protected answers perturb every count by its cell key and standardise
 * with perturbed cells; a clinic reader sees its own units exactly beside them.
 */
const AUDIT_COUNTS = [
  'n',
  'eligible',
  'improved',
  'completed_standard',
  'within_range',
  'reached_3',
  'area_by_3',
  'attended_any',
  'phq9_every',
  'judged',
  'off_track',
  'self_harm',
] as const;
type AuditCount = (typeof AUDIT_COUNTS)[number];
const auditRow = z.object({
  clinic: z.string(),
  unit: z.string(),
  band: z.string(),
  age: z.string(),
  cond: z.string(),
  ...keyedShape(AUDIT_COUNTS),
});
type AuditRow = z.infer<typeof auditRow>;

const ZERO: KeyedCount = { count: 0, key: 0 };

/**
 * Whether the fold found `code` in the episode. Typed by the fold's own codes: a code renamed in
 * @ipt/protocol stops the build here instead of silently matching nothing (100% fidelity).
 */
const hasFinding = (code: FindingCode) =>
  `has(arrayMap(f -> tupleElement(f, 'code'), findings), '${code}')`;

/**
 * The episodes each fidelity measure applies to, as `fidelityApplies` in @ipt/protocol says; a
 * parity test holds the two equal for every episode.
 */
export const FIDELITY_APPLIES_SQL: Record<FidelityName, string> = {
  sessionsWithinRange: "ended = 1 AND end_reason = 'completed' AND adaptation = 'standard'",
  problemAreaBySession3: `sessions_attended >= ${PROBLEM_AREA_DEADLINE_SESSION}`,
  phq9EverySession: 'sessions_attended >= 1',
};

/** A measure met: it applies, and the fold found no breach of it (FIDELITY_MEASURES). */
export const fidelityMetSql = (name: FidelityName): string =>
  `${FIDELITY_APPLIES_SQL[name]} AND NOT ${hasFinding(FIDELITY_MEASURES[name].breach)}`;

export async function clinicAudit(
  warehouse: Warehouse,
  scope: Scope,
  input: { level: 'clinic' | 'therapist'; filters: OutcomeFilters },
  options: DisclosureSettings,
): Promise<AuditResult> {
  assertAuditLevel(scope, input.level);
  const disclosure = disclosureFor(scope, options);
  // Inside a protected answer, a clinic reader still sees its own clinics' units exactly.
  const exact = disclosureOf('exact', options);
  const own = (clinic: string) =>
    !disclosure.protected || (boundClinics(scope.principal)?.includes(clinic) ?? false);
  const { from, where, params } = cohortWhere(scope, input.filters);
  const unit = input.level === 'clinic' ? 'clinic_id' : 'therapist_id';
  // Off track is judged against the whole network's expected curves, whatever the cohort.
  const offTrack = offTrackSql(await expectedReference(warehouse, scope.basis, options));
  const conditions: Record<AuditCount, string | null> = {
    n: null,
    eligible: FLAG_SQL.eligible,
    improved: `${FLAG_SQL.eligible} AND ${FLAG_SQL.reliableImprovement}`,
    completed_standard: FIDELITY_APPLIES_SQL.sessionsWithinRange,
    within_range: fidelityMetSql('sessionsWithinRange'),
    reached_3: FIDELITY_APPLIES_SQL.problemAreaBySession3,
    area_by_3: fidelityMetSql('problemAreaBySession3'),
    attended_any: FIDELITY_APPLIES_SQL.phq9EverySession,
    phq9_every: fidelityMetSql('phq9EverySession'),
    judged: offTrack.judged,
    off_track: offTrack.offTrack,
    self_harm: 'self_harm_flagged = 1',
  };
  // A therapist is a unit per clinic: one who works in two clinics is two units, so no unit
  // mixes a clinic's data with another's.
  const sql = `SELECT clinic_id AS clinic, ${unit} AS unit, baseline_severity AS band, age_band AS age, condition AS cond,
  ${[
    ...AUDIT_COUNTS.flatMap((c) => keyedCount(c, conditions[c], disclosure.protected)),
    ...unkeyedColumn(disclosure.protected),
  ].join(',\n  ')}
FROM ${from}
WHERE ${where}
GROUP BY clinic, unit, band, age, cond`;
  const rows = await warehouse.query(
    defineQuery({
      name: `audit.${input.level}`,
      sql,
      params: z.record(z.string(), z.unknown()),
      row: auditRow,
    }),
    params,
  );
  if (disclosure.protected) assertKeyed(rows);
  // The cohort's share off track, a cell of every row in scope like the network rate.
  const sumOf = (field: AuditCount): KeyedCount => ({
    count: rows.reduce((sum, row) => sum + row[field], 0),
    key: addCellKeys(...rows.map((row) => row[`${field}_key`])),
  });
  const base = {
    minCellSize: disclosure.policy.k,
    protected: disclosure.protected,
    level: input.level,
    networkOffTrack: disclosure.rate(sumOf('off_track'), sumOf('judged')),
  };
  const eligibleRows = rows.filter((r) => r.eligible > 0 && r.band !== '');
  if (eligibleRows.length === 0) {
    return { ...base, caseMix: CASE_MIX, networkRate: null, units: [], funnel: [] };
  }
  // The network rate is a cell like any other: a protected cohort of fewer than k paired
  // finished episodes has none (and no unit in it has k).
  const network = eligibleRows.reduce((total, r) => addKeyed(total, keyed(r, 'eligible')), ZERO);
  if (disclosure.protected && disclosure.count(network) === null) {
    return { ...base, caseMix: CASE_MIX, networkRate: null, units: [], funnel: [] };
  }
  // In one order however the warehouse returned them: the fit sums the same cells the same way,
  // so the live answer, the one as of a moment and a release's agree to the last digit.
  const sorted = [...eligibleRows].sort((a, b) => {
    const x = JSON.stringify([a.clinic, a.unit, a.band, a.age, a.cond]);
    const y = JSON.stringify([b.clinic, b.unit, b.band, b.age, b.cond]);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const model = networkModel(sorted, network, disclosure, own);
  const { networkRate } = model;
  const standardisedByUnit = model.expected;
  // The network rate and limits come from every row in scope; only units the reader may see
  // are named (a clinic reader: its own clinics and their therapists).
  const nameable = nameableClinics(scope);
  const byUnit = new Map<string, AuditRow[]>();
  for (const row of rows) {
    if (nameable !== 'all' && !nameable.includes(row.clinic)) continue;
    byUnit.set(unitKey(row), [...(byUnit.get(unitKey(row)) ?? []), row]);
  }
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
  const units: AuditUnit[] = [...byUnit.entries()]
    .flatMap(([key, unitRows]): AuditUnit[] => {
      const { unit: name, clinic } = unitRows[0] ?? { unit: key, clinic: '' };
      const r = own(clinic) ? exact : disclosure;
      // The unit's counts: its cells added up, keys too (a key of a union is the sum of keys).
      const total = (field: AuditCount): KeyedCount => ({
        count: unitRows.reduce((sum, row) => sum + row[field], 0),
        key: addCellKeys(...unitRows.map((row) => row[`${field}_key`])),
      });
      const n = r.count(total('n'));
      // A unit below k: named (as withheld) only to readers who see it exactly.
      if (n === null) return r.protected ? [] : [{ unit: name, clinic, suppressed: true }];
      const eligible = r.count(total('eligible'));
      const improvement = r.rate(total('improved'), total('eligible'));
      const expected = standardisedByUnit.get(key);
      const ratio =
        improvement === null || expected === undefined || expected <= 0
          ? null
          : improvement.count / expected;
      const standardisedRate = ratio === null ? null : ratio * networkRate;
      const limits = eligible === null ? null : limitsAt(eligible);
      const selfHarm = total('self_harm');
      return [
        {
          unit: name,
          clinic,
          suppressed: false,
          n,
          eligible,
          reliableImprovement: improvement,
          expected: eligible !== null && expected !== undefined ? expected : null,
          ratio,
          standardisedRate,
          funnel:
            limits === null || standardisedRate === null
              ? null
              : standardisedRate < limits.lower998 || standardisedRate > limits.upper998
                ? 'outside_99.8'
                : standardisedRate < limits.lower95 || standardisedRate > limits.upper95
                  ? 'outside_95'
                  : 'within',
          sessionsWithinRange: r.rate(total('within_range'), total('completed_standard')),
          problemAreaBySession3: r.rate(total('area_by_3'), total('reached_3')),
          phq9EverySession: r.rate(total('phq9_every'), total('attended_any')),
          offTrack: r.rate(total('off_track'), total('judged')),
          // A count of people with a sensitive flag is itself a cell: below k it is withheld
          // (none at all is shown as 0 to the unit's own readers only).
          selfHarmFlags: selfHarm.count === 0 && !r.protected ? 0 : r.count(selfHarm),
        },
      ];
    })
    .sort((a, b) =>
      a.clinic === b.clinic ? (a.unit < b.unit ? -1 : 1) : a.clinic < b.clinic ? -1 : 1,
    );
  const sizes = units.flatMap((u) => (u.suppressed || u.eligible === null ? [] : [u.eligible]));
  const k = disclosure.policy.k;
  const maxN = Math.max(k, ...sizes);
  const steps = 40;
  const funnel = Array.from({ length: steps + 1 }, (_, i) =>
    Math.max(k, Math.round(k + ((maxN - k) * i) / steps)),
  )
    .filter((n, i, all) => all.indexOf(n) === i)
    .map((n) => ({ n, ...limitsAt(n) }));
  return { ...base, caseMix: model.caseMix, networkRate, units, funnel };
}

/** The case-mix factors of the audit's expected counts, in the rows' order (band, age, cond). */
const AUDIT_FACTORS = ['baselineSeverity', 'ageBand', 'condition'] as const;
const CASE_MIX: AuditResult['caseMix'] = { adjustedFor: [...AUDIT_FACTORS], note: null };
/** The noise stream of a cell's improvements, keyed by the cell's episodes. */
const IMPROVED_STREAM = NOISE_STREAMS.outcomeInCell(
  OUTCOME_RATE_NAMES.indexOf('reliableImprovement'),
);

/**
 * Expected improvements by unit from the network's logistic model of reliable improvement on
 * baseline severity, age band and condition (no unit term; docs/outcomes.md, "Clinic audit"),
 * fitted on the network's counts by pattern: protected ones for a protected answer (each
 * pattern's episodes and improvements keyed by its episodes), with each factor's levels below k
 * pooled with a neighbour first; a unit's own episodes exact to its own reader, perturbed
 * otherwise. Without a fit (a network whose outcome does not vary), expected from the network
 * rate alone, and said so.
 */
function networkModel(
  rows: readonly AuditRow[],
  network: KeyedCount,
  disclosure: DisclosureRule,
  own: (clinic: string) => boolean,
): { networkRate: number; expected: ReadonlyMap<string, number>; caseMix: AuditResult['caseMix'] } {
  const policy = disclosure.policy;
  const levelsOf = (r: AuditRow) => [r.band, r.age, r.cond];
  // For a protected answer, each factor's small levels pooled (see level-pools.ts).
  const pools = AUDIT_FACTORS.map((factor, i) => {
    if (!disclosure.protected) return (level: string) => level;
    const sizes = new Map<string, { eligible: KeyedCount }>();
    for (const r of rows) {
      const level = levelsOf(r)[i] as string;
      sizes.set(level, {
        eligible: addKeyed(sizes.get(level)?.eligible ?? ZERO, keyed(r, 'eligible')),
      });
    }
    return poolSmallLevels(sizes, ADJUSTMENT_LEVELS[factor], disclosure);
  });
  const pooled = (r: AuditRow) =>
    levelsOf(r).map((level, i) => (pools[i] as (l: string) => string)(level));
  const patterns = new Map<
    string,
    { levels: string[]; eligible: KeyedCount; improved: KeyedCount }
  >();
  for (const r of rows) {
    const levels = pooled(r);
    const id = JSON.stringify(levels);
    const p = patterns.get(id);
    patterns.set(id, {
      levels,
      eligible: addKeyed(p?.eligible ?? ZERO, keyed(r, 'eligible')),
      improved: addKeyed(p?.improved ?? ZERO, keyed(r, 'improved')),
    });
  }
  const networkCounts: PatternCount[] = [...patterns.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, p]) => {
      if (!disclosure.protected)
        return { levels: p.levels, events: p.improved.count, n: p.eligible.count };
      const n = perturbCount(p.eligible, policy);
      // Keyed by the pattern's episodes, like the adjusted comparison's cells.
      const events = perturbCount(
        { count: p.improved.count, key: p.eligible.key },
        policy,
        IMPROVED_STREAM,
      );
      return { levels: p.levels, events: Math.min(events, n), n };
    });
  const units = rows.map((r) => ({
    unit: unitKey(r),
    levels: pooled(r),
    n:
      own(r.clinic) || !disclosure.protected
        ? r.eligible
        : perturbCount(keyed(r, 'eligible'), policy),
  }));
  const factors = AUDIT_FACTORS.map((name, i) => ({
    name,
    levels: [
      ...new Set([
        ...ADJUSTMENT_LEVELS[name].map((l) => (pools[i] as (l: string) => string)(l)),
        ...networkCounts.map((p) => p.levels[i] as string),
      ]),
    ],
  }));
  // The network rate from its totals, one cell (protected: its improvements keyed by its
  // episodes, like every cell of the model), not from the patterns' noise added up.
  const improvedTotal = rows.reduce((total, r) => addKeyed(total, keyed(r, 'improved')), ZERO);
  const networkRate = disclosure.protected
    ? Math.min(
        perturbCount({ count: improvedTotal.count, key: network.key }, policy, IMPROVED_STREAM),
        perturbCount(network, policy),
      ) / perturbCount(network, policy)
    : improvedTotal.count / network.count;
  const fit = expectedByModel(networkCounts, units, factors);
  if (fit.ok) {
    const separated = fit.separated.map(
      (l) =>
        `${l.factor} ${l.level} (${l.rate === 0 ? 'none' : 'all'} improved) predicted at ${l.rate}`,
    );
    return {
      networkRate,
      expected: fit.expected,
      caseMix: {
        adjustedFor: [...AUDIT_FACTORS],
        note: separated.length === 0 ? null : separated.join('; '),
      },
    };
  }
  const expected = new Map<string, number>();
  for (const u of units) expected.set(u.unit, (expected.get(u.unit) ?? 0) + u.n * networkRate);
  return {
    networkRate,
    expected,
    caseMix: {
      adjustedFor: [],
      note: `the case-mix model could not be fitted (${fit.detail}): expected from the network rate alone`,
    },
  };
}

/** A unit's key: the clinic, or the clinic and therapist (a therapist is a unit per clinic). */
const unitKey = (row: { clinic: string; unit: string }) =>
  row.clinic === row.unit ? row.unit : `${row.clinic}/${row.unit}`;
