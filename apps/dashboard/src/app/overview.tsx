'use client';

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
import { RateCell, rateText } from '../components/rate-cell';
import { Empty, Failed, Loading } from '../components/states';
import { downloadCsv, toCsv } from '../lib/csv';
import { label, RATES } from '../lib/labels';
import { useFilters } from '../lib/use-filters';
import { useTRPC } from '../trpc/client';

/** Totals, outcome rates with 95% intervals, and the trend by month of episode start. */
export function Overview() {
  const trpc = useTRPC();
  const { filters } = useFilters();
  const query = useQuery(trpc.outcomes.overview.queryOptions({ filters }));
  if (query.isPending) return <Loading what="outcomes" />;
  if (query.isError) return <Failed message={query.error.message} />;
  const { total, trend, minCellSize: k } = query.data;
  if (total === null || total.n === 0) return <Empty />;
  const n = (value: number | null) =>
    value === null ? `suppressed (n < ${k})` : value.toLocaleString('en');
  const completeness =
    total.paired !== null && total.finished !== null && total.finished > 0
      ? `${((total.paired / total.finished) * 100).toFixed(1)}%`
      : 'not available';
  const rows = RATES.map((rate) => [
    label(rate),
    rateText(total[rate], k),
    total[rate]?.denominator.toString() ?? '',
  ]);
  const points = trend.map((p) => ({
    month: p.month.slice(0, 7),
    reliableImprovement:
      p.reliableImprovement === null ? null : Math.round(p.reliableImprovement.rate * 1000) / 10,
    recovery: p.recovery === null ? null : Math.round(p.recovery.rate * 1000) / 10,
    response: p.response === null ? null : Math.round(p.response.rate * 1000) / 10,
  }));
  return (
    <>
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
          <div className="name">paired-data completeness</div>
        </div>
        <div className="card">
          <div className="value">
            {total.effectSize === null ? '–' : total.effectSize.toFixed(2)}
          </div>
          <div className="name">pre-post effect size (d)</div>
        </div>
      </section>
      <div className="toolbar">
        <h2>Outcome rates</h2>
        <button
          type="button"
          onClick={() =>
            downloadCsv(
              'ipt-overview.csv',
              toCsv(['outcome', 'rate (95% CI)', 'denominator'], rows),
            )
          }
        >
          Download CSV
        </button>
      </div>
      <table aria-label="Outcome rates">
        <thead>
          <tr>
            <th>Outcome</th>
            <th>Rate (95% CI)</th>
            <th>Denominator</th>
          </tr>
        </thead>
        <tbody>
          {RATES.map((rate) => (
            <tr key={rate}>
              <td>{label(rate)}</td>
              <RateCell metric={total[rate]} k={k} />
              <td>{total[rate]?.denominator ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Trend by month of episode start (%)</h2>
      <div className="chart" data-testid="trend-chart">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} margin={{ top: 10, right: 20, bottom: 10, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" />
            <YAxis domain={[0, 100]} unit="%" />
            <Tooltip />
            <Legend />
            <Line
              type="monotone"
              dataKey="reliableImprovement"
              name="Reliable improvement"
              stroke="#2f5d8a"
              connectNulls={false}
            />
            <Line
              type="monotone"
              dataKey="recovery"
              name="Recovery"
              stroke="#3c8d5a"
              connectNulls={false}
            />
            <Line
              type="monotone"
              dataKey="response"
              name="Response"
              stroke="#b5651d"
              connectNulls={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </>
  );
}
