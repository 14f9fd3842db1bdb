/**
 * @fileoverview The README and docs/ are read from a clone: every relative link in them names a
 * file (and, for `#anchor` links into markdown, a heading) that exists in the repository.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

describe('links in the README and docs/', () => {
  it.each(DOCUMENTS)('%s links only to files and headings in the repository', (document) => {
    const text = readFileSync(join(ROOT, document), 'utf8');
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1] ?? '')
      .filter((href) => !/^[a-z]+:/i.test(href));
    for (const href of links) {
      const [path = '', anchor] = href.split('#');
      const target = path === '' ? join(ROOT, document) : join(ROOT, dirname(document), path);
      expect(existsSync(target), `${document}: ${href}`).toBe(true);
      if (anchor !== undefined && target.endsWith('.md')) {
        const headings = [...readFileSync(target, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) =>
          anchorOf(m[1] ?? ''),
        );
        expect(headings, `${document}: ${href}`).toContain(anchor);
      }
    }
  });

  it('has the event contract and the definitions in the repository, linked from the README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const doc of ['docs/events.md', 'docs/outcomes.md', 'docs/measures.md']) {
      expect(existsSync(join(ROOT, doc))).toBe(true);
      expect(readme).toContain(`](${doc})`);
    }
    expect(readme).not.toMatch(/\]\(\.\.\//);
  });
});
