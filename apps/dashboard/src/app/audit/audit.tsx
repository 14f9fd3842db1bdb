'use client';

import { type AuditUnit, can, type RateMetric } from '@ipt/analytics';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
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
import { IgnoredParams } from '../../components/ignored-params';
import { ProtectedNote } from '../../components/protected-note';
import { RateCell, rateText } from '../../components/rate-cell';
import { Empty, Failed, Loading } from '../../components/states';
import { TableRegion } from '../../components/table-region';
import { type CsvContext, downloadCsv, rateColumns, rateValues, toCsv } from '../../lib/csv';
import type { Term } from '../../lib/definitions';
import { count, fewerThan, percent, twoDecimals } from '../../lib/format';
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
          level={level}
          csv={{ filters, answer: query.data }}
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
  csv,
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
  csv: CsvContext;
}) {
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  const disclosure = { protected: isProtected, minCellSize: k };
  const suppressed = fewerThan(k);
  const therapistLevel = level === 'therapist';
  const header = [
    level,
    ...(therapistLevel ? ['clinic'] : []),
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
      ? [
          u.unit,
          ...(therapistLevel ? [u.clinic] : []),
          suppressed,
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
        ]
      : [
          u.unit,
          ...(therapistLevel ? [u.clinic] : []),
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
      : [
          {
            n: u.eligible,
            unitRate: u.standardisedRate * 100,
            unit: u.unit,
            clinic: u.clinic,
          },
        ],
  );
  // Search by unit or clinic, then 50 rows a page: a network has hundreds of therapists.
  const needle = search.trim().toLowerCase();
  const shown = units
    .map((u, i) => ({ u, i }))
    .filter(
      ({ u }) =>
        needle === '' ||
        u.unit.toLowerCase().includes(needle) ||
        u.clinic.toLowerCase().includes(needle),
    );
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_ROWS));
  const first = Math.min(page, pages - 1) * PAGE_ROWS;
  const visible = shown.slice(first, first + PAGE_ROWS);
  const limits = funnel.map((f) => ({
    n: f.n,
    lower95: f.lower95 * 100,
    upper95: f.upper95 * 100,
    lower998: f.lower998 * 100,
    upper998: f.upper998 * 100,
    target: networkRate * 100,
  }));
  // One data array, limits and units sorted by episodes: the tooltip at a unit's point then
  // holds the unit itself beside the limits there (a scatter with its own data gets none).
  const chartRows: Array<Record<string, number | string>> = [...limits, ...points].sort(
    (a, b) => a.n - b.n,
  );
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
          onClick={() =>
            downloadCsv(
              `ipt-audit-${level}.csv`,
              toCsv(
                [
                  level,
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
                ],
                units.map((u) =>
                  u.suppressed
                    ? [u.unit, u.clinic, true, ...Array.from({ length: 32 }, () => null)]
                    : [
                        u.unit,
                        u.clinic,
                        false,
                        u.n,
                        u.eligible,
                        ...rateValues(u.reliableImprovement),
                        u.expected,
                        u.ratio,
                        u.standardisedRate,
                        u.funnel,
                        ...rateValues(u.sessionsWithinRange),
                        ...rateValues(u.problemAreaBySession3),
                        ...rateValues(u.phq9EverySession),
                        ...rateValues(u.offTrack),
                        offTrackAbove(u.offTrack, networkOffTrack),
                        u.selfHarmFlags,
                      ],
                ),
                csv,
              ),
            )
          }
        >
          Download CSV (all {units.length} rows)
        </button>
      </div>
      <div className="chart" data-testid="funnel-chart">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={chartRows} margin={{ top: 10, right: 20, bottom: 20, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="n"
              type="number"
              domain={['dataMin', 'dataMax']}
              allowDecimals={false}
              label={{ value: 'paired finished episodes', position: 'insideBottom', offset: -10 }}
            />
            <YAxis unit="%" domain={[0, 100]} />
            <Tooltip
              content={(props) => (
                <FunnelTooltip
                  level={level}
                  active={props.active}
                  label={props.label}
                  payload={props.payload as unknown as TooltipEntry[] | undefined}
                />
              )}
            />
            <Legend verticalAlign="top" />
            <Line
              dataKey="target"
              name="network"
              stroke="#1d2733"
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
            <Line
              dataKey="upper95"
              name="95% limits"
              stroke="#b5651d"
              strokeDasharray="4 3"
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
            <Line
              dataKey="lower95"
              name="95% limits"
              stroke="#b5651d"
              strokeDasharray="4 3"
              dot={false}
              connectNulls
              legendType="none"
              isAnimationActive={false}
            />
            <Line
              dataKey="upper998"
              name="99.8% limits"
              stroke="#9b2c2c"
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
            <Line
              dataKey="lower998"
              name="99.8% limits"
              stroke="#9b2c2c"
              dot={false}
              connectNulls
              legendType="none"
              isAnimationActive={false}
            />
            <Scatter
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
      <search className="toolbar">
        <label>
          Find a {level}{' '}
          <input
            type="search"
            value={search}
            placeholder={therapistLevel ? 'pseudonym or clinic' : 'clinic code'}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(0);
            }}
          />
        </label>
        <span className="note" role="status" data-testid="audit-rows">
          {shown.length === 0
            ? `No ${level} matches "${search}".`
            : `Rows ${first + 1}-${first + visible.length} of ${shown.length}${shown.length < units.length ? ` (of ${units.length})` : ''}`}
        </span>
        {pages > 1 ? (
          <span>
            <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
              Previous
            </button>{' '}
            <button type="button" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
              Next
            </button>
          </span>
        ) : null}
      </search>
      <TableRegion label="Audit table">
        <table aria-label="Audit table">
          <thead>
            <tr>
              {header.map((h) => (
                <th key={h}>
                  {HEADER_TERMS[h] === undefined ? (
                    h
                  ) : (
                    <Defined term={HEADER_TERMS[h]}>{h}</Defined>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {visible.map(({ u, i }) => {
              const row = rows[i] ?? [];
              const at = (column: number) => row[column + (therapistLevel ? 1 : 0)];
              return u.suppressed ? (
                <tr key={`${u.clinic}/${u.unit}`}>
                  <td>{u.unit}</td>
                  {therapistLevel ? <td>{u.clinic}</td> : null}
                  <td className="suppressed" colSpan={10}>
                    {suppressed}
                  </td>
                </tr>
              ) : (
                <tr key={`${u.clinic}/${u.unit}`}>
                  <td>{u.unit}</td>
                  {therapistLevel ? <td>{u.clinic}</td> : null}
                  <td>{at(1)}</td>
                  <RateCell metric={u.reliableImprovement} k={k} />
                  <td>{at(3)}</td>
                  <td>{at(4)}</td>
                  <td>{at(5)}</td>
                  <RateCell metric={u.sessionsWithinRange} k={k} />
                  <RateCell metric={u.problemAreaBySession3} k={k} />
                  <RateCell metric={u.phq9EverySession} k={k} />
                  <td
                    className={offTrackAbove(u.offTrack, networkOffTrack) ? 'flagged' : undefined}
                  >
                    {at(9)}
                  </td>
                  <td>{at(10)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableRegion>
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

const PAGE_ROWS = 50;

interface TooltipEntry {
  dataKey?: unknown;
  value?: unknown;
  payload?: { unit?: string; clinic?: string; unitRate?: number };
}

/**
 * The funnel's tooltip: the episodes at the pointer, the unit there (named, with its clinic for
 * a therapist), and the network and its limits, each named once, in percent to one decimal.
 */
function FunnelTooltip({
  level,
  active,
  label,
  payload,
}: {
  level: string;
  active?: boolean;
  label?: unknown;
  payload?: TooltipEntry[];
}) {
  if (!active || payload === undefined || payload.length === 0) return null;
  const pct = (x: unknown) => (typeof x === 'number' ? `${x.toFixed(1)}%` : '–');
  const at = (key: string) => payload.find((p) => p.dataKey === key)?.value;
  const unit = payload.find((p) => p.dataKey === 'unitRate')?.payload;
  return (
    <div className="chart-tooltip">
      <p>{typeof label === 'number' ? `${count(label)} paired finished episodes` : null}</p>
      {unit?.unit === undefined ? null : (
        <p>
          <strong>
            {level === 'therapist' ? `Therapist ${unit.unit}` : `Clinic ${unit.unit}`}
          </strong>
          {level === 'therapist' ? ` (clinic ${unit.clinic})` : ''}: {pct(unit.unitRate)}{' '}
          standardised reliable improvement
        </p>
      )}
      {at('target') === undefined ? null : (
        <p>
          {`Network ${pct(at('target'))}; 95% limits ${pct(at('lower95'))} to ${pct(at('upper95'))}; 99.8% limits ${pct(at('lower998'))} to ${pct(at('upper998'))}`}
        </p>
      )}
    </div>
  );
}

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
