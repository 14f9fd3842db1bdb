'use client';

import { useSearchParams } from 'next/navigation';
import { AddressNotice } from './address-notice';

/**
 * Says which parameters of the address a page did not use, so a shared link that names a
 * value the page does not know (`groupBy=nonsense`, `band=99-100`) is not shown as if it were
 * applied. `accepted` tells, per parameter, whether its value (when present) was used: true, or
 * false ("not a value this page takes"), or the reason in words.
 */
export function IgnoredParams({
  accepted,
}: {
  accepted: Readonly<Record<string, boolean | string>>;
}) {
  const params = useSearchParams();
  const unused = Object.entries(accepted)
    .filter(([name, ok]) => params.has(name) && params.get(name) !== '' && ok !== true)
    .map(([name, ok]) => ({
      name,
      value: params.get(name) ?? '',
      why: typeof ok === 'string' ? ok : 'not a value this page takes, or not one for your role',
    }));
  return (
    <AddressNotice
      unused={unused}
      instead="The page shows its default instead."
      testId="ignored-params"
    />
  );
}
