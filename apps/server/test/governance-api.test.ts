/**
 * @fileoverview Governance of the read surfaces over real HTTP against chDB: every read (REST
 * JSON and CSV, tRPC GET, batch and POST) answers 401 without a principal and with a wrong key;
 * the dashboard answers only its allowed host names; a cookie-authenticated call that changes
 * state must come from the dashboard's own origin; sign-in opens an HttpOnly SameSite=Strict
 * session (Secure behind https) and sign-out ends it; batches, bodies and read rates are
 * bounded with clear errors; a clinic reader reads its own clinic and is refused another's over
 * REST too; and every read lands in the access log with its surface.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { readAccessLog } from '@ipt/analytics/server';
import { testPrincipals } from '@ipt/analytics/testing';
import { simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorOf,
  getJson,
  type Harness,
  postEvents,
  read,
  startHarness,
  warehouseOf,
} from './harness.js';

let h: Harness;
let clinics: string[];
const events = [...simulateNetwork({ seed: 31, episodes: 300, clinics: 3 })];

beforeAll(async () => {
  clinics = [...new Set(events.map((e) => e.clinicId))].sort();
  h = await startHarness({ clinics });
  for (let i = 0; i < events.length; i += 1000) {
    const res = await postEvents(h, { events: events.slice(i, i + 1000) });
    expect(res.status).toBe(200);
  }
}, 120_000);
afterAll(async () => h.dispose());

const overviewInput = encodeURIComponent(JSON.stringify({ filters: {} }));

async function call(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return read(await fetch(`${h.url}${path}`, { redirect: 'manual', ...init }));
}

/** A signed-in session cookie, opened through the sign-in form as a browser would. */
async function signIn(key: string): Promise<string> {
  const res = await call('/auth/sign-in', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: h.url,
    },
    body: new URLSearchParams({ key, next: '/compare' }).toString(),
  });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/compare');
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0] ?? '';
}

describe('a caller without a principal', () => {
  const surfaces: Array<[string, Parameters<typeof call>]> = [
    ['GET /v1/outcomes', ['/v1/outcomes?groupBy=medication']],
    [
      'GET /v1/outcomes as CSV',
      ['/v1/outcomes?groupBy=medication', { headers: { accept: 'text/csv' } }],
    ],
    ['tRPC GET', [`/api/trpc/outcomes.overview?input=${overviewInput}`]],
    [
      'tRPC GET batch',
      [
        `/api/trpc/outcomes.overview,outcomes.doseResponse?batch=1&input=${encodeURIComponent(
          JSON.stringify({ 0: { filters: {} }, 1: { filters: {} } }),
        )}`,
      ],
    ],
    ['tRPC cohorts.list', ['/api/trpc/cohorts.list']],
    ['tRPC access.log', ['/api/trpc/access.log?input=%7B%7D']],
    [
      'tRPC POST cohorts.save',
      [
        '/api/trpc/cohorts.save',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1' },
          body: JSON.stringify({ name: 'anonymous', filters: {} }),
        },
      ],
    ],
    [
      'tRPC POST batch cohorts.delete',
      [
        '/api/trpc/cohorts.delete?batch=1',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ 0: { name: 'anything' } }),
        },
      ],
    ],
  ];

  it.each(surfaces)('gets 401 from %s', async (_name, args) => {
    const res = await call(...args);
    // A cross-origin cookie-less POST is refused before authentication (403) or by it (401):
    // either way nothing is read or written. Same-origin checks apply only to cookies.
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: { code: 'unauthorized' } });
    expect(res.text).not.toMatch(/<html|at .*\.js:\d+/);
  });

  it.each(surfaces)('gets 401 from %s with an unknown key', async (_name, [path, init]) => {
    const res = await call(path, {
      ...init,
      headers: { ...(init?.headers ?? {}), authorization: 'Bearer ipt_read_not-a-key' },
    });
    expect(res.status).toBe(401);
  });

  it('is told only that nobody is signed in by the one public procedure, access.me', async () => {
    const me = await call('/api/trpc/access.me');
    expect(me.status).toBe(200);
    expect(me.json).toEqual({ result: { data: null } });
    // Public alone: batched with a read, the read is refused and so is the batch.
    const mixed = await call(
      `/api/trpc/access.me,outcomes.overview?batch=1&input=${encodeURIComponent(
        JSON.stringify({ 1: { filters: {} } }),
      )}`,
    );
    expect(mixed.status).toBe(401);
    expect(mixed.text).not.toMatch(/"n":/);
  });

  it('tells a signed-in reader its own identity and role, and nothing of its key', async () => {
    const me = await call('/api/trpc/access.me', {
      headers: { authorization: `Bearer ${h.clinicReaderKey}` },
    });
    expect(me.json).toMatchObject({
      result: {
        data: { name: 'test-clinic-reader', role: 'clinic', clinics: [clinics[0]], via: 'key' },
      },
    });
    expect(me.text).not.toMatch(/keySha256|ipt_read_/);
  });

  it('saved nothing for the anonymous write attempts', async () => {
    const list = await call('/api/trpc/cohorts.list', {
      headers: { authorization: `Bearer ${h.stewardKey}` },
    });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.json)).not.toMatch(/anonymous/);
  });
});

