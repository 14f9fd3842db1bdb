'use client';

import type { AuditUnit, RateMetric } from '@ipt/analytics';
import { useQuery } from '@tanstack/react-query';
import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Defined } from '../../components/defined';
import { ProtectedNote } from '../../components/protected-note';
import { RateCell, rateText } from '../../components/rate-cell';
import { Empty, Failed, Loading } from '../../components/states';
import { downloadCsv, toCsv } from '../../lib/csv';
import type { Term } from '../../lib/definitions';
import { count, percent, percentTooltip, twoDecimals } from '../../lib/format';
import { useFilters } from '../../lib/use-filters';
import { useMe } from '../../lib/use-me';
import { useTRPC } from '../../trpc/client';

const FUNNEL_TEXT = {
  within: 'within 95%',
  outside_95: 'outside 95%',
  'outside_99.8': 'outside 99.8%',
} as const;

/**
 * Each clinic or therapist against the network: reliable improvement standardised by baseline
 * severity band on a funnel plot (95% and 99.8% limits), fidelity and self-harm flags.
 */
export function Audit() {
  const trpc = useTRPC();
  const { filters, basis, params, setParam } = useFilters();
  const me = useMe();
  // Researchers have no therapist audit (the server refuses it too).
  const therapists = me.data?.capabilities.auditLevels.includes('therapist') ?? false;
  const level = params.get('level') === 'therapist' && therapists ? 'therapist' : 'clinic';
  const query = useQuery(trpc.outcomes.audit.queryOptions({ level, filters, ...basis }));
  return (
    <>
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
          level={level}
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
  level,
}: {
  units: AuditUnit[];
  funnel: Array<{
    n: number;
    lower95: number;
    upper95: number;
    lower998: number;
    upper998: number;
  }>;
  k: number;
  isProtected: boolean;
  networkRate: number;
  networkOffTrack: RateMetric | null;
  level: string;
}) {
  const disclosure = { protected: isProtected, minCellSize: k };
  const suppressed = `suppressed (n < ${k})`;
  const header = [
    level,
    'episodes',
    'reliable improvement (95% CI)',
    'standardised rate',
    'O/E',
    'funnel',
    '12-16 sessions',
    'problem area by session 3',
    'PHQ-9 every session',
    'off track at sessions 3-8',
    'self-harm flags',
  ];
  const rows = units.map((u) =>
    u.suppressed
      ? [unitName(u), suppressed, '', '', '', '', '', '', '', '', '']
      : [
          unitName(u),
          count(u.n),
          rateText(u.reliableImprovement, k),
          u.standardisedRate === null ? suppressed : percent(u.standardisedRate),
          u.ratio === null ? '' : twoDecimals(u.ratio),
          u.funnel === null ? '' : FUNNEL_TEXT[u.funnel],
          rateText(u.sessionsWithinRange, k),
          rateText(u.problemAreaBySession3, k),
          rateText(u.phq9EverySession, k),
          offTrackText(u.offTrack, networkOffTrack, k),
          u.selfHarmFlags === null ? `fewer than ${k}` : count(u.selfHarmFlags),
        ],
  );
  const points = units.flatMap((u) =>
    u.suppressed || u.eligible === null || u.standardisedRate === null
      ? []
      : [{ n: u.eligible, unitRate: u.standardisedRate * 100, unit: u.unit }],
  );
  const limits = funnel.map((f) => ({
    n: f.n,
    lower95: f.lower95 * 100,
    upper95: f.upper95 * 100,
    lower998: f.lower998 * 100,
    upper998: f.upper998 * 100,
    target: networkRate * 100,
  }));
  return (
    <>
      <ProtectedNote results={[disclosure]} />
      <div className="toolbar">
        <h2>
          <Defined term="standardisedRate">Standardised reliable improvement</Defined>:{' '}
          <Defined term="funnelLimits">funnel plot</Defined> (network {percent(networkRate)})
        </h2>
        <button
          type="button"
          onClick={() => downloadCsv(`ipt-audit-${level}.csv`, toCsv(header, rows, disclosure))}
        >
          Download CSV
        </button>
      </div>
      <div className="chart" data-testid="funnel-chart">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={limits} margin={{ top: 10, right: 20, bottom: 20, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="n"
              type="number"
              domain={['dataMin', 'dataMax']}
              allowDecimals={false}
              label={{ value: 'paired finished episodes', position: 'insideBottom', offset: -10 }}
            />
            <YAxis unit="%" domain={[0, 100]} />
            <Tooltip formatter={funnelTooltip} />
            <Legend verticalAlign="top" />
            <Line
              dataKey="target"
              name="network"
              stroke="#1d2733"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              dataKey="upper95"
              name="95% limits"
              stroke="#b5651d"
              strokeDasharray="4 3"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              dataKey="lower95"
              name="95% limits"
              stroke="#b5651d"
              strokeDasharray="4 3"
              dot={false}
              legendType="none"
              isAnimationActive={false}
            />
            <Line
              dataKey="upper998"
              name="99.8% limits"
              stroke="#9b2c2c"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              dataKey="lower998"
              name="99.8% limits"
              stroke="#9b2c2c"
              dot={false}
              legendType="none"
              isAnimationActive={false}
            />
            <Scatter
              data={points}
              dataKey="unitRate"
              name={level === 'clinic' ? 'clinics' : 'therapists'}
              fill="#2f5d8a"
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <h2>Outcomes and fidelity</h2>
      <p className="note" data-testid="network-off-track">
        <Defined term="offTrack">Off track at sessions 3-8</Defined>, whole cohort:{' '}
        {rateText(networkOffTrack, k)}. A unit whose interval lies wholly above it is marked.
      </p>
      <table aria-label="Audit table">
        <thead>
          <tr>
            {header.map((h) => (
              <th key={h}>
                {HEADER_TERMS[h] === undefined ? h : <Defined term={HEADER_TERMS[h]}>{h}</Defined>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {units.map((u, i) =>
            u.suppressed ? (
              <tr key={`${u.clinic}/${u.unit}`}>
                <td>{unitName(u)}</td>
                <td className="suppressed" colSpan={10}>
                  {suppressed}
                </td>
              </tr>
            ) : (
              <tr key={`${u.clinic}/${u.unit}`}>
                <td>{unitName(u)}</td>
                <td>{rows[i]?.[1]}</td>
                <RateCell metric={u.reliableImprovement} k={k} />
                <td>{rows[i]?.[3]}</td>
                <td>{rows[i]?.[4]}</td>
                <td>{rows[i]?.[5]}</td>
                <RateCell metric={u.sessionsWithinRange} k={k} />
                <RateCell metric={u.problemAreaBySession3} k={k} />
                <RateCell metric={u.phq9EverySession} k={k} />
                <td className={offTrackAbove(u.offTrack, networkOffTrack) ? 'flagged' : undefined}>
                  {rows[i]?.[9]}
                </td>
                <td>{rows[i]?.[10]}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </>
  );
}

/** A unit's interval wholly above the cohort's share off track. */
function offTrackAbove(unit: RateMetric | null, network: RateMetric | null): boolean {
  return unit !== null && network !== null && unit.ci[0] > network.rate;
}

/** The off-track share as the table shows it and the CSV repeats it. */
function offTrackText(unit: RateMetric | null, network: RateMetric | null, k: number): string {
  const text = rateText(unit, k);
  return offTrackAbove(unit, network) ? `${text} above the cohort` : text;
}

/** Tooltip values: the x axis is a count of episodes, everything else percentage points. */
function funnelTooltip(value: unknown, _name: unknown, item: { dataKey?: unknown }): string {
  return item.dataKey === 'n' && typeof value === 'number' ? count(value) : percentTooltip(value);
}

/** A therapist is named with the clinic it works in (a unit per clinic). */
const unitName = (u: AuditUnit) => (u.unit === u.clinic ? u.unit : `${u.unit} (${u.clinic})`);

/** Columns whose figure has a definition in the registry. */
const HEADER_TERMS: Record<string, Term | undefined> = {
  'reliable improvement (95% CI)': 'reliableImprovement',
  'standardised rate': 'standardisedRate',
  'O/E': 'expected',
  funnel: 'funnelLimits',
  '12-16 sessions': 'sessionsWithinRange',
  'problem area by session 3': 'problemAreaBySession3',
  'PHQ-9 every session': 'phq9EverySession',
  'off track at sessions 3-8': 'offTrack',
};
