import type { Disclosure } from '@ipt/analytics';
/**
 * CSV of exactly what a table shows: the same rows and columns, suppressed cells as the text
 * the page displays. Built from the rendered data, so the file can never hold more.
 *
 * A file outlives the page it came from, so one built from an analytics answer says on every
 * row whether its numbers are protected (perturbed) or exact: a last column `protected`, true or
 * false. `disclosure` is required so that no caller can forget it; null is for tables that are
 * not analytics answers (the access log, budgets).
 */
export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string>>,
  disclosure: Pick<Disclosure, 'protected'> | null,
): string {
  const cell = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const marked =
    disclosure === null
      ? [header, ...rows]
      : [[...header, 'protected'], ...rows.map((row) => [...row, String(disclosure.protected)])];
  return `${marked.map((row) => row.map(cell).join(',')).join('\n')}\n`;
}

export function downloadCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
