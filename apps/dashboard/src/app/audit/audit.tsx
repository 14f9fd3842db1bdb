'use client';

import { type AuditResult, type AuditUnit, auditCsv, can, type RateMetric } from '@ipt/analytics';
import { useQuery } from '@tanstack/react-query';
import { Defined } from '../../components/defined';
import { IgnoredParams } from '../../components/ignored-params';
import { ProtectedNote } from '../../components/protected-note';
import { Empty, Failed, Loading } from '../../components/states';
import { answerCsv, downloadCsv } from '../../lib/csv';
import { percent } from '../../lib/format';
import { label } from '../../lib/labels';
import { useFilters } from '../../lib/use-filters';
import { useMe } from '../../lib/use-me';
import { useTRPC } from '../../trpc/client';
import { AuditTable } from './audit-table';
import { FunnelChart } from './funnel-chart';

/**
 * Each clinic or therapist against the network: reliable improvement standardised by the
 * network's model of baseline severity, age band and condition, on a funnel plot (95% and 99.8%
 * limits, the reader's own clinics labelled), fidelity and self-harm flags.
 */
export function Audit() {
  const trpc = useTRPC();
  const { filters, basis, params, setParam } = useFilters();
  const me = useMe();
  // Researchers have no therapist audit (the server refuses it too).
  const therapists = me.data !== undefined && me.data !== null && can(me.data, 'audit:therapists');
  const level = params.get('level') === 'therapist' && therapists ? 'therapist' : 'clinic';
  const query = useQuery(trpc.outcomes.audit.queryOptions({ level, filters, ...basis }));
  return (
    <>
      <IgnoredParams accepted={{ level: level === params.get('level') }} />
      <div className="toolbar">
        <label>
          Audit{' '}
          <select
            value={level}
            onChange={(e) => setParam('level', e.target.value)}
            aria-label="Audit level"
          >
            <option value="clinic">Clinics</option>
            {therapists ? <option value="therapist">Therapists (pseudonyms)</option> : null}
          </select>
        </label>
      </div>
      {query.isPending ? (
        <Loading what="the audit" />
      ) : query.isError ? (
        <Failed message={query.error.message} />
      ) : query.data.units.length === 0 || query.data.networkRate === null ? (
        <Empty />
      ) : (
        <Results
          units={query.data.units}
          funnel={query.data.funnel}
          k={query.data.minCellSize}
          isProtected={query.data.protected}
          networkRate={query.data.networkRate}
          networkOffTrack={query.data.networkOffTrack}
          caseMix={query.data.caseMix}
          ownClinics={me.data?.clinics ?? []}
          level={level}
          csv={() => answerCsv(auditCsv(query.data, filters), query.data)}
        />
      )}
    </>
  );
}

function Results({
  units,
  funnel,
  k,
  isProtected,
  networkRate,
  networkOffTrack,
  caseMix,
  ownClinics,
  level,
  csv,
}: {
  units: AuditUnit[];
  funnel: AuditResult['funnel'];
  k: number;
  isProtected: boolean;
  networkRate: number;
  networkOffTrack: RateMetric | null;
  caseMix: AuditResult['caseMix'];
  /** The reader's own clinics (a clinic reader's), labelled on the funnel. */
  ownClinics: readonly string[];
  level: string;
  /** The download: the audit read's CSV, every row. */
  csv: () => string;
}) {
  return (
    <>
      <ProtectedNote results={[{ protected: isProtected, minCellSize: k }]} />
      <div className="toolbar">
        <h2>
          <Defined term="standardisedRate">Standardised reliable improvement</Defined>:{' '}
          <Defined term="funnelLimits">funnel plot</Defined> (network {percent(networkRate)})
        </h2>
        <button type="button" onClick={() => downloadCsv(`ipt-audit-${level}.csv`, csv())}>
          Download CSV (all {units.length} rows)
        </button>
      </div>
      <p className="method-note" data-testid="case-mix">
        Expected improvements come from the network&apos;s logistic model of reliable improvement on{' '}
        {caseMix.adjustedFor.length === 0
          ? 'nothing'
          : caseMix.adjustedFor.map((f) => label(f)).join(' × ')}{' '}
        (no clinic term): each unit&apos;s expected count is the sum of its episodes&apos; predicted
        chances, and the standardised rate is observed / expected × the network rate.
        {caseMix.note === null ? '' : ` ${caseMix.note}.`}
      </p>
      <FunnelChart
        units={units}
        funnel={funnel}
        networkRate={networkRate}
        level={level}
        ownClinics={ownClinics}
      />
      <AuditTable units={units} k={k} networkOffTrack={networkOffTrack} level={level} />
    </>
  );
}
