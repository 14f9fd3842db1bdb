'use client';

import type { OutcomeFilters, SavedCohort } from '@ipt/analytics';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter } from 'next/navigation';
import { useState } from 'react';
import { Defined } from '../../components/defined';
import { IgnoredParams } from '../../components/ignored-params';
import { ProtectedNote } from '../../components/protected-note';
import { RateCell } from '../../components/rate-cell';
import { Failed, Loading } from '../../components/states';
import { TableRegion } from '../../components/table-region';
import { downloadCsv, filtersText, rateValues, toCsv } from '../../lib/csv';
import { count as countText, fewerThan } from '../../lib/format';
import { filterValueLabel, label, RATES } from '../../lib/labels';
import { wholeMonths } from '../../lib/months';
import { useFilters } from '../../lib/use-filters';
import { useTRPC } from '../../trpc/client';

function describe(filters: OutcomeFilters): string {
  const parts = Object.entries(filters).map(
    ([key, value]) =>
      `${label(key)}: ${Array.isArray(value) ? value.map((v) => filterValueLabel(key, v)).join(', ') : value}`,
  );
  return parts.length === 0 ? 'all episodes' : parts.join('; ');
}

function toQuery(filters: OutcomeFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters))
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  return params.toString();
}

/** A cohort is named per owner: the owner and the name identify it. */
const cohortKey = (c: SavedCohort) => `${c.owner}/${c.name}`;

