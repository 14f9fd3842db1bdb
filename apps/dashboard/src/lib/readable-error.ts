/**
 * What went wrong, in words: tRPC sends a refused input as the JSON of zod's issues, which is
 * for programs. A page shows each issue's message, after the field it is about.
 */
export function readableError(message: string): string {
  let issues: unknown;
  try {
    issues = JSON.parse(message);
  } catch {
    return message;
  }
  if (!Array.isArray(issues) || issues.length === 0) return message;
  const lines = issues.map((issue: { path?: unknown; message?: unknown }) => {
    const text = typeof issue.message === 'string' ? issue.message : 'is not valid';
    const path = Array.isArray(issue.path) ? issue.path.filter((p) => p !== 'filters') : [];
    return path.length === 0 ? text : `${path.join('.')}: ${text}`;
  });
  return [...new Set(lines)].join('; ');
}
