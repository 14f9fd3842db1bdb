'use client';

import { OUTCOME_DIMENSIONS, type OutcomeDimension, trajectoriesCsv } from '@ipt/analytics';
import { useQuery } from '@tanstack/react-query';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Defined } from '../../components/defined';
import { IgnoredParams } from '../../components/ignored-params';
import { ProtectedNote } from '../../components/protected-note';
import { RateCell } from '../../components/rate-cell';
import { Empty, Failed, Loading } from '../../components/states';
import { TableRegion } from '../../components/table-region';
import { TextTable } from '../../components/text-table';
import { sessionAxis } from '../../lib/chart-axis';
import { answerCsv, downloadCsv } from '../../lib/csv';
import {
  count,
  fewerThan,
  mean,
  meanInterval,
  meanTooltip,
  percentTooltip,
} from '../../lib/format';
import { label } from '../../lib/labels';
import { useFilters } from '../../lib/use-filters';
import { useTRPC } from '../../trpc/client';
import { COLORS } from './colors';
import { TimeToImprovement } from './time-to-improvement';

/** The series of an ungrouped question is called `all`. */
const groupName = (group: string) => (group === 'all' ? 'All episodes' : label(group));

/** The last dose-response point pools every episode with that many sessions or more. */
const sessionsLabel = (p: { sessions: number; orMore: boolean }) =>
  p.orMore ? `${p.sessions}+` : String(p.sessions);

