/**
 * Debian's Chromium for the browser suites (playwright-core; `npx playwright install` cannot
 * download here), with the launch flags the design names, and whether a suite can run: in CI
 * a missing browser or dashboard build fails it, elsewhere it is skipped with a loud message.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Null when Chromium and the dashboard build are present; else why the suite cannot run. */
export function browserSuiteProblem(suite: string): string | null {
  const built = existsSync(
    fileURLToPath(new URL('../../../dashboard/.next/BUILD_ID', import.meta.url)),
  );
  const problem = !existsSync(CHROMIUM)
    ? `no ${CHROMIUM} (apt-get install chromium)`
    : !built
      ? 'the dashboard is not built (pnpm build; pnpm test does it)'
      : null;
  if (problem !== null && process.env.CI === 'true') {
    it(`${suite}: has Chromium and a dashboard build`, () => expect.fail(problem));
  } else if (problem !== null) {
    console.warn(`\n!!! SKIPPING ${suite}: ${problem}\n`);
  }
  return problem;
}
