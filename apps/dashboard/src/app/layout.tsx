import type { Metadata } from 'next';
import { type ReactNode, Suspense } from 'react';
import { BasisBar } from '../components/basis-bar';
import { Nav } from '../components/nav';
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
        <Providers>
          <header className="top">
            <strong>IPT Outcomes</strong>
            <Suspense fallback={null}>
              <Nav />
            </Suspense>
          </header>
          <Suspense fallback={null}>
            <BasisBar />
          </Suspense>
          <main>{children}</main>
        </Providers>
        <footer>
          Aggregates only. Cells with fewer episodes than the minimum cell size are suppressed on
          the server. Every read is recorded in the access log.
        </footer>
      </body>
    </html>
  );
}
