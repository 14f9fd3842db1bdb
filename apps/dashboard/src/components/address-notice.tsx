'use client';

/** A parameter of the address a page could not use, and why in a few words. */
export interface Unused {
  name: string;
  value: string;
  why: string;
}

/**
 * The one notice for any value of the address a page cannot use (a filter, a grouping, a band,
 * a cohort): it names each with its value and why, and says what is shown instead, so a shared
 * link is never shown as if it had been applied.
 */
export function AddressNotice({
  unused,
  instead,
  testId,
}: {
  unused: readonly Unused[];
  /** What the page shows instead, as a sentence. */
  instead: string;
  testId: string;
}) {
  if (unused.length === 0) return null;
  return (
    <p className="notice" role="status" data-testid={testId}>
      Not applied, from the address:{' '}
      {unused.map((u) => `${u.name}=${u.value} (${u.why})`).join('; ')}. {instead}
    </p>
  );
}
