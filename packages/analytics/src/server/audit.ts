import {
  addCellKeys,
  FIDELITY_MEASURES,
  type FidelityName,
  type FindingCode,
  funnelLimits,
  indirectlyStandardise,
  type KeyedCount,
  PROBLEM_AREA_DEADLINE_SESSION,
  perturbCount,
} from '@ipt/protocol';
import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { Scope } from '../access.js';
import { boundClinics } from '../capabilities.js';
import type { OutcomeFilters } from '../dimensions.js';
import type { AuditResult, AuditUnit } from '../types.js';
import { type DisclosureSettings, disclosureFor, disclosureOf } from './disclosure.js';
import { expectedReference } from './expected-recovery.js';
import { assertKeyed, keyed, keyedCount, keyedShape, unkeyedColumn } from './keyed-sql.js';
import { offTrackSql } from './off-track.js';
import { cohortWhere, FLAG_SQL } from './outcomes-sql.js';
import { assertAuditLevel, nameableClinics } from './scope.js';
import { addKeyed, poolSmallBands } from './severity-pools.js';

/**
 * The clinic audit: each clinic (or therapist pseudonym) against the network. Reliable
 * improvement is standardised indirectly by baseline severity band, so a clinic is not judged
 * by its case mix, and placed on a funnel plot with 95% and 99.8% limits around the network
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
  const sql = `SELECT clinic_id AS clinic, ${unit} AS unit, baseline_severity AS band,
  ${[
    ...AUDIT_COUNTS.flatMap((c) => keyedCount(c, conditions[c], disclosure.protected)),
    ...unkeyedColumn(disclosure.protected),
  ].join(',\n  ')}
FROM ${from}
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
  if (eligibleRows.length === 0) return { ...base, networkRate: null, units: [], funnel: [] };
  // The network's band rates come from its band totals, each perturbed once for a protected
  // answer; each unit's expected count from its band sizes as this reader may see them
  // (perturbed, except the reader's own units).
  const bands = new Map<string, { eligible: KeyedCount; improved: KeyedCount }>();
  for (const r of eligibleRows) {
    const b = bands.get(r.band);
    bands.set(r.band, {
      eligible: addKeyed(b?.eligible ?? ZERO, keyed(r, 'eligible')),
      improved: addKeyed(b?.improved ?? ZERO, keyed(r, 'improved')),
    });
  }
  // The network rate is a cell like any other: a protected cohort of fewer than k paired
  // finished episodes has none (and no unit in it has k).
  const network = [...bands.values()].reduce((total, b) => addKeyed(total, b.eligible), ZERO);
  if (disclosure.protected && disclosure.count(network) === null) {
    return { ...base, networkRate: null, units: [], funnel: [] };
  }
  // A protected answer pools a band below k with its neighbour, so no band's rate (which a
  // reader could solve for from its own units' expected counts) comes from fewer than k.
  const stratumOf = disclosure.protected
    ? poolSmallBands(bands, disclosure)
    : (band: string) => band;
  const pooled = new Map<string, { eligible: KeyedCount; improved: KeyedCount }>();
  for (const [band, b] of bands) {
    const p = pooled.get(stratumOf(band));
    pooled.set(stratumOf(band), {
      eligible: addKeyed(p?.eligible ?? ZERO, b.eligible),
      improved: addKeyed(p?.improved ?? ZERO, b.improved),
    });
  }
  const policy = disclosure.policy;
  const reference = disclosure.protected
    ? [...pooled.entries()].map(([stratum, b]) => {
        const n = perturbCount(b.eligible, policy);
        return { stratum, n, events: Math.min(n, perturbCount(b.improved, policy)) };
      })
    : undefined;
  const { networkRate, units: standardised } = indirectlyStandardise(
    eligibleRows.map((r) => {
      const stratum = stratumOf(r.band);
      if (own(r.clinic)) {
        return { unit: unitKey(r), stratum, n: r.eligible, events: r.improved };
      }
      const n = perturbCount(keyed(r, 'eligible'), policy);
      return { unit: unitKey(r), stratum, n, events: 0 };
    }),
    reference,
  );
  // The network rate and limits come from every row in scope; only units the reader may see
  // are named (a clinic reader: its own clinics and their therapists).
  const nameable = nameableClinics(scope);
  const byUnit = new Map<string, AuditRow[]>();
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
      const s = standardisedByUnit.get(key);
      const ratio =
        improvement === null || s === undefined || s.expected <= 0
          ? null
          : improvement.count / s.expected;
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
          expected: eligible !== null && s !== undefined ? s.expected : null,
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
  return { ...base, networkRate, units, funnel };
}

/** A unit's key: the clinic, or the clinic and therapist (a therapist is a unit per clinic). */
const unitKey = (row: { clinic: string; unit: string }) =>
  row.clinic === row.unit ? row.unit : `${row.clinic}/${row.unit}`;
