import type { ReactNode } from 'react';

/**
 * A table's own scrolling box: a wide table scrolls inside it rather than widening the page (a
 * phone is 390 px wide), and the box takes keyboard focus, so its numbers can be scrolled to
 * without a mouse (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
export function TableRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to be scrolled by keyboard
    <section className="table-region" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
