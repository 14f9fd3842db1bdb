'use client';

import { useSearchParams } from 'next/navigation';

/**
 * Says which parameters of the address a page did not use, so a shared link that names a
 * value the page does not know (`groupBy=nonsense`) is not shown as if it were applied.
 * `accepted` tells, per parameter, whether its value (when present) was used.
 */
export function IgnoredParams({ accepted }: { accepted: Readonly<Record<string, boolean>> }) {
  const params = useSearchParams();
  const ignored = Object.entries(accepted)
    .filter(([name, ok]) => params.has(name) && params.get(name) !== '' && !ok)
    .map(([name]) => `${name}=${params.get(name)}`);
  if (ignored.length === 0) return null;
  return (
    <p className="notice" role="status" data-testid="ignored-params">
      Not used, from the address: {ignored.join(', ')} (not a value this page takes, or not one for
      your role). The page shows its default instead.
    </p>
  );
}
