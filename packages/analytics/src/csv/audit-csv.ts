import type { OutcomeFilters } from '../dimensions.js';
import type { AuditResult, RateMetric } from '../types.js';
import { csvFile, filtersText } from './cells.js';
import { rateCells, rateColumns } from './outcomes-csv.js';

/** A unit whose interval lies wholly above the cohort's share off track: the audit marks it. */
export function offTrackAbove(unit: RateMetric | null, network: RateMetric | null): boolean {
  return unit !== null && network !== null && unit.ci[0] > network.rate;
}

/**
 * The clinic or therapist audit (the Clinic audit page's download, every row, not one page):
 * each unit's outcomes against the network (standardised rate, observed/expected from the
 * network's case-mix model, funnel) and its fidelity, a withheld unit's numbers empty.
 */
export function auditCsv(result: AuditResult, filters: OutcomeFilters): string {
  const header = [
    result.level,
    'clinic',
    'suppressed',
    'episodes',
    'eligible',
    ...rateColumns('reliableImprovement'),
    'expected',
    'observed_to_expected',
    'standardised_rate',
    'funnel',
    ...rateColumns('sessionsWithinRange'),
    ...rateColumns('problemAreaBySession3'),
    ...rateColumns('phq9EverySession'),
    ...rateColumns('offTrack'),
    'off_track_above_cohort',
    'self_harm_flags',
    'expected_adjusted_for',
    'minCellSize',
    'protected',
    'filters',
  ];
  const tail = [
    result.caseMix.adjustedFor.join(' x '),
    result.minCellSize,
    result.protected,
    filtersText(filters),
  ];
  const rows = result.units.map((u) =>
    u.suppressed
      ? [u.unit, u.clinic, true, ...Array.from({ length: 32 }, () => null), ...tail]
      : [
          u.unit,
          u.clinic,
          false,
          u.n,
          u.eligible,
          ...rateCells(u.reliableImprovement),
          u.expected,
          u.ratio,
          u.standardisedRate,
          u.funnel,
          ...rateCells(u.sessionsWithinRange),
          ...rateCells(u.problemAreaBySession3),
          ...rateCells(u.phq9EverySession),
          ...rateCells(u.offTrack),
          offTrackAbove(u.offTrack, result.networkOffTrack),
          u.selfHarmFlags,
          ...tail,
        ],
  );
  return csvFile(header, rows);
}
