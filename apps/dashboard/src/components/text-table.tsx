import type { ReactNode } from 'react';
import { isWithheld } from '../lib/format';

/**
 * A table of the text cells a page also writes to its CSV, so the file and the table cannot
 * differ; it scrolls in its own box when long. A cell reading "fewer than k" is styled as
 * withheld. `action` adds a last column of controls (not part of the CSV).
 */
export function TextTable({
  label,
  header,
  rows,
  rowKey,
  action,
}: {
  label: string;
  header: readonly string[];
  rows: ReadonlyArray<readonly string[]>;
  rowKey: (cells: readonly string[]) => string;
  action?: { header: string; cell: (cells: readonly string[]) => ReactNode };
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to be scrolled by keyboard
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      <table aria-label={label}>
        <thead>
          <tr>
            {header.map((h) => (
              <th key={h}>{h}</th>
            ))}
            {action === undefined ? null : (
              <th>
                <span className="visually-hidden">{action.header}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((cells) => (
            <tr key={rowKey(cells)}>
              {cells.map((c, i) => (
                <td
                  // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed
                  key={i}
                  className={isWithheld(c) ? 'suppressed' : undefined}
                >
                  {c}
                </td>
              ))}
              {action === undefined ? null : <td>{action.cell(cells)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
