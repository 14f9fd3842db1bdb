'use client';

import Link from 'next/link';
import { type ReactNode, useId, useState } from 'react';
import { definitionOf, type Term } from '../lib/definitions';

/**
 * A term with its definition one keystroke away: a small "?" button after the text shows the
 * registry's short explanation and a link to the formula and source on /definitions. The button
 * is in the tab order; the explanation shows on hover, on focus and on click, and Escape hides
 * it (WCAG 1.4.13: dismissable, hoverable, persistent).
 */
export function Defined({ term, children }: { term: Term; children?: ReactNode }) {
  const definition = definitionOf(term);
  const id = useId();
  const [open, setOpen] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  return (
    <span
      className="defined"
      data-open={open && !dismissed ? 'true' : undefined}
      data-dismissed={dismissed ? 'true' : undefined}
    >
      {children ?? definition.label}
      <button
        type="button"
        className="defined-button"
        aria-label={`What is ${definition.label.toLowerCase()}?`}
        aria-describedby={id}
        aria-expanded={open && !dismissed}
        onClick={() => {
          setOpen(!open);
          setDismissed(false);
        }}
        onBlur={() => {
          setOpen(false);
          setDismissed(false);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setOpen(false);
            setDismissed(true);
          }
        }}
      >
        ?
      </button>
      <span role="tooltip" id={id} className="defined-popover">
        {definition.short} <Link href={`/definitions#${definition.id}`}>Formula and source</Link>
      </span>
    </span>
  );
}
