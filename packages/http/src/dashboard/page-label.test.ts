// The metrics label of a page request is its page from a closed list, kept equal to the app's
// page directories, so a new page is labelled and a scanner's URL adds no series.
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PAGES, pageLabel } from './page-label.js';

// The dashboard app whose pages these label (a test reads its directories; nothing imports it).
const APP = fileURLToPath(new URL('../../../../apps/dashboard/src/app/', import.meta.url));

describe('pageLabel', () => {
  it('knows every page directory of the app', () => {
    const pages = readdirSync(APP).filter(
      (name) =>
        statSync(`${APP}${name}`).isDirectory() &&
        readdirSync(`${APP}${name}`).includes('page.tsx'),
    );
    expect([...PAGES].sort()).toEqual(pages.sort());
  });

  it('labels by page, never by URL', () => {
    expect(pageLabel('/')).toBe('/');
    expect(pageLabel('/compare')).toBe('/compare');
    expect(pageLabel('/audit/therapists')).toBe('/audit');
    expect(pageLabel('/_next/static/chunks/abc123.js')).toBe('/_next/static');
    expect(pageLabel('/wp-admin/setup.php')).toBe('(page)');
    expect(pageLabel('/compare%2F..%2Fsecret')).toBe('(page)');
  });
});
