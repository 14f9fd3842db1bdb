/**
 * @fileoverview POST /v1/events over real HTTP against embedded chDB: every status code and error
 * of EVENTS.md with the JSON error shape; partial acceptance with per-event errors; the
 * identifying-input corpus rejected with nothing stored; duplicates stored once; a key writing
 * another clinic's events refused for those events only; a 1000-event batch; a restart keeps all
 * data; a stop finishes the batch in flight; and the contract endpoints (schema, OpenAPI,
 * health, readiness, metrics).
 */
import { randomUUID } from 'node:crypto';
import type { CatalogEvent } from '@ipt/events';
import { IDENTIFYING_CORPUS, SAMPLES } from '@ipt/events/testing';
import { defineQuery, eventLogStats } from '@ipt/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  errorOf,
  getJson,
  type Harness,
  postEvents,
  startHarness,
  warehouseOf,
} from './harness.js';

const CLINIC = 'north-clinic-01';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clinics: [CLINIC] });
});
afterAll(async () => h.dispose());

/** A sample event with a fresh id and, optionally, its own episode. */
function fresh(type: CatalogEvent['type'], episodeId?: string): CatalogEvent {
  const sample = SAMPLES[type];
  return {
    ...structuredClone(sample),
    id: randomUUID(),
    ...(episodeId === undefined ? {} : { episodeId }),
  };
}

const stats = () => eventLogStats(warehouseOf(h));

describe('accepting events', () => {
  it('accepts a valid batch and makes it durable before answering', async () => {
    const events = [
      fresh('episode.started', 'e_accept_case_1_5dDf7yOwP3xShZA5'),
      fresh('phq9.recorded', 'e_accept_case_1_5dDf7yOwP3xShZA5'),
    ];
    const before = await stats();
    const res = await postEvents(h, { events });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ accepted: 2, rejected: [] });
    expect((await stats()).events).toBe(before.events + 2);
  });

  it('has the accepted events projected before the 200, so the next read sees them', async () => {
    const episodeId = 'e_visible_at_once_4FD5qiRB4BCIXa';
    const res = await postEvents(h, {
      events: [fresh('episode.started', episodeId), fresh('session.attended', episodeId)],
    });
    expect(res.status).toBe(200);
    const rows = await warehouseOf(h).query(
      defineQuery({
        name: 'test.episode',
        sql: 'SELECT started, sessions_attended FROM episodes FINAL WHERE episode_id = {id:String}',
        params: z.object({ id: z.string() }),
        row: z.object({ started: z.coerce.number(), sessions_attended: z.coerce.number() }),
      }),
      { id: episodeId },
    );
    expect(rows).toEqual([{ started: 1, sessions_attended: 1 }]);
  });

  it('accepts the valid events of a batch and rejects the others with index, id and errors', async () => {
    const good = fresh('session.attended', 'e_partial_case_6gVFsRrVcIJjeGsta');
    const bad = {
      ...fresh('phq9.recorded', 'e_partial_case_6gVFsRrVcIJjeGsta'),
      payload: { items: [0, 1, 2, 4, 0, 0, 0, 0, 0], timepoint: 'session', sessionNumber: 1 },
    };
    const res = await postEvents(h, { events: [good, bad, 'not an event'] });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      accepted: 1,
      rejected: [
        {
          index: 1,
          id: bad.id,
          errors: [{ path: 'payload.items.3', message: 'must be an integer from 0 to 3' }],
        },
        { index: 2, id: null, errors: [{ path: '', message: 'an event must be a JSON object' }] },
      ],
    });
  });

  it('accepts a repeated id again and stores it once', async () => {
    const event = fresh('session.attended', 'e_duplicate_case_RR3_Y76FNgXZOgi');
    const before = await stats();
    const first = await postEvents(h, { events: [event] });
    const second = await postEvents(h, { events: [event, event] });
    expect(first.json).toEqual({ accepted: 1, rejected: [] });
    expect(second.json).toEqual({ accepted: 2, rejected: [] });
    const after = await stats();
    expect(after.events).toBe(before.events + 1);
    expect(after.ids).toBe(after.events);
  });

  it('refuses only the events of a clinic the key may not write', async () => {
    const mine = fresh('session.attended', 'e_clinic_case_3Wobpthfw5kHNJMDAP');
    const theirs = {
      ...fresh('session.attended', 'e_clinic_case_other_EZ4VSYR2OyKF'),
      clinicId: 'south-clinic-02',
    };
    const before = await stats();
    const res = await postEvents(h, { events: [theirs, mine] });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      accepted: 1,
      rejected: [
        {
          index: 0,
          id: theirs.id,
          errors: [
            {
              path: 'clinicId',
              message: 'this API key may not write events for clinic south-clinic-02',
            },
          ],
        },
      ],
    });
    expect((await stats()).events).toBe(before.events + 1);
    // And another source's key may not write this clinic at all.
    const other = await postEvents(
      h,
      { events: [fresh('session.attended')] },
      { key: h.otherIngestKey },
    );
    expect((other.json as { accepted: number }).accepted).toBe(0);
  });

  it('rejects every identifying input of the corpus and stores nothing', async () => {
    const before = await stats();
    const events = IDENTIFYING_CORPUS.map(([, input]) => ({
      ...(input as object),
      id: randomUUID(),
    }));
    const res = await postEvents(h, { events });
    expect(res.status).toBe(200);
    const body = res.json as {
      accepted: number;
      rejected: Array<{ index: number; errors: Array<{ path: string }> }>;
    };
    expect(body.accepted).toBe(0);
    expect(body.rejected).toHaveLength(IDENTIFYING_CORPUS.length);
    IDENTIFYING_CORPUS.forEach(([label, , path], index) => {
      const rejection = body.rejected.find((r) => r.index === index);
      expect(
        rejection?.errors.map((e) => e.path),
        label,
      ).toContain(path);
    });
    expect(await stats()).toEqual(before);
  });

  it('accepts a batch of 1000 events', async () => {
    const events = Array.from({ length: 1000 }, (_, i) => ({
      ...fresh('session.missed', `e_bulk_${String(i % 50).padStart(4, '0')}_g3CpqBf4XdU5YL6JtZt3`),
      payload: { sessionNumber: (i % 40) + 1, reason: 'no_show' as const },
    }));
    const before = await stats();
    const res = await postEvents(h, { events });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ accepted: 1000, rejected: [] });
    expect((await stats()).events).toBe(before.events + 1000);
  });
});

