'use client';

import { findingEpisodesCsv, type OutcomeFilters } from '@ipt/analytics';
import type { FindingCode } from '@ipt/protocol';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Defined } from '../../components/defined';
import { ProtectedNote } from '../../components/protected-note';
import { RateCell } from '../../components/rate-cell';
import { Failed, Loading } from '../../components/states';
import { TableRegion } from '../../components/table-region';
import { TextTable } from '../../components/text-table';
import { answerCsv, downloadCsv, rateColumns, rateValues, toCsv } from '../../lib/csv';
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
      false,
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
      <h2>Gaps and inconsistencies in episode records</h2>
      <p className="note">
        Found in the episodes’ events (a PHQ-9 missing at a session attended, a problem area not
        named by session 3, ...). They never refuse an event; the episodes are listed below.
      </p>
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
                  <td>{count(f.episodes)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </TableRegion>
      {findings.length === 0 ? null : (
        <FindingEpisodes codes={findings.map((f) => f.code)} filters={filters} />
      )}
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

/**
 * The episodes behind the findings, pseudonyms only: the clinic re-identifies them with its own
 * secret (`reidentify` in @ipt-outcomes/source), as with the off-track list; the CSV is for that.
 */
function FindingEpisodes({ codes, filters }: { codes: string[]; filters: OutcomeFilters }) {
  const trpc = useTRPC();
  const [code, setCode] = useState<string>('');
  const query = useQuery(
    trpc.outcomes.findingEpisodes.queryOptions({
      filters,
      ...(code === '' ? {} : { code: code as FindingCode }),
    }),
  );
  const header = ['episode', 'clinic', 'finding', 'sessions'];
  const rows =
    query.data?.episodes.map((e) => [e.episodeId, e.clinic, label(e.code), e.sessions]) ?? [];
  return (
    <section aria-labelledby="finding-episodes">
      <div className="toolbar">
        <h2 id="finding-episodes">Episodes with a finding</h2>
        <label>
          Finding{' '}
          <select name="finding" value={code} onChange={(e) => setCode(e.target.value)}>
            <option value="">All</option>
            {codes.map((c) => (
              <option key={c} value={c}>
                {label(c)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          data-testid="finding-episodes-csv"
          disabled={query.data === undefined}
          onClick={() =>
            query.data === undefined
              ? undefined
              : downloadCsv(
                  'ipt-finding-episodes.csv',
                  answerCsv(findingEpisodesCsv(query.data, filters), query.data),
                )
          }
        >
          Download CSV
        </button>
      </div>
      {query.isPending ? (
        <Loading what="the episodes with findings" />
      ) : query.isError ? (
        <Failed message={query.error.message} />
      ) : (
        <>
          <p className="note" data-testid="finding-episodes-count">
            {query.data.episodes.length} {query.data.episodes.length === 1 ? 'episode' : 'episodes'}
            {query.data.truncated ? ' (the first; narrow by finding or clinic for the rest)' : ''}.
            Pseudonyms only: re-identify them at the clinic with its own secret.
          </p>
          <TextTable
            label="Episodes with a finding"
            header={header}
            rows={rows}
            rowKey={(cells) => `${cells[0]}|${cells[2]}`}
          />
        </>
      )}
    </section>
  );
}
