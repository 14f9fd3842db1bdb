/**
 * @fileoverview The dashboard in Debian's Chromium (playwright-core, no browser download),
 * served by the one process with a simulated network loaded through POST /v1/events: a browser
 * without a session is sent to sign-in; signed in as the steward, each page loads and draws its
 * chart; a filter change updates the chart and the URL; the CSV download matches the table; a
 * clinic reader sees its clinic and the network only in aggregate; a researcher has no
 * therapist audit and no data quality; a researcher's numbers are marked protected, with a link
 * to their definition, the steward's are not; the period is picked in whole months; the steward
 * sees the researcher's cohort budget; sign-out ends the session and a forged cookie opens
 * nothing; no console errors; a screenshot of every page in test-artifacts/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SAMPLES } from '@ipt/events/testing';
import { simulateNetwork } from '@ipt/simulator';
import { parse } from 'csv-parse/sync';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Download,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, postEvents, startHarness } from '../harness.js';
import { browserSuiteProblem, CHROMIUM, CHROMIUM_FLAGS as FLAGS } from './chromium.js';

/** A clinic the harness's key may write (the sample's own clinic is not one). */
const CLINIC_OF_TEST = 'ashdown-01';
const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/', import.meta.url));

const problem = browserSuiteProblem('the browser suite');

