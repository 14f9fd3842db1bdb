/**
 * @fileoverview The dashboard as its readers use it, in Debian's Chromium: axe-core finds no
 * serious or critical violation on any page; at a phone's 390 px no page is wider than the
 * screen; every chart's numbers are a table the keyboard reaches; the therapist audit is
 * searched and paged with a clinic column, and the funnel's tooltip names the unit with rounded
 * numbers; a CSV file parses with numeric columns and says its filters, basis and protection,
 * its ranges kept as text; dates are ISO; labels come from the registry; a refused form says why
 * in words; an unknown address gets the product's own 404.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { simulateNetwork } from '@ipt/simulator';
import { parse } from 'csv-parse/sync';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, postEvents, startHarness } from '../harness.js';
import { browserSuiteProblem, CHROMIUM, CHROMIUM_FLAGS } from './chromium.js';

const AXE_SOURCE: string = createRequire(import.meta.url)('axe-core').source;
const problem = browserSuiteProblem('the usability suite');

/** Every page of the dashboard, as the steward opens it. */
const PAGES = [
  '/',
  '/compare?groupBy=problemArea',
  '/compare?groupBy=problemArea,medication',
  '/definitions',
  '/trajectories',
  '/care',
  '/audit',
  '/audit?level=therapist',
  '/cohorts',
  '/data-quality',
  '/access',
  '/releases',
  '/no-such-page',
];