/** Mean PHQ-9 by session per group with 95% bands, and dose-response by sessions attended. */
export function Trajectories() {
  const trpc = useTRPC();
  const { filters, basis, params, setParam } = useFilters();
  const raw = params.get('by') ?? 'medication';
  const groupBy = (OUTCOME_DIMENSIONS as readonly string[]).includes(raw)
    ? (raw as OutcomeDimension)
    : null;
  const trajectories = useQuery(
    trpc.outcomes.trajectories.queryOptions({ groupBy, filters, ...basis }),
  );
  const dose = useQuery(trpc.outcomes.doseResponse.queryOptions({ filters, ...basis }));

  return (
    <>
      <IgnoredParams accepted={{ by: groupBy !== null || raw === '' }} />
      <div className="toolbar">
        <label>
          Group by{' '}
          <select
            value={groupBy ?? ''}
            onChange={(e) => setParam('by', e.target.value || 'none')}
            aria-label="Group trajectories by"
          >
            <option value="">All episodes</option>
            {OUTCOME_DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {label(d)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ProtectedNote results={[trajectories.data, dose.data]} />
      <h2>
        <Defined term="trajectory" /> (95% CI)
      </h2>
      {trajectories.isPending ? (
        <Loading what="trajectories" />
      ) : trajectories.isError ? (
        <Failed message={trajectories.error.message} />
      ) : trajectories.data.series.length === 0 ? (
        <Empty />
      ) : trajectories.data.series.every((s) => s.points.every((p) => p.suppressed)) ? (
        // Every group and session comes back (complete grids), each below k withheld.
        <div className="state" role="status">
          No session has {trajectories.data.minCellSize} or more episodes with a score.
        </div>
      ) : (
        (() => {
          const { series, minCellSize: k } = trajectories.data;
          const sessions = [...new Set(series.flatMap((s) => s.points.map((p) => p.session)))].sort(
            (a, b) => a - b,
          );
          const data = sessions.map((session) => {
            const row: Record<string, number | [number, number] | null> = { session };
            for (const s of series) {
              const point = s.points.find((p) => p.session === session);
              // A withheld or empty point draws nothing.
              const drawn = point && !point.suppressed && point.mean !== null ? point : null;
              row[`${s.group}:mean`] = drawn === null ? null : drawn.mean;
              row[`${s.group}:band`] = drawn === null ? null : [drawn.lower, drawn.upper];
            }
            return row;
          });
          const header = ['group', 'session', 'episodes', 'mean PHQ-9', '95% CI'];
          const rows = series.flatMap((s) =>
            s.points.map((p) =>
              p.suppressed
                ? [groupName(s.group), String(p.session), fewerThan(k), '', '']
                : p.mean === null
                  ? [groupName(s.group), String(p.session), '0', '', '']
                  : [
                      groupName(s.group),
                      String(p.session),
                      count(p.episodes),
                      mean(p.mean),
                      meanInterval(p.lower, p.upper),
                    ],
            ),
          );
          return (
            <>
              <button
                type="button"
                onClick={() =>
                  downloadCsv(
                    'ipt-trajectories.csv',
                    answerCsv(trajectoriesCsv(trajectories.data, { filters }), trajectories.data),
                  )
                }
              >
                Download CSV
              </button>
              <div className="chart" data-testid="trajectory-chart">
                <ResponsiveContainer width="100%" height="100%">
                  <ComposedChart data={data} margin={{ top: 10, right: 20, bottom: 10, left: 0 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis {...sessionAxis('session (0 = intake)')} />
                    <YAxis domain={[0, 27]} allowDecimals={false} />
                    <Tooltip formatter={meanTooltip} />
                    <Legend />
                    {series.map((s, i) => (
                      <Area
                        key={`${s.group}:band`}
                        dataKey={`${s.group}:band`}
                        name={`${groupName(s.group)} 95% CI`}
                        stroke="none"
                        fill={COLORS[i % COLORS.length]}
                        fillOpacity={0.15}
                        legendType="none"
                        isAnimationActive={false}
                        connectNulls={false}
                      />
                    ))}
                    {series.map((s, i) => (
                      <Line
                        key={s.group}
                        dataKey={`${s.group}:mean`}
                        name={groupName(s.group)}
                        stroke={COLORS[i % COLORS.length]}
                        dot={false}
                        isAnimationActive={false}
                        connectNulls={false}
                      />
                    ))}
                  </ComposedChart>
                </ResponsiveContainer>
              </div>
              <details className="chart-numbers">
                <summary>The trajectories as a table</summary>
                <TextTable
                  label="Trajectories"
                  header={header}
                  rows={rows}
                  rowKey={(cells) => `${cells[0]}:${cells[1]}`}
                />
              </details>
            </>
          );
        })()
      )}
      <TimeToImprovement
        filters={filters}
        by={params.get('improvementBy')}
        onGroupBy={(value) => setParam('improvementBy', value)}
      />
      <h2>Dose-response: outcomes by sessions attended (95% CI in the table)</h2>
      <p className="note">
        Among episodes that attended each number of sessions: it mixes the dose with who stays. Time
        to reliable improvement, above, does not.
      </p>
      {dose.isPending ? (
        <Loading what="dose-response" />
      ) : dose.isError ? (
        <Failed message={dose.error.message} />
      ) : dose.data.points.every((p) => p.reliableImprovement === null) ? (
        <Empty />
      ) : (
        <>
          <div className="chart" data-testid="dose-chart">
            <ResponsiveContainer width="100%" height="100%">
              <LineChart
                data={dose.data.points.map((p) => ({
                  sessions: sessionsLabel(p),
                  improved:
                    p.reliableImprovement === null ? null : p.reliableImprovement.rate * 100,
                  recovered: p.recovery === null ? null : p.recovery.rate * 100,
                }))}
                margin={{ top: 10, right: 20, bottom: 10, left: 0 }}
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="sessions" />
                <YAxis unit="%" domain={[0, 100]} />
                <Tooltip formatter={percentTooltip} />
                <Legend />
                <Line
                  dataKey="improved"
                  name={label('reliableImprovement')}
                  stroke="#2f5d8a"
                  isAnimationActive={false}
                  connectNulls={false}
                />
                <Line
                  dataKey="recovered"
                  name={label('recovery')}
                  stroke="#3c8d5a"
                  isAnimationActive={false}
                  connectNulls={false}
                />
              </LineChart>
            </ResponsiveContainer>
          </div>
          <TableRegion label="Dose-response">
            <table aria-label="Dose-response">
              <thead>
                <tr>
                  <th>Sessions attended</th>
                  <th>
                    <Defined term="reliableImprovement" />
                  </th>
                  <th>
                    <Defined term="recovery" />
                  </th>
                </tr>
              </thead>
              <tbody>
                {dose.data.points.map((p) => (
                  <tr key={p.sessions}>
                    <td>{sessionsLabel(p)}</td>
                    <RateCell metric={p.reliableImprovement} k={dose.data.minCellSize} />
                    <RateCell metric={p.recovery} k={dose.data.minCellSize} />
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        </>
      )}
    </>
  );
}
