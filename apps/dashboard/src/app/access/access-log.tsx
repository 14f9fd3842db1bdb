'use client';

import { accessLogCsv } from '@ipt/analytics';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Failed, Loading } from '../../components/states';
import { TableRegion } from '../../components/table-region';
import { downloadCsv } from '../../lib/csv';
import { useFilters } from '../../lib/use-filters';
import { useTRPC } from '../../trpc/client';

const COLUMNS = [
  ['at', 'time (UTC)'],
  ['principal', 'principal'],
  ['role', 'role'],
  ['via', 'signed in by'],
  ['surface', 'surface'],
  ['procedure', 'procedure'],
  ['filters', 'question'],
  ['cellsReleased', 'cells released'],
  ['cellsWithheld', 'cells withheld'],
  ['status', 'status'],
  ['durationMs', 'ms'],
] as const;

/**
 * Who read what, when, and with what result (stewards only): every read and export of the
 * REST API, its CSV and the dashboard. Never the numbers that were released.
 */
export function AccessLog() {
  const trpc = useTRPC();
  const { params, setParam } = useFilters();
  const principal = params.get('principal') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const query = useQuery(
    trpc.access.log.queryOptions({
      ...(principal === '' ? {} : { principal }),
      ...(from === '' ? {} : { from }),
      ...(to === '' ? {} : { to }),
      limit: 1000,
    }),
  );
  return (
    <>
      <div className="toolbar">
        <label>
          Principal{' '}
          <input
            name="principal"
            defaultValue={principal}
            onBlur={(e) => setParam('principal', e.target.value.trim())}
            maxLength={64}
          />
        </label>
        <IsoDay text="From" value={from} onDay={(day) => setParam('from', day)} />
        <IsoDay text="To" value={to} onDay={(day) => setParam('to', day)} />
      </div>
      {query.isPending ? (
        <Loading what="the access log" />
      ) : query.isError ? (
        <Failed message={query.error.message} />
      ) : (
        <>
          <p>
            {query.data.length} entries, newest first
            {query.data.length === 1000 ? ' (the latest 1000; narrow the period for more)' : ''}.{' '}
            <button
              type="button"
              onClick={() =>
                downloadCsv('ipt-access-log.csv', accessLogCsv(query.data, { principal, from, to }))
              }
            >
              Download CSV
            </button>
          </p>
          <TableRegion label="Access log">
            <table aria-label="Access log">
              <thead>
                <tr>
                  {COLUMNS.map(([key, title]) => (
                    <th key={key}>{title}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {query.data.map((row, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: log entries have no id and two may share every field; the list is only ever replaced whole, never reordered
                  <tr key={i}>
                    {COLUMNS.map(([key]) => (
                      <td key={key} className={key === 'filters' ? 'code' : undefined}>
                        {String(row[key])}
                      </td>
                    ))}
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

/** A day as ISO 8601 text (YYYY-MM-DD), taken when whole: a date input shows the locale's order. */
function IsoDay({
  text,
  value,
  onDay,
}: {
  text: string;
  value: string;
  onDay: (day: string) => void;
}) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <label>
      {text}{' '}
      <input
        type="text"
        inputMode="numeric"
        pattern="\d{4}-\d{2}-\d{2}"
        title="YYYY-MM-DD"
        placeholder="YYYY-MM-DD"
        size={11}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          if (e.target.value === '' || /^\d{4}-\d{2}-\d{2}$/.test(e.target.value))
            onDay(e.target.value);
        }}
      />
    </label>
  );
}