describe('the dashboard as a browser meets it', () => {
  it('answers only its allowed host names (DNS rebinding)', async () => {
    // fetch cannot set Host; node:http can, as a rebinding page's browser effectively does.
    const withHost = (host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL(`${h.url}/api/trpc/outcomes.overview?input=${overviewInput}`);
        const req = request(
          url,
          { headers: { host, authorization: `Bearer ${h.stewardKey}` } },
          (res) => {
            let body = '';
            res.on('data', (chunk) => {
              body += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    const refused = await withHost('attacker.example:3000');
    expect(refused.status).toBe(421);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'host_not_allowed' } });
    expect((await withHost('localhost:3000')).status).toBe(200);
  });

  it('opens an HttpOnly, SameSite=Strict session at sign-in, not Secure over plain http', async () => {
    const res = await call('/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.url },
      body: new URLSearchParams({ key: h.stewardKey }).toString(),
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^ipt_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('refuses a wrong key and a sign-in form posted from another site, opening no session', async () => {
    for (const [key, origin, error] of [
      ['ipt_read_wrong', h.url, 'key'],
      [h.stewardKey, 'https://attacker.example', 'origin'],
    ] as const) {
      const res = await call('/auth/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams({ key, next: '/' }).toString(),
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/sign-in?error=${error}&next=%2F`);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  it('reads with a session, refuses its cross-site writes, and ends it at sign-out', async () => {
    const cookie = await signIn(h.stewardKey);
    const read = await call(`/api/trpc/outcomes.overview?input=${overviewInput}`, {
      headers: { cookie },
    });
    expect(read.status).toBe(200);
    const save = (origin: string | null) =>
      call('/api/trpc/cohorts.save', {
        method: 'POST',
        headers: {
          cookie,
          'content-type': 'application/json',
          ...(origin === null ? {} : { origin }),
        },
        body: JSON.stringify({ name: `Session ${randomUUID().slice(0, 8)}`, filters: {} }),
      });
    expect((await save('https://attacker.example')).status).toBe(403);
    expect((await save(null)).status).toBe(403);
    expect((await save(h.url)).status).toBe(200);
    const out = await call('/auth/sign-out', {
      method: 'POST',
      headers: { cookie, origin: h.url },
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const after = await call(`/api/trpc/outcomes.overview?input=${overviewInput}`, {
      headers: { cookie },
    });
    expect(after.status).toBe(401);
  });

  it('refuses a tampered session id', async () => {
    const cookie = await signIn(h.stewardKey);
    const last = cookie.at(-1) === 'A' ? 'B' : 'A';
    const res = await call(`/api/trpc/outcomes.overview?input=${overviewInput}`, {
      headers: { cookie: `${cookie.slice(0, -1)}${last}` },
    });
    expect(res.status).toBe(401);
  });
});

describe('refusals in words', () => {
  const save = (name: string, bearer = h.stewardKey) =>
    call('/api/trpc/cohorts.save', {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, filters: {}, replace: true }),
    });

  it('saves a cohort under any printable name of up to 64 characters, and lists it as given', async () => {
    const names = [
      'Ashdown – IPT alone',
      'IPT + meds',
      'Jane <script>',
      'Årsta, ward 3 (ΔPHQ)',
      'x'.repeat(64),
    ];
    for (const name of names) expect((await save(name)).status, name).toBe(200);
    const list = await call('/api/trpc/cohorts.list', {
      headers: { authorization: `Bearer ${h.stewardKey}` },
    });
    const listed = (list.json as { result: { data: Array<{ name: string }> } }).result.data;
    expect(listed.map((c) => c.name)).toEqual(expect.arrayContaining(names));
  });

  it('refuses a name with control characters or over 64, saying why in words, not JSON', async () => {
    for (const name of ['two\nlines', 'nul\u0000', '\u202Ereversed', 'x'.repeat(65), '   ']) {
      const res = await save(name);
      expect(res.status, JSON.stringify(name)).toBe(400);
      const message = (res.json as { error: { message: string } }).error.message;
      expect(message).toBe(
        'name: a cohort name is 1-64 printable characters, without line breaks or control characters',
      );
    }
  });

  it('refuses a bad access-log query in words', async () => {
    const res = await call(
      `/api/trpc/access.log?input=${encodeURIComponent(JSON.stringify({ limit: 0 }))}`,
      { headers: { authorization: `Bearer ${h.stewardKey}` } },
    );
    expect(res.status).toBe(400);
    const message = (res.json as { error: { message: string } }).error.message;
    expect(message).toMatch(/^limit: /);
    expect(message).not.toMatch(/[[{]/);
  });
});

describe('reads are bounded', () => {
  const bearer = () => ({ authorization: `Bearer ${h.stewardKey}` });

  it('takes at most 10 calls in a batch', async () => {
    const batch = (n: number) =>
      call(
        `/api/trpc/${Array.from({ length: n }, () => 'outcomes.doseResponse').join(',')}?batch=1&input=${encodeURIComponent(
          JSON.stringify(
            Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { filters: {} }])),
          ),
        )}`,
        { headers: bearer() },
      );
    expect((await batch(10)).status).toBe(200);
    const tooMany = await batch(11);
    expect(tooMany.status).toBe(400);
    expect(errorOf(tooMany).message).toMatch(/at most 10 calls/);
  });

  it('refuses a body over 1 MiB before parsing it, declared or streamed', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), filters: {} });
    const declared = await call('/api/trpc/cohorts.save', {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: big,
    });
    expect(declared.status).toBe(413);
    // Without a Content-Length (chunked), the stream is cut at the limit.
    const streamed = await fetch(`${h.url}/api/trpc/cohorts.save`, {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });
});

describe('scope over REST', () => {
  it('gives a clinic reader its own clinic exactly and refuses another clinic', async () => {
    const own = await getJson(h, `/v1/outcomes?groupBy=medication&clinic=${clinics[0]}`, {
      key: h.clinicReaderKey,
    });
    const asSteward = await getJson(h, `/v1/outcomes?groupBy=medication&clinic=${clinics[0]}`, {
      key: h.stewardKey,
    });
    expect(own.status).toBe(200);
    expect(own.json).toEqual(asSteward.json);
    const other = await getJson(h, `/v1/outcomes?groupBy=medication&clinic=${clinics[1]}`, {
      key: h.clinicReaderKey,
    });
    expect(other.status).toBe(403);
    expect(errorOf(other).message).toMatch(/own clinics only/);
  });

  it('logs every REST read with its surface, principal and status, never the numbers', async () => {
    await getJson(h, '/v1/outcomes?groupBy=problemArea', { key: h.readKey, accept: 'text/csv' });
    await getJson(h, `/v1/outcomes?clinic=${clinics[2]}`, { key: h.clinicReaderKey });
    await h.running.context.accessLog?.flush();
    const rows = await readAccessLog(warehouseOf(h), testPrincipals.steward, { limit: 100 });
    const csv = rows.find((r) => r.principal === 'test-reader' && r.surface === 'csv');
    expect(csv).toMatchObject({ procedure: 'GET /v1/outcomes', status: 200, role: 'researcher' });
    expect(JSON.parse(csv?.filters ?? '{}')).toEqual({ groupBy: ['problemArea'], filters: {} });
    const refused = rows.find((r) => r.principal === 'test-clinic-reader' && r.status === 403);
    expect(refused).toMatchObject({ surface: 'rest', cellsReleased: 0 });
  });
});
