'use client';

import { can } from '@ipt/analytics';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { useMe } from '../lib/use-me';

/**
 * The page links a signed-in reader's role may use (the server refuses the others anyway),
 * who is signed in, and sign-out. Nothing on the sign-in page.
 */
export function Nav() {
  const pathname = usePathname();
  const params = useSearchParams();
  const me = useMe();
  // The chosen release (or moment) goes with the reader from page to page.
  const carried = new URLSearchParams();
  for (const name of ['release', 'asOf']) {
    const value = params.get(name);
    if (value !== null) carried.set(name, value);
  }
  const suffix = carried.size > 0 ? `?${carried.toString()}` : '';
  if (pathname.startsWith('/sign-in') || me.data === undefined || me.data === null) return null;
  const { name, clinics, label, summary } = me.data;
  const links = [
    { href: '/', text: 'Overview' },
    { href: '/compare', text: 'Compare' },
    { href: '/trajectories', text: 'Trajectories' },
    { href: '/care', text: 'Signals for care' },
    { href: '/cohorts', text: 'Cohorts' },
    { href: '/audit', text: 'Clinic audit' },
    ...(can(me.data, 'dataQuality:read') ? [{ href: '/data-quality', text: 'Data quality' }] : []),
    { href: '/releases', text: 'Releases' },
    ...(can(me.data, 'accessLog:read') ? [{ href: '/access', text: 'Access log' }] : []),
    // Every role: what the numbers on the other pages mean, protected ones included.
    { href: '/definitions', text: 'Definitions' },
  ];
  return (
    <>
      <nav aria-label="Pages">
        {links.map((l) => (
          <Link
            key={l.href}
            href={`${l.href}${suffix}`}
            aria-current={pathname === l.href ? 'page' : undefined}
          >
            {l.text}
          </Link>
        ))}
      </nav>
      <form method="post" action="/auth/sign-out" className="who">
        <span title={summary}>
          {name} · {label}
          {clinics.length > 0 ? ` (${clinics.join(', ')})` : ''}
        </span>{' '}
        <button type="submit">Sign out</button>
      </form>
    </>
  );
}