/** Save the current filters as a named cohort, load one back, compare two side by side. */
export function Cohorts() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const { filters, params, setParam } = useFilters();
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const cohorts = useQuery(trpc.cohorts.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.cohorts.list.queryKey() });
  const save = useMutation(trpc.cohorts.save.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.cohorts.delete.mutationOptions({ onSuccess: refresh }));
  const submit = (replace: boolean) =>
    save.mutate({ name, filters, visibility: shared ? 'network' : 'private', replace });
  // A name already taken is a conflict: the page asks before replacing it.
  const conflict = save.isError && save.error.data?.code === 'CONFLICT';

  if (cohorts.isPending) return <Loading what="cohorts" />;
  if (cohorts.isError) return <Failed message={cohorts.error.message} />;
  const byKey = new Map(cohorts.data.map((c) => [cohortKey(c), c]));
  const a = byKey.get(params.get('a') ?? '');
  const b = byKey.get(params.get('b') ?? '');
  const missing = 'no saved cohort of that owner and name that you can see';

  return (
    <>
      <IgnoredParams
        accepted={{ a: a === undefined ? missing : true, b: b === undefined ? missing : true }}
      />
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          submit(false);
        }}
      >
        <label>
          Save current filters as{' '}
          <input
            name="cohortName"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="cohort name"
            required
            maxLength={64}
          />
        </label>
        <label>
          <input
            type="checkbox"
            name="shared"
            checked={shared}
            onChange={(e) => setShared(e.target.checked)}
          />{' '}
          share with the network
        </label>
        <button type="submit" disabled={save.isPending}>
          Save cohort
        </button>
        {conflict ? (
          <span role="alert">
            You already have a cohort named “{name}”.{' '}
            <button type="button" onClick={() => submit(true)}>
              Replace it
            </button>
          </span>
        ) : save.isError ? (
          <span role="alert">Not saved: {save.error.message}</span>
        ) : null}
      </form>
      <h2>Saved cohorts</h2>
      <TableRegion label="Saved cohorts">
        <table aria-label="Saved cohorts">
          <thead>
            <tr>
              <th>Name</th>
              <th>Owner</th>
              <th>Seen by</th>
              <th>Definition</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {cohorts.data.length === 0 ? (
              <tr>
                <td colSpan={5}>No cohort saved yet.</td>
              </tr>
            ) : (
              cohorts.data.map((c) => (
                <tr key={cohortKey(c)}>
                  <td>{c.name}</td>
                  <td>{c.owner === '' ? 'the network' : c.owner}</td>
                  <td>{c.visibility === 'network' ? 'everyone' : 'its owner'}</td>
                  <td>{describe(c.filters)}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() => router.replace(`${pathname}?${toQuery(c.filters)}`)}
                    >
                      Load
                    </button>{' '}
                    {c.mine ? (
                      <button
                        type="button"
                        onClick={() => remove.mutate({ name: c.name, owner: c.owner })}
                      >
                        Delete
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </TableRegion>
      <h2>Side by side</h2>
      <div className="toolbar">
        {(['a', 'b'] as const).map((slot) => (
          <label key={slot}>
            Cohort {slot.toUpperCase()}{' '}
            <select
              value={params.get(slot) ?? ''}
              onChange={(e) => setParam(slot, e.target.value)}
              aria-label={`Cohort ${slot.toUpperCase()}`}
            >
              <option value="">choose…</option>
              {cohorts.data.map((c) => (
                <option key={cohortKey(c)} value={cohortKey(c)}>
                  {c.owner === '' ? c.name : `${c.name} (${c.owner})`}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      {a && b ? <SideBySide a={a} b={b} /> : <div className="state">Choose two saved cohorts.</div>}
    </>
  );
}

function SideBySide({ a, b }: { a: SavedCohort; b: SavedCohort }) {
  const trpc = useTRPC();
  // A cohort saved with day bounds is asked in whole months, as the filter bar asks it.
  const { basis } = useFilters();
  const left = useQuery(
    trpc.outcomes.overview.queryOptions({ filters: wholeMonths(a.filters), ...basis }),
  );
  const right = useQuery(
    trpc.outcomes.overview.queryOptions({ filters: wholeMonths(b.filters), ...basis }),
  );
  if (left.isPending || right.isPending) return <Loading what="the two cohorts" />;
  if (left.isError) return <Failed message={left.error.message} />;
  if (right.isError) return <Failed message={right.error.message} />;
  const k = left.data.minCellSize;
  const [ta, tb] = [left.data.total, right.data.total];
  const count = (t: typeof ta) =>
    t === null || t.suppressed || t.n === null ? fewerThan(k) : countText(t.n);
  const header = ['measure', a.name, b.name];
  // One marker for the file: protected when either cohort's numbers are (a clinic reader may
  // put its own clinic, exact, beside the network, protected).
  const disclosure = { protected: left.data.protected || right.data.protected };
  return (
    <>
      <ProtectedNote results={[left.data, right.data]} />
      <button
        type="button"
        onClick={() =>
          downloadCsv(
            'ipt-cohorts.csv',
            // One row per cohort and measure; each cohort's own filters in the row (the view's
            // filters, the file's `filters` column, are the cohorts').
            toCsv(
              [
                'cohort',
                'cohort_filters',
                'episodes',
                'measure',
                'count',
                'denominator',
                'rate',
                'ci_lower',
                'ci_upper',
              ],
              [[a, ta] as const, [b, tb] as const].flatMap(([cohort, total]) =>
                RATES.map((rate) => [
                  cohort.name,
                  filtersText(wholeMonths(cohort.filters)),
                  total === null || total.suppressed ? null : total.n,
                  label(rate),
                  ...rateValues(total?.[rate] ?? null),
                ]),
              ),
              { filters: {}, answer: { ...left.data, protected: disclosure.protected } },
            ),
          )
        }
      >
        Download CSV
      </button>
      <TableRegion label="Cohorts side by side">
        <table aria-label="Cohorts side by side">
          <thead>
            <tr>
              {header.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>episodes</td>
              <td>{count(ta)}</td>
              <td>{count(tb)}</td>
            </tr>
            {RATES.map((r) => (
              <tr key={r}>
                <td>
                  <Defined term={r} />
                </td>
                <RateCell metric={ta?.[r] ?? null} k={k} />
                <RateCell metric={tb?.[r] ?? null} k={k} />
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </>
  );
}
