import type { Disclosure } from '@ipt/analytics';
import Link from 'next/link';

/**
 * One sentence under any numbers from a protected answer (`protected: true`: a researcher, or a
 * clinic reader looking at the network), so nobody takes a perturbed count for an exact one.
 * Exact answers show nothing. The full rules are on /definitions#protected-numbers.
 */
export function ProtectedNote({
  results,
}: {
  /** Every answer the page shows; the note appears when any of them is protected. */
  results: ReadonlyArray<Disclosure | undefined>;
}) {
  // Answers still loading are undefined; the note waits for one that is protected.
  const first = results.find((r) => r?.protected === true);
  if (first === undefined) return null;
  return (
    <p className="protected-note" role="note" data-testid="protected-note">
      Protected numbers: each count carries a small fixed noise tied to its set of episodes, so
      asking again or differently gives the same answer and two answers cannot be subtracted to
      single anyone out; intervals are widened for it, and groups of fewer than {first.minCellSize}{' '}
      episodes are withheld. <Link href="/definitions#protected-numbers">what this means</Link>
    </p>
  );
}
