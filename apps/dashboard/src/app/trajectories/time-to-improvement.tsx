'use client';

import {
  type BasisStamp,
  type OutcomeFilters,
  TIME_TO_IMPROVEMENT_DIMENSIONS,
  type TimeToImprovementDimension,
  type TimeToImprovementResult,
  timeToImprovementCsv,
} from '@ipt/analytics';
import { useQuery } from '@tanstack/react-query';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Defined } from '../../components/defined';
import { IgnoredParams } from '../../components/ignored-params';
import { Empty, Failed, Loading } from '../../components/states';
import { TextTable } from '../../components/text-table';
import { sessionAxis } from '../../lib/chart-axis';
import { answerCsv, downloadCsv } from '../../lib/csv';
import { count, fewerThan, percent, percentTooltip } from '../../lib/format';
import { label } from '../../lib/labels';
import { useFilters } from '../../lib/use-filters';
import { useTRPC } from '../../trpc/client';
import { COLORS } from './colors';

/** A group's name on the chart and in the table. */
function groupName(groupBy: TimeToImprovementDimension | null, group: string): string {
  if (groupBy === null) return 'All episodes';
  if (groupBy === 'plannedSessions') return `${group} planned sessions`;
  return label(group);
}

/** The table's rows, which the CSV repeats cell for cell. */
function tableOf(result: TimeToImprovementResult): { header: string[]; rows: string[][] } {
  const k = result.minCellSize;
  const header = ['group', 'session', 'at risk', 'improved by then', '95% CI'];
  const rows = result.series.flatMap((s) =>
    s.suppressed
      ? [[groupName(result.groupBy, s.group), '', fewerThan(k), '', '']]
      : s.episodes === 0
        ? [[groupName(result.groupBy, s.group), '', '0', '', '']]
        : s.points.map((p) => [
            groupName(result.groupBy, s.group),
            String(p.session),
            count(p.atRisk),
            percent(p.incidence),
            `${percent(p.ci[0])}–${percent(p.ci[1])}`,
          ]),
  );
  return { header, rows };
}

/**
 * Time to reliable improvement (docs/outcomes.md): the cumulative incidence by session per group,
 * with 95% bands, from the group's time zero (intake, the landmark, or the start of medication:
 * the answer names it). Unlike the dose-response below it, it does not condition on
 * how many sessions people stayed for: those who ended without improving count as not
 * improved, open episodes count only as far as they have come.
 */
export function TimeToImprovement({
  filters,
  by,
  onGroupBy,
}: {
  filters: OutcomeFilters;
  by: string | null;
  onGroupBy: (value: string) => void;
}) {
  const trpc = useTRPC();
  const groupBy =
    by !== null && (TIME_TO_IMPROVEMENT_DIMENSIONS as readonly string[]).includes(by)
      ? (by as TimeToImprovementDimension)
      : by === 'none'
        ? null
        : 'plannedSessions';
  const { basis } = useFilters();
  const query = useQuery(
    trpc.outcomes.timeToImprovement.queryOptions({ groupBy, filters, ...basis }),
  );

  return (
    <section aria-labelledby="time-to-improvement">
      <IgnoredParams
        accepted={{
          improvementBy:
            by === 'none' || groupBy === by ? true : 'not a group time to improvement takes',
        }}
      />
      <h2 id="time-to-improvement">
        <Defined term="timeToImprovement" /> by session (95% CI)
      </h2>
      <div className="toolbar">
        <label>
          Group by{' '}
          <select
            value={groupBy ?? 'none'}
            onChange={(e) => onGroupBy(e.target.value)}
            aria-label="Group time to improvement by"
          >
            <option value="none">All episodes</option>
            {TIME_TO_IMPROVEMENT_DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {label(d)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {query.isPending ? (
        <Loading what="time to improvement" />
      ) : query.isError ? (
        <Failed message={query.error.message} />
      ) : query.data.series.every((s) => s.points.length === 0) ? (
        query.data.series.some((s) => s.suppressed) ? (
          <div className="state" role="status">
            No group has {query.data.minCellSize} or more episodes with a baseline score.
          </div>
        ) : (
          <Empty />
        )
      ) : (
        <Curves result={query.data} filters={filters} />
      )}
    </section>
  );
}

function Curves({
  result,
  filters,
}: {
  result: TimeToImprovementResult & { basis?: BasisStamp };
  filters: OutcomeFilters;
}) {
  const shown = result.series.filter((s) => !s.suppressed);
  const sessions = [...new Set(shown.flatMap((s) => s.points.map((p) => p.session)))].sort(
    (a, b) => a - b,
  );
  const data = sessions.map((session) => {
    const row: Record<string, number | [number, number] | null> = { session };
    for (const s of shown) {
      const p = s.points.find((x) => x.session === session);
      row[`${s.group}:incidence`] = p ? p.incidence * 100 : null;
      row[`${s.group}:band`] = p ? [p.ci[0] * 100, p.ci[1] * 100] : null;
    }
    return row;
  });
  const { header, rows } = tableOf(result);
  const color = (group: string) =>
    COLORS[result.series.findIndex((s) => s.group === group) % COLORS.length];
  return (
    <>
      <button
        type="button"
        data-testid="time-to-improvement-csv"
        onClick={() =>
          downloadCsv(
            'ipt-time-to-improvement.csv',
            answerCsv(timeToImprovementCsv(result, filters), result),
          )
        }
      >
        Download CSV
      </button>
      <div className="chart" data-testid="time-to-improvement-chart">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 10, right: 20, bottom: 10, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis {...sessionAxis('session')} />
            <YAxis unit="%" domain={[0, 100]} />
            <Tooltip formatter={percentTooltip} />
            <Legend />
            {shown.map((s) => (
              <Area
                key={`${s.group}:band`}
                type="stepAfter"
                dataKey={`${s.group}:band`}
                name={`${groupName(result.groupBy, s.group)} 95% CI`}
                stroke="none"
                fill={color(s.group)}
                fillOpacity={0.15}
                legendType="none"
                isAnimationActive={false}
                connectNulls={false}
              />
            ))}
            {shown.map((s) => (
              <Line
                key={s.group}
                type="stepAfter"
                dataKey={`${s.group}:incidence`}
                name={groupName(result.groupBy, s.group)}
                stroke={color(s.group)}
                dot={false}
                isAnimationActive={false}
                connectNulls={false}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <p className="note" data-testid="time-zero">
        <strong>
          {result.timeZero.kind === 'landmark'
            ? `Time zero: session ${result.timeZero.session} (landmark).`
            : result.timeZero.kind === 'exposure'
              ? 'Time zero: the session medication began.'
              : 'Time zero: intake (session 0).'}
        </strong>{' '}
        {result.timeZero.description} A curve stops at the first session with fewer than{' '}
        {result.minCellSize} episodes still at risk.
      </p>
      <TextTable
        label="Time to reliable improvement"
        header={header}
        rows={rows}
        rowKey={(cells) => `${cells[0]}:${cells[1]}`}
      />
    </>
  );
}
