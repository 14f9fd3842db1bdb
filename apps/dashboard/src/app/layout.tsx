import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Providers } from '../trpc/client';
import './globals.css';

export const metadata: Metadata = {
  title: 'IPT Outcomes',
  description:
    'Outcomes of interpersonal psychotherapy by problem area, sessions attended and medication',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="top">
          <strong>IPT Outcomes</strong>
          <nav aria-label="Pages">
            <Link href="/">Overview</Link>
            <Link href="/compare">Compare</Link>
            <Link href="/trajectories">Trajectories</Link>
            <Link href="/cohorts">Cohorts</Link>
            <Link href="/audit">Clinic audit</Link>
            <Link href="/data-quality">Data quality</Link>
          </nav>
        </header>
        <Providers>
          <main>{children}</main>
        </Providers>
        <footer>
          Aggregates only. Cells with fewer episodes than the minimum cell size are suppressed on
          the server.
        </footer>
      </body>
    </html>
  );
}
