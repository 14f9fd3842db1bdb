'use client';

import { DEFINITIONS_VERSION } from '@ipt/protocol';
import { useQuery } from '@tanstack/react-query';
import { usePathname } from 'next/navigation';
import { useFilters } from '../lib/use-filters';
import { useMe } from '../lib/use-me';
import { useTRPC } from '../trpc/client';

/** Pages whose numbers are the live log's, whatever release is chosen. */
const LIVE_ONLY: Record<string, string> = {
  '/data-quality': 'Data quality is the live log (refusals, dead letters, the last 30 days)',
  '/access': 'The access log is always live',
};

export const moment = (iso: string) =>
  `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * What the numbers on the page are as of, on every page: live (events recorded up to the latest
 * folded), as of a moment, or a frozen release; and the picker of releases, which keeps the
 * choice in the URL (`release=<name>`) so a view of a release can be shared and cited.
 */
export function BasisBar() {
  const pathname = usePathname();
  const me = useMe();
  const trpc = useTRPC();
  const { basis, setParams } = useFilters();
  const signedIn = me.data !== undefined && me.data !== null;
  const releases = useQuery({ ...trpc.releases.list.queryOptions(), enabled: signedIn });
  const asked = useQuery({ ...trpc.releases.basis.queryOptions({ ...basis }), enabled: signedIn });
  if (pathname.startsWith('/sign-in') || !signedIn) return null;
  const liveOnly = LIVE_ONLY[pathname];
  const chosen = releases.data?.releases.find((r) => r.name === basis.release);
  const value = basis.release ?? (basis.asOf === undefined ? '' : `asOf:${basis.asOf}`);
  const choose = (next: string) => {
    if (next.startsWith('asOf:')) return;
    setParams({ asOf: null, release: next === '' ? null : next });
  };
  return (
    <section className="basis" aria-label="What the numbers are as of">
      <label>
        Numbers{' '}
        <select aria-label="Numbers from" value={value} onChange={(e) => choose(e.target.value)}>
          <option value="">live</option>
          {basis.asOf !== undefined && basis.release === undefined ? (
            <option value={value}>as of {moment(basis.asOf)}</option>
          ) : null}
          {releases.data?.releases.map((r) => (
            <option key={r.name} value={r.name}>
              release {r.name}
            </option>
          ))}
          {basis.release !== undefined && chosen === undefined ? (
            <option value={basis.release}>release {basis.release} (not found)</option>
          ) : null}
        </select>
      </label>{' '}
      <span className="basis-note" role="note">
        {liveOnly !== undefined
          ? `${liveOnly}; the choice applies to the analyses.`
          : asked.isError
            ? asked.error.message
            : asked.isPending || (basis.release !== undefined && releases.isPending)
              ? 'Finding what the numbers are as of…'
              : noteOf(basis, chosen, asked.data.recordedUpTo)}
      </span>
    </section>
  );
}

function noteOf(
  basis: { release?: string; asOf?: string },
  release:
    | { name: string; asOf: string; definitionsVersion: string; contentHash: string }
    | undefined,
  recordedUpTo: string | null,
): string {
  if (release !== undefined) {
    return `Release ${release.name}: events recorded up to ${moment(release.asOf)}, definitions ${release.definitionsVersion}, content hash ${release.contentHash.slice(0, 12)}. These numbers do not change.`;
  }
  if (basis.asOf !== undefined) {
    return `As of ${moment(basis.asOf)}: events recorded up to then, by today's definitions (${DEFINITIONS_VERSION}). Later events and corrections are left out.`;
  }
  return recordedUpTo === null
    ? `Live: no events yet. Definitions ${DEFINITIONS_VERSION}.`
    : `Live: events recorded up to ${moment(recordedUpTo)}, definitions ${DEFINITIONS_VERSION}. Late events and corrections change these numbers; cite a release.`;
}
