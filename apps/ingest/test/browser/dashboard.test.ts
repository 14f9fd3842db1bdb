/**
 * @fileoverview The dashboard in Debian's Chromium (playwright-core, no browser download),
 * served by the one process with a simulated network loaded through POST /v1/events: each page
 * loads and draws its chart; a filter change updates the chart and the URL; the CSV download
 * matches the table; no console errors; a screenshot of every page in test-artifacts/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SAMPLES } from '@ipt/events/testing';
import { simulateNetwork } from '@ipt/simulator';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, postEvents, startHarness } from '../harness.js';

const CHROMIUM = '/usr/bin/chromium';
/** A clinic the harness's key may write (the sample's own clinic is not one). */
const CLINIC_OF_TEST = 'ashdown-01';
const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/', import.meta.url));
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const DASHBOARD_BUILT = existsSync(
  fileURLToPath(new URL('../../../dashboard/.next/BUILD_ID', import.meta.url)),
);

function missing(): string | null {
  if (!existsSync(CHROMIUM)) return `no ${CHROMIUM} (apt-get install chromium)`;
  if (!DASHBOARD_BUILT) return 'the dashboard is not built (pnpm build; pnpm test does it)';
  return null;
}

const problem = missing();
if (problem !== null && process.env.CI === 'true') {
  it('has Chromium and a dashboard build', () => expect.fail(problem));
} else if (problem !== null) {
  console.warn(`\n!!! SKIPPING the browser suite: ${problem}\n`);
}

