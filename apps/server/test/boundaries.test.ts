/**
 * @fileoverview The import boundaries `pnpm lint` enforces (scripts/boundaries.mjs): the
 * workspace holds them, and each rule finds a violation planted in a throwaway workspace, so
 * the check can fail.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBoundaries } from '../../../scripts/boundaries.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const planted = mkdtempSync(join(tmpdir(), 'ipt-boundaries-'));
afterAll(() => rmSync(planted, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(planted, path)), { recursive: true });
  writeFileSync(join(planted, path), text);
}
const manifest = (name: string, dependencies: Record<string, string> = {}) =>
  JSON.stringify({ name, dependencies });

describe('import boundaries', () => {
  it('hold in this workspace', () => {
    expect(checkBoundaries(root)).toEqual([]);
  });

  it('find each kind of violation planted in a workspace', () => {
    write('packages/protocol/package.json', manifest('@ipt/protocol'));
    write('packages/protocol/src/rule.ts', "import { readFileSync } from 'node:fs';\n");
    write('packages/events/package.json', manifest('@ipt/events', { '@ipt/protocol': '*' }));
    write('packages/events/src/event.ts', "import { Warehouse } from '@ipt/warehouse';\n");
    write('packages/warehouse/package.json', manifest('@ipt/warehouse', { '@ipt/analytics': '*' }));
    write('packages/warehouse/src/store.ts', 'export const x = 1;\n');
    write('apps/dashboard/package.json', manifest('@ipt/dashboard', { '@ipt/api': '*' }));
    write(
      'apps/dashboard/src/page.tsx',
      [
        "import type { AppRouter } from '@ipt/api';",
        "import { appRouter } from '@ipt/api';",
        "import { compareOutcomes } from '@ipt/analytics/server';",
        '',
      ].join('\n'),
    );
    write('apps/other/package.json', manifest('@ipt/other', { '@ipt/dashboard': '*' }));
    const problems = checkBoundaries(planted);
    const expected = [
      /packages\/protocol\/src\/rule\.ts: the pure domain imports node:fs/,
      /packages\/events\/src\/event\.ts: imports @ipt\/warehouse, which @ipt\/events does not declare/,
      /packages\/warehouse\/package\.json: @ipt\/warehouse may not depend on @ipt\/analytics/,
      /apps\/dashboard\/src\/page\.tsx: browser code imports the tRPC router/,
      /apps\/dashboard\/src\/page\.tsx: imports @ipt\/analytics, which @ipt\/dashboard does not declare/,
      /apps\/dashboard\/src\/page\.tsx: browser code imports server code \(@ipt\/analytics\/server\)/,
      /apps\/other\/package\.json: the app @ipt\/other depends on the app @ipt\/dashboard/,
    ];
    for (const rule of expected)
      expect(
        problems.some((p) => rule.test(p)),
        String(rule),
      ).toBe(true);
    expect(problems).toHaveLength(expected.length);
  });
});
