/**
 * Metrics labels of the dashboard's page requests (read by the ingest's metrics as
 * `res.locals.metricsRoute`): a label per page, never per URL, so scanners add no series.
 */

/** The pages of the app (src/app): a request's metrics label is its page, never its URL. */
export const PAGES = new Set([
  'access',
  'audit',
  'care',
  'cohorts',
  'compare',
  'data-quality',
  'definitions',
  'releases',
  'sign-in',
  'trajectories',
]);

/** `/compare`, `/` or `/_next/static`; anything else one label, `(page)`. */
export function pageLabel(path: string): string {
  if (path === '/') return '/';
  if (path.startsWith('/_next/')) return '/_next/static';
  const first = path.split('/')[1] ?? '';
  return PAGES.has(first) ? `/${first}` : '(page)';
}
