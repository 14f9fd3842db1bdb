'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc/client';

/** Who is signed in and what the role may see: the same table the server enforces. */
export function useMe() {
  const trpc = useTRPC();
  return useQuery(trpc.access.me.queryOptions(undefined, { staleTime: 60_000 }));
}
