import {
  aalenJohansenFromCounts,
  type IncidencePoint,
  type KeyedCount,
  noiseVarianceOfRate,
  PROBLEM_AREA_DEADLINE_SESSION,
  perturbCount,
  type SessionCounts,
  Z95,
} from '@ipt/protocol';
import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { Scope } from '../access.js';
import {
  DIMENSIONS,
  type TimeToImprovementDimension,
  type TimeToImprovementInput,
} from '../dimensions.js';
import { QuestionError } from '../errors.js';
import type { TimeToImprovementResult, TimeZero } from '../types.js';
import { type DisclosureRule, type DisclosureSettings, disclosureFor } from './disclosure.js';
import { assertKeyed, keyed, keyedCount, keyedShape, unkeyedColumn } from './keyed-sql.js';
import { cohortWhere } from './outcomes-sql.js';

const STATUSES = ['event', 'competing', 'censored'] as const;
const row = z.object({
  grp: z.string(),
  session: z.coerce.number().int(),
  status: z.enum(STATUSES),
  ...keyedShape(['n'] as const),
});
type Row = z.infer<typeof row>;

/**
 * Time to reliable improvement by session number (docs/outcomes.md, "Time to reliable
 * improvement"): the Aalen-Johansen cumulative incidence per group, ending without improvement
 * the competing event, open episodes censored, from the per-episode classification the
 * projector stored (`timeToImprovement` in @ipt/protocol).
 *
 * Disclosure: a group of fewer than k episodes is suppressed; a point whose risk set is below k
 * is withheld, and so is the rest of its curve. Protected readers get the curve from protected
 * counts (each session and status a cell with its own key) and intervals that carry the noise's
 * variance; the counts at a session are not released to them, only the risk set.
 */
export async function timeToImprovement(
  warehouse: Warehouse,
  scope: Scope,
  input: TimeToImprovementInput,
  options: DisclosureSettings,
): Promise<TimeToImprovementResult> {
  const disclosure = disclosureFor(scope, options);
  const timeZero = timeZeroOf(input.groupBy);
  if (timeZero.kind !== 'intake' && scope.basis.kind === 'release' && !scope.basis.timeZero) {
    throw new QuestionError(
      `release ${scope.basis.release} was frozen before time zero was stored: time to improvement by ${input.groupBy} starts its clock later than intake (docs/outcomes.md, "Time to reliable improvement"); ask of the live numbers or of a newer release`,
    );
  }
  const { from, where, params } = cohortWhere(scope, input.filters);
  const sql = `SELECT grp, session, status,
  ${[...keyedCount('n', null, disclosure.protected), ...unkeyedColumn(disclosure.protected)].join(', ')}
FROM (${observationsSql(input.groupBy, from, where)})
GROUP BY grp, session, status`;
  const rows = await warehouse.query(
    defineQuery({
      name: `time_to_improvement[${input.groupBy ?? 'all'}]`,
      sql,
      params: z.record(z.string(), z.unknown()),
      row,
    }),
    params,
  );
  if (disclosure.protected) assertKeyed(rows);
  // Every group of the dimension, empty or not: a series' presence says nothing.
  const groups = input.groupBy === null ? ['all'] : [...DIMENSIONS[input.groupBy].values];
  return {
    minCellSize: disclosure.policy.k,
    protected: disclosure.protected,
    groupBy: input.groupBy,
    timeZero,
    series: groups.map((g) =>
      seriesOf(
        g,
        rows.filter((r) => r.grp === g),
        disclosure,
        timeZero,
      ),
    ),
  };
}

/**
 * When the clock starts (docs/outcomes.md, "Time to reliable improvement", "Time zero"): at
 * intake for factors known then; for the problem area at the landmark, session 3, the initial
 * phase's deadline for identifying it; for medication at the session it began: intake when it
 * was ongoing then, else the session it started during treatment, for an episode still in
 * treatment and not yet improved then, which counts without medication until that session.
 */
function timeZeroOf(groupBy: TimeToImprovementDimension | null): TimeZero {
  if (groupBy === 'problemArea') {
    return {
      kind: 'landmark',
      session: PROBLEM_AREA_DEADLINE_SESSION,
      description: `The clock starts at session ${PROBLEM_AREA_DEADLINE_SESSION}, when the problem area must be identified: episodes still in treatment and not yet improved then, grouped by the problem area known then (unspecified if none was).`,
    };
  }
  if (groupBy === 'medication') {
    return {
      kind: 'exposure',
      session: null,
      description:
        'Sessions are counted from when medication began: intake when it was ongoing then, else the session it started during treatment, for episodes still in treatment and not yet improved then (until that session they count without medication); without medication, from intake.',
    };
  }
  return {
    kind: 'intake',
    session: 0,
    description: 'Known at intake: the clock starts at session 0.',
  };
}

