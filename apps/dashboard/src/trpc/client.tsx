'use client';

import type { AppRouter } from '@ipt/api';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { type ReactNode, useState } from 'react';

/**
 * The browser's tRPC client. Only the router's type crosses from the server packages; the
 * endpoint is /api/trpc on the same origin (the ingest process serves both).
 */
export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        // A session that ended (idle, expired, signed out elsewhere, key removed) sends the
        // browser back to the sign-in page, which returns here afterwards.
        queryCache: new QueryCache({ onError: toSignInWhenUnauthorized }),
        defaultOptions: {
          queries: {
            staleTime: 30_000,
            // Refusals are final; only outages are worth one more try.
            retry: (count, error) => count < 1 && httpStatusOf(error) >= 500,
          },
        },
      }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      // The server takes at most 10 calls in one batch.
      links: [httpBatchLink({ url: '/api/trpc', maxItems: 10 })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

function httpStatusOf(error: unknown): number {
  if (!(error instanceof TRPCClientError)) return 0;
  const data = error.data as { httpStatus?: number } | undefined;
  return data?.httpStatus ?? 0;
}

function toSignInWhenUnauthorized(error: unknown): void {
  if (httpStatusOf(error) !== 401 || typeof window === 'undefined') return;
  const back = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/sign-in?next=${encodeURIComponent(back)}`);
}
