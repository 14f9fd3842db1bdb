/**
 * A refused input in words, the same on every surface (REST 400, tRPC 400, the dashboard's
 * forms): each problem's message after the field it is about, joined by "; ". Paths leave out
 * `filters`, which neither the URLs nor the forms show; a repeated line is said once. Never the
 * validation library's JSON: that is for programs, and readers were shown it.
 */
export function issuesMessage(
  issues: ReadonlyArray<{ readonly path: readonly PropertyKey[]; readonly message: string }>,
): string {
  const lines = issues.map((issue) => {
    const path = issue.path
      .filter((p) => p !== 'filters')
      .map(String)
      .join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  return [...new Set(lines)].join('; ') || 'the input is not valid';
}