describe.runIf(problem === null)('the dashboard, used', () => {
  let h: Harness;
  let browser: Browser;
  let clinics: string[];
  const contexts: BrowserContext[] = [];

  async function signedIn(width: number): Promise<BrowserContext> {
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${h.url}/sign-in`);
    await page.locator('input[name="key"]').fill(h.stewardKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${h.url}/`);
    await page.close();
    return context;
  }

  /** A page once its data has come: no request in flight and no "Loading" left. */
  async function settled(context: BrowserContext, path: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${h.url}${path}`);
    await page.waitForLoadState('networkidle');
    await expect
      .poll(() =>
        page
          .locator('main [role="status"]')
          .getByText(/^Loading/)
          .count(),
      )
      .toBe(0);
    return page;
  }

  beforeAll(async () => {
    const events = [...simulateNetwork({ seed: 4242, episodes: 600, clinics: 8 })];
    clinics = [...new Set(events.map((e) => e.clinicId))].sort();
    h = await startHarness({ clinics, env: { DASHBOARD: 'true' } });
    for (let i = 0; i < events.length; i += 1000)
      await postEvents(h, { events: events.slice(i, i + 1000) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  }, 180_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await h?.dispose();
  });

  it('has no serious or critical axe violation on any page, on a desktop and at 390 px', async () => {
    for (const width of [1366, 390]) {
      const context = await signedIn(width);
      for (const path of PAGES) {
        const page = await settled(context, path);
        await page.addScriptTag({ content: AXE_SOURCE });
        // A string, run in the page: this file is compiled without the DOM's types.
        const violations = (await page.evaluate(`(async () => {
          const result = await window.axe.run(document);
          return result.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => v.id + ' (' + v.impact + ') at ' + v.nodes.map((n) => n.target.join(' ')).join(', '));
        })()`)) as string[];
        expect(violations, `${path} at ${width} px`).toEqual([]);
        const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        expect(scrollWidth, `${path} at ${width} px`).toBeLessThanOrEqual(width);
        await page.close();
      }
    }
  }, 300_000);

  it('puts every chart’s numbers in a table the keyboard reaches', async () => {
    const context = await signedIn(1366);
    for (const [path, summary, table] of [
      ['/', 'The trend as a table', 'Trend by month'],
      ['/trajectories', 'The trajectories as a table', 'Trajectories'],
      ['/data-quality', 'Events per day as a table', 'Events ingested per day'],
    ] as const) {
      const page = await settled(context, path);
      const opener = page.getByText(summary, { exact: true });
      await opener.focus();
      await page.keyboard.press('Enter');
      const region = page.getByRole('region', { name: table });
      await region.waitFor();
      await page.keyboard.press('Tab');
      expect(
        await region.evaluate(
          (el: { ownerDocument: { activeElement: unknown } }) =>
            el.ownerDocument.activeElement === el,
        ),
        path,
      ).toBe(true);
      expect(await region.getByRole('row').count()).toBeGreaterThan(1);
      await page.close();
    }
  }, 120_000);

  it('searches and pages the therapist audit, with a clinic column and a tooltip in words', async () => {
    const context = await signedIn(1366);
    const page = await settled(context, '/audit?level=therapist');
    const table = page.getByRole('table', { name: 'Audit table' });
    const header = await table.locator('thead th').allTextContents();
    expect(header.slice(0, 2).map((h) => h.replace('?', '').trim())).toEqual([
      'therapist',
      'clinic',
    ]);
    const status = page.getByTestId('audit-rows');
    const total = Number((await status.textContent())?.match(/of (\d+)$/)?.[1]);
    expect(total).toBeGreaterThan(50);
    expect(await status.textContent()).toBe(`Rows 1-50 of ${total}`);
    expect(await table.locator('tbody tr').count()).toBe(50);
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await status.textContent()).toBe(`Rows 51-${total} of ${total}`);
    // Search by clinic: every row left is that clinic's.
    const clinic = clinics[2] ?? '';
    await page.getByRole('searchbox').fill(clinic);
    const clinicCells = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(clinicCells.length).toBeGreaterThan(0);
    expect(new Set(clinicCells)).toEqual(new Set([clinic]));
    expect(await status.textContent()).toMatch(
      new RegExp(`of ${clinicCells.length} \\(of ${total}\\)$`),
    );
    await page.getByRole('searchbox').fill('t_no-such-therapist');
    expect(await status.textContent()).toBe('No therapist matches "t_no-such-therapist".');
    // The tooltip: episodes, a named unit with its clinic, one decimal, no 15-digit numbers.
    const grid = page.locator('[data-testid="funnel-chart"] .recharts-cartesian-grid');
    const box = await grid.boundingBox();
    const tooltip = page.locator('.chart-tooltip');
    for (let x = 0.05; x < 1 && (await tooltip.getByText(/^Therapist /).count()) === 0; x += 0.03) {
      await page.mouse.move((box?.x ?? 0) + (box?.width ?? 0) * x, (box?.y ?? 0) + 20);
      await page.waitForTimeout(50);
    }
    const text = (await tooltip.textContent()) ?? '';
    expect(text).toMatch(/^\d+ paired finished episodes/);
    expect(text).toMatch(
      /Therapist t_\S+ \(clinic [a-z0-9-]+\): \d+\.\d% standardised reliable improvement/,
    );
    expect(text).not.toMatch(/\d\.\d{3,}/);
    await page.close();
  }, 120_000);

  it('downloads a CSV that parses with numeric columns and says what its numbers are', async () => {
    const context = await signedIn(1366);
    const page = await settled(context, '/compare?groupBy=sessionBucket&modality=in_person');
    await page.getByRole('table', { name: 'Comparison table' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const text = readFileSync((await download.path()) ?? '', 'utf8');
    const rows: Array<Record<string, unknown>> = parse(text, { columns: true, cast: true });
    expect(rows.length).toBeGreaterThan(3);
    // Ranges a spreadsheet would read as dates are kept as text.
    expect(rows.map((r) => r.sessionBucket)).toEqual(
      expect.arrayContaining(['1-3 sessions', '4-7 sessions', '8-11 sessions']),
    );
    for (const row of rows) {
      expect(row).toMatchObject({ filters: 'modality=in_person', protected: 'false', release: '' });
      // A suppressed group has empty cells where its numbers would be, never a word.
      expect(typeof row.n).toBe(row.suppressed === 'true' ? 'string' : 'number');
      if (row.suppressed === 'true') expect(row.n).toBe('');
      if (row.suppressed === 'false' && row.recovery_rate !== '') {
        for (const column of [
          'recovery_count',
          'recovery_denominator',
          'recovery_rate',
          'recovery_ci_lower',
          'recovery_ci_upper',
        ])
          expect(typeof row[column], column).toBe('number');
        expect(row.recovery_ci_lower as number).toBeLessThanOrEqual(row.recovery_rate as number);
        expect((row.recovery_count as number) / (row.recovery_denominator as number)).toBeCloseTo(
          row.recovery_rate as number,
          12,
        );
      }
    }
    expect(text).not.toMatch(/(^|,)[=+@]/m);
    await page.close();
  }, 60_000);

  it('writes dates ISO, names values from the registry, and says in words why a form was refused', async () => {
    const context = await signedIn(1366);
    const page = await settled(context, '/cohorts');
    expect(await page.getByLabel('Started from').getAttribute('placeholder')).toBe('YYYY-MM');
    expect(await page.getByLabel('Started from').getAttribute('type')).toBe('text');
    const conditions = await page.locator('select[name="condition"] option').allTextContents();
    expect(conditions).toEqual(expect.arrayContaining(['Major depression', 'PTSD']));
    for (const option of conditions) expect(option).not.toMatch(/_|^[a-z]/);
    // A name with a right-to-left override (it would reorder the name where it is shown):
    // refused with the rule, in words, not zod's JSON.
    await page.getByLabel('Save current filters as').fill('north\u202Esouth');
    await page.getByRole('button', { name: 'Save cohort' }).click();
    const alert = page.locator('main').getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      /^Not saved: name: a cohort name is 1-64 printable characters/,
    );
    expect(await alert.textContent()).not.toMatch(/[[{]/);
    await page.goto(`${h.url}/access`);
    await page.waitForLoadState('networkidle');
    expect(await page.getByLabel('From', { exact: true }).getAttribute('placeholder')).toBe(
      'YYYY-MM-DD',
    );
    await page.close();
  }, 60_000);

  it('draws session axes with their title clear of the tick labels, at 1366 and 390 px', async () => {
    for (const width of [1366, 390]) {
      const context = await signedIn(width);
      for (const path of ['/trajectories', '/care']) {
        const page = await settled(context, path);
        await page.locator('.recharts-label').first().waitFor();
        // Every axis title against every tick label of every chart: no two boxes intersect.
        const overlaps = (await page.evaluate(`(() => {
          const boxes = (selector) => [...document.querySelectorAll(selector)].map((e) => ({ text: e.textContent, box: e.getBoundingClientRect() }));
          const titles = boxes('.recharts-label').filter((t) => /session/.test(t.text));
          const ticks = boxes('.recharts-cartesian-axis-tick-value');
          const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
          return { titles: titles.length, hits: titles.flatMap((t) => ticks.filter((k) => meet(t.box, k.box)).map((k) => t.text + ' over ' + k.text)) };
        })()`)) as { titles: number; hits: string[] };
        expect(overlaps.titles, `${path} at ${width} px`).toBeGreaterThan(0);
        expect(overlaps.hits, `${path} at ${width} px`).toEqual([]);
        await page.close();
      }
    }
  }, 120_000);

  it('takes months YYYY-MM in the address, and says so when a day or a value cannot be used', async () => {
    const context = await signedIn(1366);
    // A month, as the fields and the README write it: applied, shown in the field.
    const months = await settled(context, '/?startedFrom=2025-01&startedTo=2025-03');
    expect(await months.getByTestId('ignored-filters').count()).toBe(0);
    expect(await months.getByLabel('Started from').inputValue()).toBe('2025-01');
    expect(await months.getByLabel('Started to').inputValue()).toBe('2025-03');
    await months.close();
    // A day inside a month: not applied, in the API's words, and the field shows nothing.
    const day = await settled(context, '/?startedFrom=2025-01-15');
    expect(await day.getByTestId('ignored-filters').textContent()).toBe(
      'Not applied, from the address: startedFrom=2025-01-15 (periods are whole months: startedFrom 2025-01-15 must be a month (YYYY-MM) or the first day of one). The numbers below are without it.',
    );
    expect(await day.getByLabel('Started from').inputValue()).toBe('');
    await day.close();
    // Not a month at all: the API's words for it too.
    const bad = await settled(context, '/?startedTo=2025-13');
    expect(await bad.getByTestId('ignored-filters').textContent()).toBe(
      'Not applied, from the address: startedTo=2025-13 (must be a month YYYY-MM or a date YYYY-MM-DD). The numbers below are without it.',
    );
    await bad.close();
    // Page parameters go through the same notice.
    for (const [path, named] of [
      ['/care?band=99-100', 'band=99-100 (not a baseline band'],
      ['/cohorts?a=nobody/nothing', 'a=nobody/nothing (no saved cohort'],
      ['/compare?groupBy=problemArea&adjustFor=astrology', 'adjustFor=astrology'],
      ['/trajectories?improvementBy=astrology', 'improvementBy=astrology'],
    ] as const) {
      const page = await settled(context, path);
      expect(await page.getByTestId('ignored-params').textContent(), path).toContain(
        `Not applied, from the address: ${named}`,
      );
      await page.close();
    }
  }, 120_000);

  it('says what happened to a reversed period typed into the fields, and shows what is applied', async () => {
    const context = await signedIn(1366);
    const page = await settled(context, '/?startedFrom=2025-06');
    const to = page.getByLabel('Started to');
    await to.fill('2024-01');
    const refused = page.getByTestId('refused-filter');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(
      /^Not applied: a period ending 2024-01 would end before it starts \(started from 2025-06\)/,
    );
    expect(await to.inputValue()).toBe('');
    expect(await page.getByTestId('ignored-filters').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('startedTo')).toBeNull();
    await page.close();
  }, 60_000);

  it('says which parameters of the address a page did not use', async () => {
    const context = await signedIn(1366);
    for (const [path, named] of [
      ['/compare?groupBy=nonsense&rate=reliableImprovement', 'groupBy=nonsense'],
      ['/compare?rate=happiness', 'rate=happiness'],
      ['/trajectories?by=astrology', 'by=astrology'],
      ['/audit?level=galaxy', 'level=galaxy'],
    ] as const) {
      const page = await settled(context, path);
      const notice = page.getByTestId('ignored-params');
      expect(await notice.textContent(), path).toContain(`Not applied, from the address: ${named}`);
      await page.close();
    }
    const clean = await settled(context, '/compare?groupBy=problemArea,medication&rate=recovery');
    expect(await clean.getByTestId('ignored-params').count()).toBe(0);
    await clean.close();
  }, 60_000);

  it('answers an unknown address with the product’s own 404, a way back included', async () => {
    const context = await signedIn(1366);
    const page = await context.newPage();
    const response = await page.goto(`${h.url}/no-such-page`);
    expect(response?.status()).toBe(404);
    await page.getByRole('heading', { name: 'No such page' }).waitFor();
    // The header's page list is drawn once the signed-in reader is known: waited for, then
    // held to one (the 404 sits inside the product's frame, not beside it).
    const nav = page.getByRole('navigation', { name: 'Pages' });
    await nav.first().waitFor();
    expect(await nav.count()).toBe(1);
    await page.getByRole('link', { name: 'Go to the overview' }).click();
    await page.waitForURL(`${h.url}/`);
    await page.close();
  }, 60_000);
});