describe.runIf(problem === null)('dashboard in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let steward: BrowserContext;
  let clinics: string[];
  const errors: string[] = [];

  /** A browser context signed in through the sign-in page with a read key. */
  async function signedIn(key: string): Promise<BrowserContext> {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await page.goto(`${h.url}/sign-in`);
    await page.locator('input[name="key"]').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${h.url}/`);
    await page.close();
    return context;
  }

  beforeAll(async () => {
    const events = [...simulateNetwork({ seed: 8080, episodes: 1500, clinics: 8 })];
    clinics = [...new Set(events.map((e) => e.clinicId))].sort();
    h = await startHarness({ clinics, env: { DASHBOARD: 'true' } });
    for (let i = 0; i < events.length; i += 1000)
      await postEvents(h, { events: events.slice(i, i + 1000) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    mkdirSync(ARTIFACTS, { recursive: true });
    steward = await signedIn(h.stewardKey);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await h?.dispose();
  });

  /**
   * A page of a context; console errors are collected for the final check. A test that asks
   * for a refusal on purpose (`refusals`) expects the browser's own "403" resource line.
   */
  async function open(
    path: string,
    context: BrowserContext = steward,
    refusals = false,
  ): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (refusals && /status of 403 \(Forbidden\)/.test(message.text())) return;
      errors.push(`${path}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${path}: ${error.message}`));
    await page.goto(`${h.url}${path}`);
    return page;
  }

  /** A downloaded CSV file parsed as a spreadsheet would: numbers as numbers, a row an object. */
  async function records(download: Download): Promise<Array<Record<string, string | number>>> {
    return parse(readFileSync((await download.path()) ?? '', 'utf8'), {
      columns: true,
      cast: true,
    });
  }

  /** A rate as the table writes it: 58.0% from 0.58. */
  const pct = (value: string | number | undefined) => `${(Number(value) * 100).toFixed(1)}%`;

  it('loads the overview with totals, rates and the trend chart', async () => {
    const page = await open('/');
    await page.getByRole('table', { name: 'Outcome rates' }).waitFor();
    await page.locator('[data-testid="trend-chart"] svg .recharts-line').first().waitFor();
    expect(await page.getByText('episodes', { exact: true }).count()).toBe(1);
    expect(await page.locator('.card .value').first().textContent()).toBe('1,500');
    // Relapse after the end, with follow-up completeness beside it.
    const rates = (await page.getByRole('table', { name: 'Outcome rates' }).textContent()) ?? '';
    expect(rates).toMatch(/Relapse/);
    expect(await page.getByTestId('follow-up-completeness').textContent()).toMatch(
      /Formula and source: \d+\.\d% \(.+\), \d+ of \d+ recovered\.$/,
    );
    // The steward's numbers are exact: no protected note.
    expect(await page.getByTestId('protected-note').count()).toBe(0);
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
    // The file holds the table's numbers, one column each, and says what they are.
    const file = await records(download);
    const rows = (await tableRows(table)).slice(1);
    expect(file).toHaveLength(rows.length);
    for (const [i, record] of file.entries()) {
      const row = rows[i] ?? [];
      expect(typeof record.n).toBe('number');
      expect(String(record.n)).toBe(row[1]);
      expect(row[2]).toContain(pct(record.reliableImprovement_rate));
      expect(row[2]).toContain(pct(record.reliableImprovement_ci_lower));
      expect(record).toMatchObject({
        filters: 'medication=ipt_only',
        protected: 'false',
        release: '',
      });
      expect(String(record.definitionsVersion)).toMatch(/^\d+\.[0-9a-f]{8}$/);
    }
    // The page's file is the API's CSV of the same question, byte for byte.
    const api = await fetch(`${h.url}/v1/outcomes?groupBy=problemArea&medication=ipt_only`, {
      headers: { authorization: `Bearer ${h.stewardKey}`, accept: 'text/csv' },
    });
    expect(api.status).toBe(200);
    expect(readFileSync((await download.path()) ?? '', 'utf8')).toBe(await api.text());
    await page.screenshot({ path: `${ARTIFACTS}compare.png`, fullPage: true });
    await page.close();
  });

  it('shows crude and adjusted side by side, labelled, with definitions a key away', async () => {
    const page = await open('/compare?groupBy=medication');
    const table = page.getByRole('table', { name: 'Crude and adjusted comparison' });
    await table.waitFor();
    await page
      .locator('[data-testid="adjusted-chart"] svg .recharts-bar-rectangle')
      .first()
      .waitFor();
    const text = (await table.textContent()) ?? '';
    expect(text).toMatch(/Crude rate/);
    expect(text).toMatch(/Adjusted rate/);
    expect(text).toMatch(/IPT \+ medication/);
    expect(text).toMatch(/reference/);
    // The adjustment set is named, and the share outside common support is stated.
    const section = page.getByRole('region', { name: /Crude and adjusted for case mix/ });
    expect(await section.textContent()).toMatch(/Baseline severity × Age band × Condition/);
    expect(await section.textContent()).toMatch(/outside common support|outside it/);
    // The adjusted risk ratio, and the sensitivity analysis beside it.
    expect(text).toMatch(/\d\.\d\d \(\d\.\d\d to \d\.\d\d\)/);
    const sensitivity =
      (await page
        .getByRole('table', { name: 'Sensitivity analysis: direct standardisation' })
        .textContent()) ?? '';
    expect(sensitivity).toMatch(/Mantel-Haenszel/);
    expect(sensitivity).toMatch(/Crude, supported episodes/);
    expect(sensitivity).toMatch(/\d\.\d\d \(\d\.\d\d to \d\.\d\d\)/);
    expect(await section.textContent()).toMatch(/regression standardised/);
    // Every figure's definition is keyboard reachable: focus its "?" and the popover shows.
    const help = page
      .getByRole('button', { name: 'What is adjusted rate (regression standardisation)?' })
      .first();
    await help.focus();
    const popover = page.locator('.defined:focus-within .defined-popover');
    await popover.waitFor({ state: 'visible' });
    expect(await popover.textContent()).toMatch(/every eligible episode/);
    await page.keyboard.press('Escape');
    await popover.waitFor({ state: 'hidden' });
    // Another adjustment set, kept in the URL.
    // The box follows the URL (a link to the view keeps the set): click, then wait for both.
    await section.getByRole('checkbox', { name: 'Sex', exact: true }).click();
    await page.waitForURL(
      /adjustFor=baselineSeverity%2CageBand%2Ccondition%2Csex|adjustFor=baselineSeverity,ageBand,condition,sex/,
    );
    await section
      .getByText(/Baseline severity × Age band × Condition × Sex/)
      .first()
      .waitFor();
    expect(await section.getByRole('checkbox', { name: 'Sex', exact: true }).isChecked()).toBe(
      true,
    );
    await page.screenshot({ path: `${ARTIFACTS}compare-adjusted.png`, fullPage: true });
    // The Definitions page is generated from the registry: formula and source for each.
    await page.goto(`${h.url}/definitions#riskRatio`);
    const riskRatio = page.locator('#riskRatio');
    await riskRatio.waitFor();
    expect(await riskRatio.textContent()).toMatch(/Greenland S, Robins JM \(1985\)/);
    for (const id of [
      'reliableImprovement',
      'recovery',
      'response',
      'remission',
      'effectSize',
      'expected',
      'standardisedRate',
      'funnelLimits',
      'adjustedRate',
      'directStandardisation',
      'heterogeneity',
      'pairedCompleteness',
    ]) {
      expect(await page.locator(`#${id}`).textContent()).toMatch(/Formula:.+Source:/);
    }
    await page.close();
  });

  it('compares the first dimension within each level of the second, with the heterogeneity test', async () => {
    const page = await open('/compare?groupBy=medication,problemArea');
    const table = page.getByRole('table', { name: 'Adjusted comparison within each Problem area' });
    await table.waitFor();
    const text = (await table.textContent()) ?? '';
    expect(text).toMatch(/Grief/);
    expect(text).toMatch(/IPT \+ medication/);
    const test = (await page.getByTestId('heterogeneity').textContent()) ?? '';
    expect(test).toMatch(/likelihood ratio χ² = \d+\.\d\d on \d+ df, p = (< 0\.001|[01]\.\d{3})/);
    await page.screenshot({ path: `${ARTIFACTS}compare-within.png`, fullPage: true });
    await page.close();
  });

  it('shows a cross-tab for two dimensions and marks withheld cells in words', async () => {
    const page = await open('/compare?groupBy=sessionBucket,medication&rate=response');
    await page.getByRole('table', { name: 'Cross-tab' }).waitFor();
    const text = await page.getByRole('table', { name: 'Comparison table' }).textContent();
    expect(text).toMatch(/fewer than 11/);
    expect(text).not.toMatch(/suppressed/);
    await page.screenshot({ path: `${ARTIFACTS}compare-crosstab.png`, fullPage: true });
    await page.close();
  });

  it('shows the steward every cell of problem area by sessions, an empty one as 0', async () => {
    // No problem area is identified at 0 sessions, and none left unspecified beyond 3: empty
    // cells, which an exact reader sees as 0 with no rate (and nothing withheld around them).
    const page = await open('/compare?groupBy=problemArea,sessionBucket&rate=response');
    const crossTab = page.getByRole('table', { name: 'Cross-tab' });
    await crossTab.waitFor();
    const rows = await page
      .getByRole('table', { name: 'Comparison table' })
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
    expect(rows).toHaveLength(5 * 6);
    const empty = rows.filter((r) => r[2] === '0');
    expect(empty.length).toBeGreaterThan(0);
    for (const row of empty) expect(row.slice(3).every((c) => c === 'no episodes')).toBe(true);
    expect(await crossTab.textContent()).toMatch(/no episodes/);
    await page.screenshot({ path: `${ARTIFACTS}compare-steward-grid.png`, fullPage: true });
    await page.close();
  });

  it('draws trajectories with interval bands and the dose-response', async () => {
    const page = await open('/trajectories?by=medication');
    await page.locator('[data-testid="trajectory-chart"] svg .recharts-line').first().waitFor();
    await page.locator('[data-testid="trajectory-chart"] svg .recharts-area').first().waitFor();
    const dose = page.getByRole('table', { name: 'Dose-response' });
    await dose.waitFor();
    // Sessions 0..20, the last pooling 20 or more.
    expect(await dose.getByRole('cell', { name: '20+', exact: true }).count()).toBe(1);
    expect(await page.getByTestId('protected-note').count()).toBe(0);
    expect(
      await page.locator('[data-testid="trajectory-chart"] .recharts-legend-item').count(),
    ).toBe(2);
    await page.screenshot({ path: `${ARTIFACTS}trajectories.png`, fullPage: true });
    await page.close();
  });

  /**
   * A table's rows as text. A definition's "?" and its popover are controls beside the figure,
   * not content.
   */
  async function tableRows(table: ReturnType<Page['getByRole']>): Promise<string[][]> {
    return table.locator('tr').evaluateAll((trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll('th,td')].map((c) => {
          const copy = c.cloneNode(true) as typeof c;
          for (const control of copy.querySelectorAll('.defined-button, .defined-popover'))
            control.remove();
          return (copy.textContent ?? '').trim();
        }),
      ),
    );
  }

  it('draws time to improvement with bands per planned course, and its CSV equals its table', async () => {
    const page = await open('/trajectories');
    const chart = page.locator('[data-testid="time-to-improvement-chart"]');
    await chart.locator('svg .recharts-line').first().waitFor();
    // One line and one band per planned-sessions group with episodes.
    expect(await chart.locator('.recharts-legend-item').count()).toBeGreaterThanOrEqual(2);
    expect(await chart.locator('svg .recharts-area').count()).toBe(
      await chart.locator('svg .recharts-line').count(),
    );
    const bands = await chart
      .locator('svg .recharts-area path')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? ''));
    expect(bands.some((d) => d.length > 20)).toBe(true);
    const table = page.getByRole('table', { name: 'Time to reliable improvement' });
    const rows = await tableRows(table);
    expect(rows[0]).toEqual(['group', 'session', 'at risk', 'improved by then', '95% CI']);
    expect(rows.some((r) => /planned sessions$/.test(r[0] ?? ''))).toBe(true);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('time-to-improvement-csv').click(),
    ]);
    const file = await records(download);
    expect(file).toHaveLength(rows.length - 1);
    for (const [i, record] of file.entries()) {
      const row = rows[i + 1] ?? [];
      expect(record.session).toBe(Number(row[1]));
      expect(record.at_risk).toBe(Number(row[2]));
      expect(row[3]).toBe(pct(record.incidence));
      expect(record.protected).toBe('false');
    }
    // The API's CSV of the same question (planned sessions, the page's default), byte for byte.
    const api = await fetch(`${h.url}/v1/time-to-improvement?groupBy=plannedSessions`, {
      headers: { authorization: `Bearer ${h.stewardKey}`, accept: 'text/csv' },
    });
    expect(readFileSync((await download.path()) ?? '', 'utf8')).toBe(await api.text());
    // Grouped by medication through its own selector, kept in the URL.
    await page.getByLabel('Group time to improvement by').selectOption('medication');
    await page.waitForURL(/improvementBy=medication/);
    await table.getByRole('cell', { name: 'IPT alone', exact: true }).first().waitFor();
    await chart.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}time-to-improvement.png`, fullPage: true });
    await page.close();
  });

  it('draws the expected recovery band, its CSV equals its table, and lays an off-track episode over it', async () => {
    const page = await open('/care?band=13-15');
    const chart = page.locator('[data-testid="expected-recovery-chart"]');
    await chart.locator('svg .recharts-area').first().waitFor();
    await chart.locator('svg .recharts-line').first().waitFor();
    const band = await chart
      .locator('svg .recharts-area path')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? ''));
    expect(band.some((d) => d.length > 20)).toBe(true);
    const table = page.getByRole('table', { name: 'Expected recovery' });
    const rows = await tableRows(table);
    expect(rows[0]).toEqual(['session', 'scores', '10th percentile', 'median', '90th percentile']);
    expect(rows.length).toBeGreaterThan(5);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('expected-recovery-csv').click(),
    ]);
    // The file is the whole answer, every band; the table is the band shown (13-15).
    const all = await records(download);
    expect(new Set(all.map((record) => record.baseline)).size).toBeGreaterThan(1);
    const file = all.filter((record) => record.baseline === '13-15 at baseline');
    expect(file).toHaveLength(rows.length - 1);
    for (const [i, record] of file.entries()) {
      const row = rows[i + 1] ?? [];
      expect([record.session, record.scores]).toEqual([Number(row[0]), Number(row[1])]);
      expect(Number(record.p50).toFixed(1)).toBe(row[3]);
      expect(record.protected).toBe('false');
    }
    // The steward's list of open episodes off track, and its CSV.
    const list = page.getByRole('table', { name: 'Open episodes off track' });
    await list.waitFor();
    const listed = await tableRows(list);
    expect(listed.length).toBeGreaterThan(1);
    // Judged at a session from 3 to 8, and last seen at that session or later.
    expect(listed[0]?.slice(3, 7)).toEqual([
      'off track at session',
      'PHQ-9 there',
      'expected there (10th-90th)',
      'last seen at session',
    ]);
    for (const row of listed.slice(1)) {
      expect(Number(row[3])).toBeGreaterThanOrEqual(3);
      expect(Number(row[3])).toBeLessThanOrEqual(8);
      expect(Number(row[6])).toBeGreaterThanOrEqual(Number(row[3]));
    }
    const n = listed.length - 1;
    expect(await page.getByTestId('off-track-count').textContent()).toMatch(
      new RegExp(`^${n} open ${n === 1 ? 'episode' : 'episodes'} off track`),
    );
    const [listDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('off-track-csv').click(),
    ]);
    const listFile = await records(listDownload);
    expect(listFile.map((r) => [r.episode_id, r.clinic, r.session, r.phq9_total])).toEqual(
      listed.slice(1).map((r) => [r[0], r[1], Number(r[3]), Number(r[4])]),
    );
    // Show the first over its band: the URL keeps it, the chart draws its line.
    const first = listed[1]?.[0] ?? '';
    await list.getByRole('button', { name: `Show ${first} over its band` }).click();
    await page.waitForURL(new RegExp(`episode=${first}`));
    await chart.getByText(`episode ${first.slice(0, 8)}…`).waitFor();
    expect(await chart.locator('svg .recharts-line').count()).toBe(2);
    expect(await page.getByRole('combobox', { name: 'Baseline band' }).inputValue()).toBe(
      listed[1]?.[2],
    );
    await page.screenshot({ path: `${ARTIFACTS}expected-recovery.png`, fullPage: true });
    await page.close();
  });

  it('says which filters of the address it did not apply, and why', async () => {
    const page = await open('/compare?groupBy=medication&condition=nonsense&medication=ipt_only');
    const notice = page.getByTestId('ignored-filters');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(
      /^Not applied, from the address: condition=nonsense \(/,
    );
    // The valid filter still applies; the ignored one shows as All.
    expect(await page.locator('select[name="medication"]').inputValue()).toBe('ipt_only');
    await page.goto(`${h.url}/?startedFrom=2025-06-01&startedTo=2025-01-31`);
    await page
      .getByTestId('ignored-filters')
      .getByText(/startedTo=2025-01-31/)
      .waitFor();
    // The words of the API's refusal of the same period.
    expect(await page.getByTestId('ignored-filters').textContent()).toMatch(
      /startedTo=2025-01-31 \(the period ends before it starts \(startedTo is before startedFrom\)\)/,
    );
    // The field shows what is applied: no end.
    expect(await page.getByLabel('Started to').inputValue()).toBe('');
    await page.getByRole('table', { name: 'Outcome rates' }).waitFor();
    await page.close();
  });

  it('shows the clinic audit with a funnel plot and fidelity', async () => {
    const page = await open('/audit');
    await page.getByRole('table', { name: 'Audit table' }).waitFor();
    await page
      .locator('[data-testid="funnel-chart"] svg .recharts-scatter-symbol')
      .filter({ visible: true })
      .first()
      .waitFor();
    expect(
      await page
        .locator('[data-testid="funnel-chart"] svg .recharts-scatter-symbol')
        .filter({ visible: true })
        .count(),
    ).toBeGreaterThan(3);
    // The share off track at sessions 3-8, per clinic and for the cohort, with intervals.
    expect(await page.getByTestId('network-off-track').textContent()).toMatch(
      /whole cohort: \d+\.\d% \(\d+\.\d%–\d+\.\d%\)/,
    );
    const audit = await tableRows(page.getByRole('table', { name: 'Audit table' }));
    const column = audit[0]?.indexOf('off track at sessions 3-8') ?? -1;
    expect(column).toBeGreaterThan(0);
    expect(audit.slice(1).some((r) => /^\d+\.\d% \(/.test(r[column] ?? ''))).toBe(true);
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
      /PHQ-9 missing at an attended session/,
    );
    expect(await page.getByRole('heading', { name: /Projector/ }).count()).toBe(0);
    // The episodes behind the counts, pseudonyms only, and the same rows as CSV.
    const listed = page.getByRole('table', { name: 'Episodes with a finding' });
    await listed.waitFor();
    const rows = await tableRows(listed);
    expect(rows[0]).toEqual(['episode', 'clinic', 'finding', 'sessions']);
    const counts = await tableRows(page.getByRole('table', { name: 'Findings' }));
    const total = counts.slice(1).reduce((n, r) => n + Number(r[1]), 0);
    expect(rows.length - 1).toBe(total);
    for (const row of rows.slice(1)) expect(row[0]).toMatch(/^e_[A-Za-z0-9_-]{30}$/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('finding-episodes-csv').click(),
    ]);
    const file = await records(download);
    expect(file.map((r) => [r.episode_id, r.clinic])).toEqual(
      rows.slice(1).map((r) => [r[0], r[1]]),
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
    await page.getByLabel('Cohort A').selectOption({ label: 'IPT alone (test-steward)' });
    await page.getByLabel('Cohort B').selectOption({ label: 'IPT with medication (test-steward)' });
    const table = page.getByRole('table', { name: 'Cohorts side by side' });
    await table.waitFor();
    expect(await table.textContent()).toMatch(/Reliable improvement/);
    await page.screenshot({ path: `${ARTIFACTS}cohorts.png`, fullPage: true });
    await page.close();
  });

  it('sends a browser without a session to sign-in, refuses a wrong key, and returns after sign-in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(`sign-in: ${error.message}`));
    await page.goto(`${h.url}/compare?groupBy=medication`);
    await page.waitForURL(/\/sign-in\?next=/);
    await page.locator('input[name="key"]').fill('ipt_read_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That key was not accepted').waitFor();
    await page.locator('input[name="key"]').fill(h.stewardKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${h.url}/compare?groupBy=medication`);
    await page.getByRole('table', { name: 'Comparison table' }).waitFor();
    const cookie = (await context.cookies()).find((c) => c.name === 'ipt_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    await page.screenshot({ path: `${ARTIFACTS}sign-in-returned.png`, fullPage: true });
    await context.close();
  });

  it('shows a clinic reader its own clinic in the audit, the network only in aggregate', async () => {
    const context = await signedIn(h.clinicReaderKey);
    const own = clinics[0] ?? '';
    const page = await open('/audit', context, true);
    const table = page.getByRole('table', { name: 'Audit table' });
    await table.waitFor();
    const units = await table
      .locator('tbody tr td:first-child')
      .evaluateAll((tds) => tds.map((td) => td.textContent ?? ''));
    expect(units).toEqual([own]);
    expect(await page.getByRole('navigation', { name: 'Pages' }).textContent()).not.toMatch(
      /Access log/,
    );
    // Another clinic's numbers are refused, not shown.
    await page.goto(`${h.url}/compare?groupBy=medication&clinic=${clinics[1]}`);
    await page
      .getByRole('alert')
      .getByText(/own clinics only/)
      .waitFor();
    // Its own clinic, exactly; the network as a whole, as an aggregate.
    await page.goto(`${h.url}/compare?groupBy=medication&clinic=${own}`);
    await page.getByRole('table', { name: 'Comparison table' }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}clinic-reader-audit.png`, fullPage: true });
    await page.close();
    await context.close();
  });

  it('gives a researcher no therapist audit and no data quality', async () => {
    const context = await signedIn(h.readKey);
    const page = await open('/audit?level=therapist', context, true);
    await page.getByRole('table', { name: 'Audit table' }).waitFor();
    expect(await page.getByLabel('Audit level').locator('option').allTextContents()).toEqual([
      'Clinics',
    ]);
    const nav = await page.getByRole('navigation', { name: 'Pages' }).textContent();
    expect(nav).not.toMatch(/Data quality/);
    expect(nav).not.toMatch(/Access log/);
    // The expected curves, protected; no list of episodes.
    await page.goto(`${h.url}/care`);
    await page
      .locator('[data-testid="expected-recovery-chart"] svg .recharts-area')
      .first()
      .waitFor();
    await page.getByTestId('off-track-for-clinics').waitFor();
    expect(await page.getByRole('table', { name: 'Open episodes off track' }).count()).toBe(0);
    await page.goto(`${h.url}/data-quality`);
    await page
      .getByRole('alert')
      .getByText(/for stewards and clinic readers/)
      .waitFor();
    await page.close();
    await context.close();
  });

  it('marks the numbers of a researcher as protected, linking to what that means', async () => {
    const context = await signedIn(h.readKey);
    const page = await open('/', context);
    await page.getByRole('table', { name: 'Outcome rates' }).waitFor();
    const note = page.getByTestId('protected-note');
    expect(await note.textContent()).toMatch(/^Protected numbers: .+ withheld\. what this means$/);
    const link = note.getByRole('link', { name: 'what this means' });
    expect(await link.getAttribute('href')).toBe('/definitions#protected-numbers');

    await page.goto(`${h.url}/compare?groupBy=problemArea`);
    await page.getByRole('table', { name: 'Comparison table' }).waitFor();
    await page.getByTestId('protected-note').waitFor();
    // The downloaded file says so too, on every row.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const file = await records(download);
    expect(file.length).toBeGreaterThan(0);
    expect(new Set(file.map((record) => record.protected))).toEqual(new Set(['true']));
    await page.screenshot({ path: `${ARTIFACTS}compare-protected.png`, fullPage: true });

    await page.getByTestId('protected-note').getByRole('link', { name: 'what this means' }).click();
    await page.waitForURL(`${h.url}/definitions#protected-numbers`);
    const section = page.locator('section#protected-numbers');
    await section.getByRole('heading', { name: 'Protected numbers' }).waitFor();
    const text = await section.textContent();
    for (const rule of [/k rule/, /every combination/, /same noise/, /27 points/, /2D\/n′/])
      expect(text).toMatch(rule);
    expect(text).toMatch(/whole-month periods/i);
    expect(text).toMatch(/budget/);
    expect(await page.getByRole('navigation', { name: 'Pages' }).textContent()).toMatch(
      /Definitions/,
    );
    await page.screenshot({ path: `${ARTIFACTS}definitions.png`, fullPage: true });
    await page.close();
    await context.close();
  });

  it('picks the period in whole months, as the URL keeps it, for a protected reader too', async () => {
    const context = await signedIn(h.readKey);
    // An older link with the first and last days of months: the months, applied.
    const page = await open('/?startedFrom=2024-03-01&startedTo=2024-06-30', context);
    const table = page.getByRole('table', { name: 'Outcome rates' });
    await table.waitFor();
    const from = page.getByLabel('Started from');
    const to = page.getByLabel('Started to');
    // ISO text, not a locale's date picker.
    expect(await from.getAttribute('placeholder')).toBe('YYYY-MM');
    expect(await from.inputValue()).toBe('2024-03');
    expect(await to.inputValue()).toBe('2024-06');
    expect(await page.getByTestId('ignored-filters').count()).toBe(0);

    await from.fill('2024-01');
    await page.waitForURL(/startedFrom=2024-01(&|$)/);
    // The question the page asks for the new period, whole months, is answered, not refused.
    const answered = page.waitForResponse(
      (r) =>
        r.url().includes('outcomes.overview') &&
        decodeURIComponent(r.url()).includes('"startedTo":"2024-02-29"'),
    );
    // 2024 is a leap year: February ends on the 29th.
    await to.fill('2024-02');
    await page.waitForURL(/startedTo=2024-02(&|$)/);
    const params = new URL(page.url()).searchParams;
    // The address keeps months, as the fields and the README write them.
    expect([params.get('startedFrom'), params.get('startedTo')]).toEqual(['2024-01', '2024-02']);
    expect((await answered).status()).toBe(200);
    await table.waitFor();
    // No refusal on the page (Next's route announcer, outside <main>, is an alert too).
    expect(await page.locator('main').getByRole('alert').allTextContents()).toEqual([]);
    await page.close();
    await context.close();
  });

  it('shows the steward the access log of these reads', async () => {
    const page = await open('/access');
    const table = page.getByRole('table', { name: 'Access log' });
    await table.waitFor();
    const text = await table.textContent();
    expect(text).toMatch(/test-clinic-reader/);
    expect(text).toMatch(/outcomes\.audit/);
    expect(text).toMatch(/403/);
    // The researcher's questions above were charged to its daily budget of cohorts.
    const budgets = page.getByRole('table', { name: 'Cohort budgets today' });
    await budgets.waitFor();
    const researcher = await budgets
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'test-reader', exact: true }) })
      .locator('td')
      .allTextContents();
    expect(researcher).toHaveLength(4);
    expect(Number(researcher[1])).toBeGreaterThanOrEqual(1);
    expect(researcher[2]).toBe('50');
    expect(await budgets.textContent()).not.toMatch(/test-steward/);
    await page.screenshot({ path: `${ARTIFACTS}access-log.png`, fullPage: true });
    await page.close();
  });

  it('freezes a release that keeps its numbers through late events, picked and named on every page', async () => {
    // Frozen a second after everything posted so far, to the second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const asOf = new Date().toISOString().slice(0, 19);
    const page = await open('/releases');
    const form = page.getByRole('form', { name: 'Freeze a release' });
    await form.getByLabel('Name').fill('browser-q4');
    await form.getByLabel('As of (UTC)').fill(asOf);
    await form.getByLabel('Note').fill('synthetic network, browser suite');
    await form.getByRole('button', { name: 'Freeze' }).click();
    // The answer, or the refusal: a failure says why.
    const answer = form.getByRole('status').or(form.getByRole('alert'));
    await answer.waitFor();
    expect(await answer.textContent()).toBe('Frozen: browser-q4, 1,500 episodes.');
    await page.getByRole('table', { name: 'Releases' }).getByText('browser-q4').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}releases.png`, fullPage: true });
    // Late events: 60 more episodes after the release.
    const late = [...simulateNetwork({ seed: 8081, episodes: 60, clinics: 8 })].filter((e) =>
      clinics.includes(e.clinicId),
    );
    const lateEpisodes = new Set(
      late.filter((e) => e.type === 'episode.started').map((e) => e.episodeId),
    ).size;
    expect(lateEpisodes).toBeGreaterThan(0);
    for (let i = 0; i < late.length; i += 1000)
      await postEvents(h, { events: late.slice(i, i + 1000) });
    // Live has moved; the note says live, and to cite a release.
    await page.goto(`${h.url}/`);
    await page.getByRole('table', { name: 'Outcome rates' }).waitFor();
    expect(await page.locator('.card .value').first().textContent()).toBe(
      (1500 + lateEpisodes).toLocaleString('en-GB'),
    );
    await page
      .getByRole('note')
      .filter({ hasText: /^Live: events recorded up to/ })
      .waitFor();
    // Picked in the bar: the URL keeps it, the numbers are the frozen ones, the note names it.
    await page.getByRole('combobox', { name: 'Numbers from' }).selectOption('browser-q4');
    await page.waitForURL(/release=browser-q4/);
    await page.getByText(/^Release browser-q4: events recorded up to/).waitFor();
    await page.locator('.card .value').first().getByText('1,500', { exact: true }).waitFor();
    // It goes with the reader from page to page.
    await page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link', { name: 'Trajectories' })
      .click();
    await page.waitForURL(/\/trajectories\?release=browser-q4/);
    await page.getByText(/^Release browser-q4:/).waitFor();
    await page.locator('[data-testid="trajectory-chart"] svg .recharts-line').first().waitFor();
    await page.screenshot({ path: `${ARTIFACTS}release-trajectories.png`, fullPage: true });
    // Data quality stays live, and says so.
    await page.goto(`${h.url}/data-quality?release=browser-q4`);
    await page.getByText(/^Data quality is the live log/).waitFor();
    // The steward verifies it.
    await page.goto(`${h.url}/releases`);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page
      .getByRole('status')
      .getByText(/browser-q4: its 1,500 rows hash to the recorded/)
      .waitFor();
    await page.close();
    // A researcher sees it listed, with no form to freeze one.
    const context = await signedIn(h.readKey);
    const other = await open('/releases', context);
    await other.getByRole('table', { name: 'Releases' }).getByText('browser-q4').waitFor();
    expect(await other.getByRole('form', { name: 'Freeze a release' }).count()).toBe(0);
    expect(await other.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await other.close();
    await context.close();
  });

  it('signs out, after which the pages and tRPC refuse the old session; a forged cookie opens nothing', async () => {
    const context = await signedIn(h.stewardKey);
    const page = await open('/', context);
    await page.getByRole('table', { name: 'Outcome rates' }).waitFor();
    const old = (await context.cookies()).find((c) => c.name === 'ipt_session');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in\?signedOut=1/);
    // The old id, replayed, is gone on the server.
    const replay = await fetch(
      `${h.url}/api/trpc/outcomes.overview?input=${encodeURIComponent(JSON.stringify({ filters: {} }))}`,
      {
        headers: { cookie: `ipt_session=${old?.value}` },
      },
    );
    expect(replay.status).toBe(401);
    await context.addCookies([
      {
        name: 'ipt_session',
        value: 'A'.repeat(43),
        url: h.url,
        httpOnly: true,
        sameSite: 'Strict',
      },
    ]);
    await page.goto(`${h.url}/trajectories`);
    await page.waitForURL(/\/sign-in\?next=%2Ftrajectories/);
    await page.close();
    await context.close();
  });

  it('logged no console errors', () => {
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