describe('refusing requests (every error is JSON, never a stack or HTML)', () => {
  it.each([
    ['malformed JSON', '{"events": [', 'invalid_json'],
    ['a JSON array body', '[]', 'invalid_batch'],
    ['a body without events', '{}', 'invalid_batch'],
    ['events that are not an array', '{"events": {}}', 'invalid_batch'],
    ['an empty batch', '{"events": []}', 'invalid_batch'],
    ['an unknown top-level field', '{"events": [], "source": "x"}', 'invalid_batch'],
    ['a JSON string', '"events"', 'invalid_batch'],
  ])('answers 400 for %s and stores nothing', async (_label, raw, code) => {
    const before = await stats();
    const res = await postEvents(h, null, { raw });
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe(code);
    expect(await stats()).toEqual(before);
  });

  it('answers 400 for more than 1000 events', async () => {
    const events = Array.from({ length: 1001 }, () => fresh('session.attended'));
    const res = await postEvents(h, { events });
    expect(res.status).toBe(400);
    expect(errorOf(res).message).toMatch(/1 to 1000 events, got 1001/);
  });

  it.each([
    ['no key', null],
    ['an unknown key', 'ipt_ingest_not-a-real-key-at-all-000000000000000'],
    ['a read key', 'READ'],
  ])('answers 401 for %s', async (_label, key) => {
    const res = await postEvents(
      h,
      { events: [fresh('session.attended')] },
      { key: key === 'READ' ? h.readKey : key },
    );
    expect(res.status).toBe(401);
    expect(errorOf(res).code).toBe('unauthorized');
  });

  it('answers 401 for a malformed Authorization header', async () => {
    const response = await fetch(`${h.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${h.ingestKey}` },
      body: '{"events": []}',
    });
    expect(response.status).toBe(401);
  });

  it('answers 413 for a body over 1 MiB and stores nothing', async () => {
    const before = await stats();
    const padding = 'x'.repeat(1024 * 1024);
    const res = await postEvents(h, null, { raw: `{"events": [], "pad": "${padding}"}` });
    expect(res.status).toBe(413);
    expect(errorOf(res).code).toBe('payload_too_large');
    expect(await stats()).toEqual(before);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'])(
    'answers 415 for Content-Type %s',
    async (contentType) => {
      const res = await postEvents(h, { events: [fresh('session.attended')] }, { contentType });
      expect(res.status).toBe(415);
      expect(errorOf(res).code).toBe('unsupported_media_type');
    },
  );

  it('answers 404 JSON for an unknown route', async () => {
    const res = await getJson(h, '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(errorOf(res).code).toBe('not_found');
  });
});

