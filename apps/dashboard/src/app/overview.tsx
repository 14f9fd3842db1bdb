'use client';

import { overviewCsv } from '@ipt/analytics';
import { useQuery } from '@tanstack/react-query';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Defined } from '../components/defined';
import { ProtectedNote } from '../components/protected-note';
import { RateCell, rateText } from '../components/rate-cell';
import { Empty, Failed, Loading } from '../components/states';
import { TableRegion } from '../components/table-region';
import { TextTable } from '../components/text-table';
import { answerCsv, downloadCsv } from '../lib/csv';
import { bigCount, count, fewerThan, percent, percentTooltip, twoDecimals } from '../lib/format';
import { label, RATES } from '../lib/labels';
import { useFilters } from '../lib/use-filters';
import { useTRPC } from '../trpc/client';

/** Totals, outcome rates with 95% intervals, and the trend by month of episode start. */
export function Overview() {
  const trpc = useTRPC();
  const { filters, basis } = useFilters();
  const query = useQuery(trpc.outcomes.overview.queryOptions({ filters, ...basis }));
  if (query.isPending) return <Loading what="outcomes" />;
  if (query.isError) return <Failed message={query.error.message} />;
  const { total, trend, minCellSize: k } = query.data;
  if (total === null || total.n === 0) return <Empty />;
  const n = (value: number | null) => (value === null ? fewerThan(k) : bigCount(value));
  // Computed on the server as docs/outcomes.md defines it: finished and paired / finished.
  const completeness =
    total.pairedCompleteness === null
      ? `withheld (fewer than ${k} either way)`
      : percent(total.pairedCompleteness.rate);
  const rows = RATES.map((rate) => {
    const metric = total[rate];
    return [label(rate), rateText(metric, k), metric === null ? '' : count(metric.denominator)];
  });
  // Percentage points at full precision for the geometry; the tooltip rounds.
  const points = trend.map((p) => ({
    month: p.month.slice(0, 7),
    reliableImprovement: p.reliableImprovement === null ? null : p.reliableImprovement.rate * 100,
    recovery: p.recovery === null ? null : p.recovery.rate * 100,
    response: p.response === null ? null : p.response.rate * 100,
  }));
  // A month with no rate to show is not a point of the chart or a row of its table.
  const trendRows = trend
    .filter((p) => TREND_RATES.some((rate) => p[rate] !== null))
    .map((p) => [p.month.slice(0, 7), ...TREND_RATES.map((rate) => rateText(p[rate], k))]);
  return (
    <>
      <ProtectedNote results={[query.data]} />
      <section className="cards" aria-label="Totals">
        <div className="card">
          <div className="value">{n(total.n)}</div>
          <div className="name">episodes</div>
        </div>
        <div className="card">
          <div className="value">{n(total.finished)}</div>
          <div className="name">finished courses</div>
        </div>
        <div className="card">
          <div className="value">{completeness}</div>
          <div className="name">
            <Defined term="pairedCompleteness">paired-data completeness</Defined>
          </div>
        </div>
        <div className="card">
          <div className="value">
            {total.effectSize === null ? '–' : twoDecimals(total.effectSize)}
          </div>
          <div className="name">
            <Defined term="effectSize">pre-post effect size (d)</Defined>
          </div>
        </div>
      </section>
      <div className="toolbar">
        <h2>Outcome rates</h2>
        <button
          type="button"
          onClick={() =>
            downloadCsv(
              'ipt-overview.csv',
              answerCsv(overviewCsv(query.data, { filters }), query.data),
            )
          }
        >
          Download CSV
        </button>
      </div>
      <TableRegion label="Outcome rates">
        <table aria-label="Outcome rates">
          <thead>
            <tr>
              <th>Outcome</th>
              <th>
                Rate (<Defined term="wilsonInterval">95% CI</Defined>)
              </th>
              <th>Denominator</th>
            </tr>
          </thead>
          <tbody>
            {RATES.map((rate) => (
              <tr key={rate}>
                <td>
                  <Defined term={rate} />
                </td>
                <RateCell metric={total[rate]} k={k} />
                <td>{rows[RATES.indexOf(rate)]?.[2]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      <p className="method-note" data-testid="follow-up-completeness">
        <Defined term="relapse">Relapse</Defined> is over the recovered episodes followed up within
        52 weeks of the end; <Defined term="followUpCompleteness">follow-up completeness</Defined>:{' '}
        {total.followUpCompleteness === null
          ? `withheld (fewer than ${k} either way)`
          : `${rateText(total.followUpCompleteness, k)}, ${count(total.followUpCompleteness.count)} of ${count(total.followUpCompleteness.denominator)} recovered`}
        .
      </p>
      <h2>Trend by month of episode start (%)</h2>
      {trendRows.length === 0 ? (
        <p className="state" role="status" data-testid="trend-empty">
          Every month of these episodes has fewer than {k} with the outcome measured: no trend to
          draw.
        </p>
      ) : (
        <>
          <div className="chart" data-testid="trend-chart">
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={points} margin={{ top: 10, right: 20, bottom: 10, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="month" />
                <YAxis domain={[0, 100]} unit="%" />
                <Tooltip formatter={percentTooltip} />
                <Legend />
                <Line
                  type="monotone"
                  dataKey="reliableImprovement"
                  name={label('reliableImprovement')}
                  stroke="#2f5d8a"
                  connectNulls={false}
                  isAnimationActive={false}
                />
                <Line
                  type="monotone"
                  dataKey="recovery"
                  name={label('recovery')}
                  stroke="#3c8d5a"
                  connectNulls={false}
                  isAnimationActive={false}
                />
                <Line
                  type="monotone"
                  dataKey="response"
                  name={label('response')}
                  stroke="#b5651d"
                  connectNulls={false}
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
          </div>
          <details className="chart-numbers">
            <summary>The trend as a table</summary>
            <TextTable
              label="Trend by month"
              header={['Month', ...TREND_RATES.map((r) => `${label(r)} (95% CI)`)]}
              rows={trendRows}
              rowKey={(cells) => cells[0] ?? ''}
            />
          </details>
        </>
      )}
    </>
  );
}

/** The rates the trend draws, in the registry's order. */
const TREND_RATES = ['reliableImprovement', 'recovery', 'response'] as const;
