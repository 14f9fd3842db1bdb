import type { Metadata } from 'next';
import type { ReactNode } from 'react';
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
            <Nav />
          </header>
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
