import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simulateNetwork } from '@ipt/simulator';
import Provider from 'oidc-provider';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, postEvents, startHarness } from '../harness.js';
import { browserSuiteProblem, CHROMIUM, CHROMIUM_FLAGS as FLAGS } from './chromium.js';

const problem = browserSuiteProblem('the OpenID Connect browser suite');

/** A free loopback port: the provider must know the dashboard's callback before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.runIf(problem === null)('OpenID Connect sign-in in Chromium', () => {
  let h: Harness;
  let provider: Server;
  let browser: Browser;
  let ownClinic: string;
  const errors: string[] = [];

  beforeAll(async () => {
    const events = [...simulateNetwork({ seed: 99, episodes: 400, clinics: 4 })];
    const clinics = [...new Set(events.map((e) => e.clinicId))].sort();
    ownClinic = clinics[0] ?? '';
    const dashboardPort = await freePort();
    const dashboardUrl = `http://127.0.0.1:${dashboardPort}`;
    const accounts: Record<string, Record<string, unknown>> = {
      'steward-sso': { ipt_role: 'steward' },
      'clinic-sso': { ipt_role: 'clinic', ipt_clinics: [ownClinic] },
      'norole-sso': {},
    };
    const issuerPort = await freePort();
    const oidc = new Provider(`http://127.0.0.1:${issuerPort}`, {
      clients: [
        {
          client_id: 'ipt-dashboard',
          client_secret: 'a-test-secret-that-is-long-enough-0123456789',
          redirect_uris: [`${dashboardUrl}/auth/oidc/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      claims: {
        openid: ['sub'],
        profile: ['preferred_username'],
        ipt: ['ipt_role', 'ipt_clinics'],
      },
      scopes: ['openid', 'profile', 'ipt'],
      pkce: { required: () => true },
      cookies: { keys: ['a-cookie-signing-key-for-tests-only'] },
      findAccount: (_ctx, id) => ({
        accountId: id,
        claims: () => ({ sub: id, preferred_username: id, ...(accounts[id] ?? {}) }),
      }),
    });
    provider = createServer(oidc.callback());
    await new Promise<void>((resolve) => provider.listen(issuerPort, '127.0.0.1', resolve));
    h = await startHarness({
      clinics,
      env: {
        PORT: String(dashboardPort),
        DASHBOARD: 'true',
        OIDC_ISSUER: `http://127.0.0.1:${issuerPort}`,
        OIDC_CLIENT_ID: 'ipt-dashboard',
        OIDC_CLIENT_SECRET: 'a-test-secret-that-is-long-enough-0123456789',
        OIDC_REDIRECT_URL: `${dashboardUrl}/auth/oidc/callback`,
        OIDC_SCOPES: 'openid profile ipt',
        OIDC_DISPLAY_NAME: 'Test IdP',
        OIDC_NAME_CLAIM: 'preferred_username',
      },
    });
    for (let i = 0; i < events.length; i += 1000)
      await postEvents(h, { events: events.slice(i, i + 1000) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await h?.dispose();
    await new Promise((resolve) => provider?.close(resolve));
  });

  /** Signs in at the provider's own login and consent pages as `account`. */
  async function signInAs(account: string): Promise<Page> {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Only the dashboard's own pages count: the provider's development login page fetches
    // resources from the internet, which this machine cannot reach.
    const ours = () => page.url().startsWith(h.url);
    page.on('console', (m) => {
      if (m.type() === 'error' && ours()) errors.push(`${account}: ${m.text()}`);
    });
    page.on('pageerror', (e) => {
      if (ours()) errors.push(`${account}: ${e.message}`);
    });
    await page.goto(`${h.url}/audit`);
    await page.waitForURL(/\/sign-in/);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await page.locator('input[name="login"]').fill(account);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    // The provider asks to authorise the client once per account and session.
    await page.locator('button[type="submit"]').click();
    return page;
  }

  it('signs a steward in with PKCE, by claims, back to the page asked for', async () => {
    const page = await signInAs('steward-sso');
    await page.waitForURL(`${h.url}/audit`);
    await page.getByRole('table', { name: 'Audit table' }).waitFor();
    const nav = await page.getByRole('navigation', { name: 'Pages' }).textContent();
    expect(nav).toMatch(/Access log/);
    expect(await page.locator('form.who').textContent()).toMatch(/oidc:steward-sso · data steward/);
    // The same session with one character of its id changed opens nothing.
    const context = page.context();
    const session = (await context.cookies()).find((c) => c.name === 'ipt_session');
    const value = session?.value ?? '';
    await context.addCookies([
      {
        name: 'ipt_session',
        value: `${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`,
        url: h.url,
        httpOnly: true,
        sameSite: 'Strict',
      },
    ]);
    await page.goto(`${h.url}/audit`);
    await page.waitForURL(/\/sign-in\?next=%2Faudit/);
    await context.close();
  });

  it('gives a clinic reader from claims its clinic only, and signs out', async () => {
    const page = await signInAs('clinic-sso');
    await page.waitForURL(`${h.url}/audit`);
    const table = page.getByRole('table', { name: 'Audit table' });
    await table.waitFor();
    expect(
      await table
        .locator('tbody tr td:first-child')
        .evaluateAll((tds) => tds.map((td) => td.textContent)),
    ).toEqual([ownClinic]);
    const session = (await page.context().cookies()).find((c) => c.name === 'ipt_session');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in\?signedOut=1/);
    // The session id, replayed after sign-out, opens nothing.
    const replay = await fetch(`${h.url}/api/trpc/cohorts.list`, {
      headers: { cookie: `ipt_session=${session?.value}` },
    });
    expect(replay.status).toBe(401);
    await page.context().close();
  });

  it('refuses an account without a role claim, and a replayed callback', async () => {
    const page = await signInAs('norole-sso');
    await page.waitForURL(/\/sign-in\?error=oidc-claims/);
    await page.getByText('Your account has no role').waitFor();
    expect((await page.context().cookies()).some((c) => c.name === 'ipt_session')).toBe(false);
    // The same callback again (a stolen code, a reload): its state is spent.
    const replay = await fetch(`${h.url}/auth/oidc/callback?code=abc&state=spent`, {
      redirect: 'manual',
    });
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toBe('/sign-in?error=oidc-expired');
    expect(replay.headers.get('set-cookie') ?? '').not.toMatch(/ipt_session=/);
    await page.context().close();
  });

  it('refuses a callback that does not come back to the browser that started it (login CSRF)', async () => {
    // A victim opening the callback link of an attacker's own sign-in arrives with a valid code
    // and state but without the state cookie of the browser that started it. Here the browser
    // that starts the sign-in loses that cookie before the provider sends it back: the same
    // request as the victim's, and it must open no session.
    const context = await browser.newContext();
    const page = await context.newPage();
    const callbacks: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/auth/oidc/callback')) callbacks.push(request.url());
    });
    await page.goto(`${h.url}/sign-in`);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await page.locator('input[name="login"]').waitFor();
    expect((await context.cookies(`${h.url}/auth/oidc/callback`)).map((c) => c.name)).toContain(
      'ipt_oidc_state',
    );
    await context.clearCookies({ name: 'ipt_oidc_state' });
    await page.locator('input[name="login"]').fill('steward-sso');
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/sign-in\?error=oidc-expired/);
    expect(callbacks.some((url) => /[?&]code=/.test(url) && /[?&]state=/.test(url))).toBe(true);
    expect((await context.cookies()).some((c) => c.name === 'ipt_session')).toBe(false);
    await context.close();
  });

  it('logged no console errors', () => {
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