describe('the contract endpoints', () => {
  it('serves the JSON Schema of the catalog', async () => {
    const res = await getJson(h, '/v1/schema', { key: null });
    expect(res.status).toBe(200);
    const schema = res.json as { oneOf?: unknown[]; anyOf?: unknown[] };
    expect((schema.oneOf ?? schema.anyOf ?? []).length).toBe(9);
  });

  it('serves an OpenAPI 3.1 document naming every endpoint and status', async () => {
    const res = await getJson(h, '/openapi.json', { key: null });
    const doc = res.json as {
      openapi: string;
      paths: Record<string, { post?: { responses: object } }>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/healthz',
      '/metrics',
      '/openapi.json',
      '/readyz',
      '/v1/events',
      '/v1/finding-episodes',
      '/v1/off-track',
      '/v1/outcomes',
      '/v1/releases',
      '/v1/schema',
      '/v1/time-to-improvement',
    ]);
    // Every read endpoint documents the refusals the read route gives.
    for (const path of [
      '/v1/outcomes',
      '/v1/time-to-improvement',
      '/v1/off-track',
      '/v1/finding-episodes',
    ]) {
      const read = doc.paths[path] as
        | { get?: { responses: object; parameters: Array<{ name: string }> } }
        | undefined;
      // Every analysis can be asked as of a moment or of a release (404: no such release).
      expect(
        read?.get?.parameters.map((p) => p.name),
        path,
      ).toEqual(expect.arrayContaining(['asOf', 'release']));
      expect(Object.keys(read?.get?.responses ?? {}).sort(), path).toEqual([
        '200',
        '400',
        '401',
        '403',
        '404',
        '408',
        '413',
        '429',
        '503',
      ]);
    }
    expect(Object.keys(doc.paths['/v1/events']?.post?.responses ?? {}).sort()).toEqual([
      '200',
      '400',
      '401',
      '413',
      '415',
      '429',
      '503',
    ]);
  });

  it('is healthy and ready', async () => {
    expect((await getJson(h, '/healthz', { key: null })).json).toEqual({ status: 'ok' });
    expect((await getJson(h, '/readyz', { key: null })).json).toEqual({
      ready: true,
      checks: { warehouse: 'up' },
    });
  });

  it('exposes Prometheus metrics with ingest counters by route pattern', async () => {
    const res = await getJson(h, '/metrics', { key: null });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/ingest_events_total\{outcome="accepted"\} [1-9]/);
    expect(res.text).toMatch(/http_requests_total\{[^}]*route="\/v1\/events"/);
  });

  it('labels tRPC requests by procedure, and counts each call of a batch', async () => {
    const auth = { authorization: `Bearer ${h.stewardKey}` };
    expect((await fetch(`${h.url}/api/trpc/access.me`, { headers: auth })).status).toBe(200);
    await fetch(`${h.url}/api/trpc/access.me,releases.list?batch=1&input={}`, { headers: auth });
    await fetch(`${h.url}/api/trpc/no.such.procedure`, { headers: auth });
    const text = (await getJson(h, '/metrics', { key: null })).text;
    expect(text).toMatch(/http_requests_total\{[^}]*route="\/api\/trpc\/access\.me"[^}]*\} 1\n/);
    expect(text).toMatch(/http_requests_total\{[^}]*route="\/api\/trpc\/\(batch\)"/);
    expect(text).toMatch(/trpc_calls_total\{procedure="access\.me"\} 2\n/);
    expect(text).toMatch(/trpc_calls_total\{procedure="releases\.list"\} 1\n/);
    expect(text).toMatch(/trpc_calls_total\{procedure="\(unknown\)"\} 1\n/);
    expect(text).not.toMatch(/no\.such\.procedure/);
    expect(text).not.toMatch(/route="\(unmatched\)"[^\n]*\/api\/trpc/);
  });
});

describe('durability', () => {
  it('keeps every event and projection across a restart', async () => {
    const before = await stats();
    const outcomes = await getJson(h, '/v1/outcomes?groupBy=problemArea');
    await h.restart();
    expect(await stats()).toEqual(before);
    expect((await getJson(h, '/v1/outcomes?groupBy=problemArea')).json).toEqual(outcomes.json);
  });

  it('finishes a batch in flight when stopped, and the batch is there after restart', async () => {
    const events = Array.from({ length: 500 }, (_, i) =>
      fresh('session.attended', `e_inflight_${String(i).padStart(4, '0')}_Qx7LmZ2wRt9KvB4n`),
    );
    const before = await stats();
    const request = postEvents(h, { events });
    // Stop as soon as the request is under way; the server must answer it before closing.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const stopping = h.running.stop();
    const res = await request;
    await stopping;
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ accepted: 500, rejected: [] });
    await h.restart();
    expect((await stats()).events).toBe(before.events + 500);
  });
});
