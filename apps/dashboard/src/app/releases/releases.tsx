'use client';

import { can } from '@ipt/analytics';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { moment } from '../../components/basis-bar';
import { Failed, Loading } from '../../components/states';
import { TableRegion } from '../../components/table-region';
import { bigCount as count } from '../../lib/format';
import { useMe } from '../../lib/use-me';
import { useTRPC } from '../../trpc/client';

/** The datetime-local value of a moment, in UTC to the second (the form says UTC). */
const localValue = (date: Date) => date.toISOString().slice(0, 19);
/** Back to an ISO moment: the browser gives minutes, or seconds with step="1". */
const isoOf = (local: string) =>
  `${local.replace(/Z$/, '').length === 16 ? `${local.replace(/Z$/, '')}:00` : local.replace(/Z$/, '')}Z`;

/**
 * The frozen releases, for every reader; the steward freezes, verifies and deletes them (the
 * server refuses anyone else, and logs every attempt).
 */
export function Releases() {
  const trpc = useTRPC();
  const me = useMe();
  const queryClient = useQueryClient();
  const steward = me.data !== undefined && me.data !== null && can(me.data, 'releases:manage');
  const list = useQuery(trpc.releases.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.releases.list.queryKey() });
  const create = useMutation(trpc.releases.create.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.releases.delete.mutationOptions({ onSuccess: refresh }));
  const [name, setName] = useState('');
  const [asOf, setAsOf] = useState(() => localValue(new Date()));
  const [note, setNote] = useState('');
  const [verifying, setVerifying] = useState<string | null>(null);

  if (list.isPending) return <Loading what="releases" />;
  if (list.isError) return <Failed message={list.error.message} />;
  const releases = list.data.releases;
  return (
    <>
      {steward ? (
        <form
          className="toolbar"
          aria-label="Freeze a release"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name, asOf: isoOf(asOf), ...(note === '' ? {} : { note }) });
          }}
        >
          <label>
            Name{' '}
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="audit-2026-q2"
              required
            />
          </label>
          <label>
            As of (UTC){' '}
            <input
              type="text"
              pattern="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z?"
              title="ISO 8601 in UTC, YYYY-MM-DDTHH:MM:SS"
              placeholder="2026-06-30T23:59:59"
              size={20}
              value={asOf}
              onChange={(e) => setAsOf(e.target.value)}
              required
            />
          </label>
          <label>
            Note <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
          </label>
          <button type="submit" disabled={create.isPending}>
            Freeze
          </button>
          {create.isError ? <span role="alert">Not frozen: {create.error.message}</span> : null}
          {create.isSuccess ? (
            <span role="status">
              Frozen: {create.data.name}, {count(create.data.episodes)} episodes.
            </span>
          ) : null}
        </form>
      ) : null}
      {releases.length === 0 ? (
        <div className="state">No release yet{steward ? '' : ': the data steward makes them'}.</div>
      ) : (
        <TableRegion label="Releases">
          <table aria-label="Releases">
            <thead>
              <tr>
                <th>Name</th>
                <th>Events recorded up to</th>
                <th>Definitions</th>
                <th>Episodes</th>
                <th>Content hash</th>
                <th>Frozen by</th>
                <th>Note</th>
                {steward ? <th>Steward</th> : null}
              </tr>
            </thead>
            <tbody>
              {releases.map((r) => (
                <tr key={r.name}>
                  <td>
                    <Link href={`/?release=${encodeURIComponent(r.name)}`}>{r.name}</Link>
                  </td>
                  <td>{moment(r.asOf)}</td>
                  <td>{r.definitionsVersion}</td>
                  <td>{count(r.episodes)}</td>
                  <td>
                    <code title={r.contentHash}>{r.contentHash.slice(0, 12)}…</code>
                  </td>
                  <td>
                    {r.createdBy}, {moment(r.createdAt)}
                  </td>
                  <td>{r.note}</td>
                  {steward ? (
                    <td>
                      <button type="button" onClick={() => setVerifying(r.name)}>
                        Verify
                      </button>{' '}
                      <button
                        type="button"
                        onClick={() => {
                          if (
                            window.confirm(
                              `Delete release ${r.name}? Its name cannot be used again.`,
                            )
                          )
                            remove.mutate({ name: r.name });
                        }}
                      >
                        Delete
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {remove.isError ? (
        <div className="state error" role="alert">
          {remove.error.message}
        </div>
      ) : null}
      {verifying !== null ? <Verification name={verifying} /> : null}
    </>
  );
}

function Verification({ name }: { name: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.releases.verify.queryOptions({ name }));
  if (query.isPending) return <Loading what={`the rows of ${name}`} />;
  if (query.isError) return <Failed message={query.error.message} />;
  const v = query.data;
  return (
    <p role="status" className={v.ok ? 'note' : 'notice'}>
      {v.ok
        ? `${name}: its ${count(v.computed.episodes)} rows hash to the recorded ${v.recorded.contentHash.slice(0, 12)}…`
        : `${name} differs: recorded ${v.recorded.contentHash.slice(0, 12)}… over ${count(v.recorded.episodes)} rows, computed ${v.computed.contentHash.slice(0, 12)}… over ${count(v.computed.episodes)}.`}
      {v.differing !== null && v.differing.length > 0
        ? ` Rows that differ from the history: ${v.differing.join(', ')}.`
        : ''}
    </p>
  );
}
