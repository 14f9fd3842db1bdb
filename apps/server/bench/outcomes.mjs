// Benchmark over a warehouse of 1M episodes (BENCH_EPISODES), through HTTP: GET /v1/outcomes
// grouped by all three dimensions, protected (a researcher) and exact (the steward), and the
// dashboard's compare procedure (tRPC, protected), p50 and p95 of 50 requests after 5 warm-ups; then the Compare page in Chromium, time until its chart is
// drawn (when /usr/bin/chromium and the dashboard build exist). The episode rows are folded
// from simulated episodes with @ipt/protocol and written directly (30M raw events through the
// ingest would only measure the ingest again).
import { rmSync } from 'node:fs';
import { generateKey, readConfigEntry } from '@ipt/auth';
import { createLogger } from '@ipt/http';
import { loadEnv } from '../dist/env.js';
import { startServer } from '../dist/server.js';
import { episodesWarehouse, timeRequests } from './episodes-warehouse.mjs';

const episodes = Number(process.env.BENCH_EPISODES ?? 1_000_000);
// The deployment's record-key secret, given to the server below: the rows carry keys as the
// projector would write them, so protected answers pay their real cost.
const secret = Buffer.alloc(32, 5);
const { dataDir, loadSeconds } = await episodesWarehouse({ episodes, secret, name: 'outcomes' });

const key = generateKey('read');
const stewardKey = generateKey('read');
const running = await startServer(
  loadEnv({
    PORT: '0',
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    DASHBOARD: 'true',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_SECOND: '100000',
    READ_RATE_LIMIT_PER_SECOND: '100000',
    RECORD_KEY_SECRET: secret.toString('base64url'),
    COHORT_BUDGET_PER_DAY: '1000',
    READ_KEYS: JSON.stringify([
      readConfigEntry(key.keySha256, { name: 'bench', role: 'researcher' }),
      readConfigEntry(stewardKey.keySha256, { name: 'bench-steward', role: 'steward' }),
    ]),
  }),
  createLogger({ level: 'silent' }),
);
const readApi = await timeRequests(
  `${running.url}/v1/outcomes?groupBy=problemArea,sessionBucket,medication`,
  {
    headers: { authorization: `Bearer ${key.key}` },
  },
);
// The same question exact (the steward): what protection costs.
const readApiExact = await timeRequests(
  `${running.url}/v1/outcomes?groupBy=problemArea,sessionBucket,medication`,
  { headers: { authorization: `Bearer ${stewardKey.key}` } },
);
const input = encodeURIComponent(
  JSON.stringify({ groupBy: ['problemArea', 'sessionBucket', 'medication'], filters: {} }),
);
const procedure = await timeRequests(`${running.url}/api/trpc/outcomes.compare?input=${input}`, {
  headers: { authorization: `Bearer ${key.key}` },
});

let chartDrawnMs = null;
const { existsSync } = await import('node:fs');
const dashboardBuilt = existsSync(new URL('../../dashboard/.next/BUILD_ID', import.meta.url));
if (existsSync('/usr/bin/chromium') && dashboardBuilt) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  // Signed in once through the sign-in page, as a reader would be.
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const signIn = await context.newPage();
  await signIn.goto(`${running.url}/sign-in`);
  await signIn.locator('input[name="key"]').fill(key.key);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await signIn.waitForURL(`${running.url}/`);
  await signIn.close();
  const loads = [];
  for (let i = 0; i < 6; i++) {
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(`${running.url}/compare?groupBy=problemArea,sessionBucket,medication`);
    await page
      .locator('[data-testid="compare-chart"] svg .recharts-bar-rectangle')
      .first()
      .waitFor({ timeout: 60_000 });
    if (i > 0) loads.push(performance.now() - started);
    await page.close();
  }
  await browser.close();
  loads.sort((a, b) => a - b);
  chartDrawnMs = {
    p50: Math.round(loads[Math.floor(loads.length / 2)]),
    max: Math.round(loads.at(-1)),
  };
}
await running.stop();
rmSync(dataDir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    bench: 'outcomes.threeDimensions',
    episodes,
    loadSeconds,
    readApi,
    readApiExact,
    compareProcedure: procedure,
    comparePageChartDrawnMs: chartDrawnMs,
  }),
);
