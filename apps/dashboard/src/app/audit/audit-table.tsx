'use client';

import type { AuditUnit, RateMetric } from '@ipt/analytics';
import { offTrackAbove } from '@ipt/analytics';
import { useState } from 'react';
import { Defined } from '../../components/defined';
import { RateCell, rateText } from '../../components/rate-cell';
import { TableRegion } from '../../components/table-region';
import type { Term } from '../../lib/definitions';
import { count, fewerThan, percent, twoDecimals } from '../../lib/format';

const FUNNEL_TEXT = {
  within: 'within 95%',
  outside_95: 'outside 95%',
  'outside_99.8': 'outside 99.8%',
} as const;

/**
 * The audit's units, outcomes and fidelity, searchable by unit or clinic and 50 rows a page
 * (a network has hundreds of therapists); a unit off track above the cohort is marked.
 */
export function AuditTable({
  units,
  k,
  networkOffTrack,
  level,
}: {
  units: AuditUnit[];
  k: number;
  networkOffTrack: RateMetric | null;
  level: string;
}) {
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
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
  return (
    <>
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

/** The off-track share as the table shows it and the CSV repeats it. */
function offTrackText(unit: RateMetric | null, network: RateMetric | null, k: number): string {
  const text = rateText(unit, k);
  return offTrackAbove(unit, network) ? `${text} above the cohort` : text;
}

const PAGE_ROWS = 50;

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