/** One row per observation (and per entry), with its record key, for the cohort's episodes. */
function observationsSql(
  groupBy: TimeToImprovementDimension | null,
  from: string,
  where: string,
): string {
  const base = `FROM ${from} WHERE ${where} AND improvement_status != ''`;
  if (groupBy === 'problemArea') {
    // The landmark: only episodes whose observation runs past it; the risk set starts there.
    return `SELECT problem_area_at_landmark AS grp, improvement_session AS session, improvement_status AS status, record_key ${base} AND improvement_session > ${PROBLEM_AREA_DEADLINE_SESSION}`;
  }
  if (groupBy === 'medication') {
    const startedBefore = `medication_timing = 'started_during' AND improvement_session > medication_started_session`;
    return [
      // Without medication, until a start during treatment (censored there if still at risk).
      `SELECT if(medication_timing = 'started_during', 'ipt_only', medication_group) AS grp, if(${startedBefore}, medication_started_session, improvement_session) AS session, if(${startedBefore}, 'censored', improvement_status) AS status, record_key ${base}`,
      // With medication, its clock set to 0 at the session it started.
      `SELECT 'ipt_with_medication' AS grp, improvement_session - medication_started_session AS session, improvement_status AS status, record_key ${base} AND ${startedBefore}`,
    ].join('\nUNION ALL\n');
  }
  const group = groupBy === null ? "'all'" : DIMENSIONS[groupBy].column;
  return `SELECT ${group} AS grp, improvement_session AS session, improvement_status AS status, record_key ${base}`;
}

function seriesOf(
  group: string,
  rows: readonly Row[],
  disclosure: DisclosureRule,
  timeZero: TimeZero,
): TimeToImprovementResult['series'][number] {
  const cells = rows.map((r) => ({ ...r, cell: keyed(r, 'n') as KeyedCount }));
  const total = cells.reduce((n, c) => n + c.cell.count, 0);
  // The k rule on the group alone: an empty group reads 0 to an exact reader.
  if (!disclosure.protected && total === 0) {
    return { group, suppressed: false, episodes: 0, points: [] };
  }
  if (total < disclosure.policy.k) return { group, suppressed: true, episodes: null, points: [] };
  const counts = (value: (c: (typeof cells)[number]) => number): SessionCounts[] => {
    const out: SessionCounts[] = cells.map((c) => ({
      time: c.session,
      events: c.status === 'event' ? value(c) : 0,
      competing: c.status === 'competing' ? value(c) : 0,
      censored: c.status === 'censored' ? value(c) : 0,
    }));
    // At a landmark every observation enters there: the curve starts the session after it,
    // whoever ends first.
    if (timeZero.kind === 'landmark' && timeZero.session !== null) {
      const entered = out.reduce((n, c) => n + c.events + c.competing + c.censored, 0);
      out.push({ time: timeZero.session, events: 0, competing: 0, censored: 0, entered });
    }
    return out;
  };
  const exact = aalenJohansenFromCounts(counts((c) => c.cell.count));
  const perturbed = disclosure.protected
    ? counts((c) => perturbCount(c.cell, disclosure.policy))
    : [];
  const shown = disclosure.protected
    ? protectedCurve(aalenJohansenFromCounts(perturbed), disclosure.policy.noise)
    : exact;
  const episodes = disclosure.protected
    ? perturbed.reduce((n, c) => n + c.events + c.competing + c.censored, 0)
    : total;
  if (episodes < disclosure.policy.k) {
    return { group, suppressed: true, episodes: null, points: [] };
  }
  const points: TimeToImprovementResult['series'][number]['points'] = [];
  for (const [i, p] of shown.entries()) {
    // A risk set below k, exact or protected, ends the curve.
    if (p.atRisk < disclosure.policy.k || (exact[i]?.atRisk ?? 0) < disclosure.policy.k) break;
    points.push({
      session: p.time,
      atRisk: p.atRisk,
      ...(disclosure.protected
        ? { events: null, competing: null, censored: null }
        : { events: p.events, competing: p.competing, censored: p.censored }),
      incidence: p.incidence,
      ci: p.ci,
    });
  }
  return { group, suppressed: false, episodes, points };
}

/**
 * The curve of protected counts with the noise's variance added: each session's counts carry a
 * noise of variance D(D + 1)/3, so the increment S(j-1) d1_j / n_j moves with variance about
 * S(j-1)² D(D + 1)/3 (1 + (d1_j/n_j)²) / n_j² (first order, as `noiseVarianceOfRate`), and
 * sessions' noises are independent.
 */
function protectedCurve(points: readonly IncidencePoint[], noise: number): IncidencePoint[] {
  let survival = 1;
  let added = 0;
  return points.map((p) => {
    if (p.atRisk > 0) {
      added += survival * survival * noiseVarianceOfRate(p.events / p.atRisk, p.atRisk, noise);
      survival *= 1 - (p.events + p.competing) / p.atRisk;
    }
    const half = Z95 * Math.sqrt(p.variance + added);
    return {
      ...p,
      variance: p.variance + added,
      ci: [Math.max(0, p.incidence - half), Math.min(1, p.incidence + half)] as [number, number],
    };
  });
}