describe.runIf(problem === null)('dashboard in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    const events = [...simulateNetwork({ seed: 8080, episodes: 1500, clinics: 8 })];
    h = await startHarness({
      clinics: [...new Set(events.map((e) => e.clinicId))],
      env: { DASHBOARD: 'true' },
    });
    for (let i = 0; i < events.length; i += 1000)
      await postEvents(h, { events: events.slice(i, i + 1000) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await h?.dispose();
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage({
      viewport: { width: 1366, height: 900 },
      acceptDownloads: true,
    });
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${path}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${path}: ${error.message}`));
    await page.goto(`${h.url}${path}`);
    return page;
  }

  it('loads the overview with totals, rates and the trend chart', async () => {
    const page = await open('/');
    await page.getByRole('table', { name: 'Outcome rates' }).waitFor();
    await page.locator('[data-testid="trend-chart"] svg .recharts-line').first().waitFor();
    expect(await page.getByText('episodes', { exact: true }).count()).toBe(1);
    expect(await page.locator('.card .value').first().textContent()).toBe('1,500');
    await page.screenshot({ path: `${ARTIFACTS}overview.png`, fullPage: true });
    await page.close();
  });

  it('updates the chart and the URL when a filter changes, and downloads what the table shows', async () => {
    const page = await open('/compare?groupBy=problemArea');
    const table = page.getByRole('table', { name: 'Comparison table' });
    await table.waitFor();
    await page
      .locator('[data-testid="compare-chart"] svg .recharts-bar-rectangle')
      .first()
      .waitFor();
    const before = await table.textContent();
    await page.locator('select[name="medication"]').selectOption('ipt_only');
    await page.waitForURL(/medication=ipt_only/);
    const deadline = Date.now() + 15_000;
    while ((await table.textContent()) === before && Date.now() < deadline)
      await page.waitForTimeout(100);
    expect(await table.textContent()).not.toBe(before);
    await page
      .locator('[data-testid="compare-chart"] svg .recharts-bar-rectangle')
      .first()
      .waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8')
      .trim()
      .split('\n');
    const rows = await table
      .locator('tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th,td')].map((c) => (c.textContent ?? '').trim())),
      );
    expect(csv).toHaveLength(rows.length);
    const parse = (line: string) =>
      (line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? [])
        .slice(0, -1)
        .map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
    const normalise = (cells: readonly string[] | undefined) =>
      cells?.map((c) => c.replace(/\s+/g, ' '));
    for (const [i, line] of csv.entries())
      expect(normalise(parse(line))).toEqual(normalise(rows[i]));
    await page.screenshot({ path: `${ARTIFACTS}compare.png`, fullPage: true });
    await page.close();
  });

  it('shows a cross-tab for two dimensions and marks suppressed cells in words', async () => {
    const page = await open('/compare?groupBy=sessionBucket,medication&rate=response');
    await page.getByRole('table', { name: 'Cross-tab' }).waitFor();
    const text = await page.getByRole('table', { name: 'Comparison table' }).textContent();
    expect(text).toMatch(/suppressed \(n < 11\)/);
    await page.screenshot({ path: `${ARTIFACTS}compare-crosstab.png`, fullPage: true });
    await page.close();
  });

  it('draws trajectories with interval bands and the dose-response', async () => {
    const page = await open('/trajectories?by=medication');
    await page.locator('[data-testid="trajectory-chart"] svg .recharts-line').first().waitFor();
    await page.locator('[data-testid="trajectory-chart"] svg .recharts-area').first().waitFor();
    await page.getByRole('table', { name: 'Dose-response' }).waitFor();
    expect(
      await page.locator('[data-testid="trajectory-chart"] .recharts-legend-item').count(),
    ).toBe(2);
    await page.screenshot({ path: `${ARTIFACTS}trajectories.png`, fullPage: true });
    await page.close();
  });

  it('shows the clinic audit with a funnel plot and fidelity', async () => {
    const page = await open('/audit');
    await page.getByRole('table', { name: 'Audit table' }).waitFor();
    await page
      .locator('[data-testid="funnel-chart"] svg .recharts-scatter-symbol')
      .first()
      .waitFor();
    expect(
      await page.locator('[data-testid="funnel-chart"] svg .recharts-scatter-symbol').count(),
    ).toBeGreaterThan(3);
    await page.screenshot({ path: `${ARTIFACTS}audit.png`, fullPage: true });
    await page.close();
  });

  it('shows data quality: ingest per day, completeness by clinic, findings, rejects', async () => {
    // One refused event, so the rejects table has a reason to show.
    await postEvents(h, {
      events: [{ ...SAMPLES['session.attended'], clinicId: CLINIC_OF_TEST, id: 'not-a-uuid' }],
    });
    const page = await open('/data-quality');
    await page.getByRole('table', { name: 'Paired completeness' }).waitFor();
    await page
      .locator('[data-testid="ingest-chart"] svg .recharts-bar-rectangle')
      .first()
      .waitFor();
    expect(await page.getByRole('table', { name: 'Rejects' }).textContent()).toMatch(
      /must be a UUID/,
    );
    expect(await page.getByRole('table', { name: 'Findings' }).textContent()).toMatch(
      /phq9 missing at attended session/,
    );
    await page.screenshot({ path: `${ARTIFACTS}data-quality.png`, fullPage: true });
    await page.close();
  });

  it('saves two cohorts and shows them side by side', async () => {
    const page = await open('/cohorts?medication=ipt_only');
    await page.getByRole('table', { name: 'Saved cohorts' }).waitFor();
    await page.locator('input[name="cohortName"]').fill('IPT alone');
    await page.getByRole('button', { name: 'Save cohort' }).click();
    await page.getByRole('cell', { name: 'IPT alone', exact: true }).waitFor();
    await page.goto(`${h.url}/cohorts?medication=ipt_with_medication`);
    await page.locator('input[name="cohortName"]').fill('IPT with medication');
    await page.getByRole('button', { name: 'Save cohort' }).click();
    await page.getByRole('cell', { name: 'IPT with medication', exact: true }).waitFor();
    await page.getByLabel('Cohort A').selectOption('IPT alone');
    await page.getByLabel('Cohort B').selectOption('IPT with medication');
    const table = page.getByRole('table', { name: 'Cohorts side by side' });
    await table.waitFor();
    expect(await table.textContent()).toMatch(/Reliable improvement/);
    await page.screenshot({ path: `${ARTIFACTS}cohorts.png`, fullPage: true });
    await page.close();
  });

  it('logged no console errors', () => {
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
