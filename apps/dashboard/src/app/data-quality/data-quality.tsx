'use client';

import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Defined } from '../../components/defined';
import { ProtectedNote } from '../../components/protected-note';
import { RateCell } from '../../components/rate-cell';
import { Failed, Loading } from '../../components/states';
import { TableRegion } from '../../components/table-region';
import { TextTable } from '../../components/text-table';
import { downloadCsv, rateColumns, rateValues, toCsv } from '../../lib/csv';
import { count, fewerThan } from '../../lib/format';
import { label } from '../../lib/labels';
import { useFilters } from '../../lib/use-filters';
import { useTRPC } from '../../trpc/client';

/** What arrives, what is refused, what could not be projected, and how complete the data is. */
export function DataQuality() {
  const trpc = useTRPC();
  const { filters } = useFilters();
  const query = useQuery(trpc.outcomes.dataQuality.queryOptions({ filters }));
  if (query.isPending) return <Loading what="data quality" />;
  if (query.isError) return <Failed message={query.error.message} />;
  const {
    ingestByDay,
    rejects,
    deadLetters,
    findings,
    pairedByClinic,
    minCellSize: k,
  } = query.data;
  const withheld = `fewer than ${k}`;
  // One file with every table of the page, each row tagged with its table.
  const csvRows = [
    ...ingestByDay.map((d) => [
      'events per day',
      d.day,
      null,
      d.events,
      null,
      null,
      null,
      null,
      false,
    ]),
    ...pairedByClinic.map((c) => [
      'paired completeness',
      c.clinic,
      null,
      ...(c.suppressed ? rateValues(null) : rateValues(c.completeness)),
      c.suppressed,
    ]),
    ...findings.map((f) => [
      'findings',
      label(f.code),
      null,
      f.episodes,
      null,
      null,
      null,
      null,
      f.episodes === null,
    ]),
    ...rejects.map((r) => [
      'rejects',
      r.path || '(event)',
      r.message,
      r.events,
      null,
      null,
      null,
      null,
      false,
    ]),
    ...deadLetters.map((d) => [
      'dead letters',
      d.origin,
      d.reason,
      d.messages,
      null,
      null,
      null,
      null,
      false,
    ]),
  ];
  return (
    <>
      <ProtectedNote results={[query.data]} />
      <div className="toolbar">
        <h2>Events ingested per day (last 30 days)</h2>
        <button
          type="button"
          onClick={() =>
            downloadCsv(
              'ipt-data-quality.csv',
              toCsv(['table', 'item', 'detail', ...rateColumns('value'), 'suppressed'], csvRows, {
                filters: {},
                answer: query.data,
              }),
            )
          }
        >
          Download CSV
        </button>
      </div>
      <div className="chart" data-testid="ingest-chart">
        {ingestByDay.length === 0 ? (
          <div className="state">No events in the last 30 days.</div>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={ingestByDay} margin={{ top: 10, right: 20, bottom: 10, left: 10 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="day" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Bar dataKey="events" name="Events" fill="#2f5d8a" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        )}
      </div>
      {ingestByDay.length === 0 ? null : (
        <details className="chart-numbers">
          <summary>Events per day as a table</summary>
          <TextTable
            label="Events ingested per day"
            header={['Day', 'Events']}
            rows={ingestByDay.map((d) => [d.day, count(d.events)])}
            rowKey={(cells) => cells[0] ?? ''}
          />
        </details>
      )}
      <h2>
        <Defined term="pairedCompleteness" /> by clinic
      </h2>
      <TableRegion label="Paired completeness">
        <table aria-label="Paired completeness">
          <thead>
            <tr>
              <th>Clinic</th>
              <th>Paired / finished (95% CI)</th>
            </tr>
          </thead>
          <tbody>
            {pairedByClinic.map((c) => (
              <tr key={c.clinic}>
                <td>{c.clinic}</td>
                {c.suppressed ? (
                  <td className="suppressed">{fewerThan(k)}</td>
                ) : (
                  <RateCell metric={c.completeness} k={k} />
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      <h2>Projector findings</h2>
      <TableRegion label="Findings">
        <table aria-label="Findings">
          <thead>
            <tr>
              <th>Finding</th>
              <th>Episodes</th>
            </tr>
          </thead>
          <tbody>
            {findings.length === 0 ? (
              <tr>
                <td colSpan={2}>None</td>
              </tr>
            ) : (
              findings.map((f) => (
                <tr key={f.code}>
                  <td>{label(f.code)}</td>
                  <td>{f.episodes === null ? withheld : count(f.episodes)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </TableRegion>
      <h2>Rejected events by reason (last 30 days)</h2>
      <TableRegion label="Rejects">
        <table aria-label="Rejects">
          <thead>
            <tr>
              <th>Field</th>
              <th>Reason</th>
              <th>Events</th>
            </tr>
          </thead>
          <tbody>
            {rejects.length === 0 ? (
              <tr>
                <td colSpan={3}>None</td>
              </tr>
            ) : (
              rejects.map((r) => (
                <tr key={`${r.path}|${r.message}`}>
                  <td>{r.path || '(event)'}</td>
                  <td>{r.message}</td>
                  <td>{count(r.events)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </TableRegion>
      <h2>Dead letters</h2>
      <TableRegion label="Dead letters">
        <table aria-label="Dead letters">
          <thead>
            <tr>
              <th>Where</th>
              <th>Reason</th>
              <th>Messages</th>
              <th>Latest</th>
            </tr>
          </thead>
          <tbody>
            {deadLetters.length === 0 ? (
              <tr>
                <td colSpan={4}>None</td>
              </tr>
            ) : (
              deadLetters.map((d) => (
                <tr key={`${d.origin}|${d.reason}`}>
                  <td>{d.origin}</td>
                  <td>{d.reason}</td>
                  <td>{count(d.messages)}</td>
                  <td>{d.latest}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </TableRegion>
    </>
  );
}
