/**
 * @fileoverview The error contract over real HTTP: malformed JSON, oversized and wrongly typed
 * bodies, unknown routes, thrown and rejected errors and HttpErrors all come back as
 * `{"error": {"code", "message"}}` JSON with the contract's status, never HTML or a stack.
 */
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorHandler,
  jsonContentTypeProblem,
  notFoundHandler,
  requireJson,
} from './error-handler.js';
import { forbidden, unavailable } from './http-error.js';
import { createLogger } from './logger.js';
import { captureLog, listen, type TestServer } from './test-server.js';

const SECRET = 'password=hunter2 at /srv/ingest/warehouse.ts:42';

const log = captureLog();
let server: TestServer;

beforeAll(async () => {
  const app = express();
  app.post('/v1/events', requireJson, express.json({ limit: '1mb' }), (req, res) => {
    const body = req.body as { events?: unknown[] };
    res.json({ accepted: body.events?.length ?? 0, rejected: [] });
  });
  app.get('/boom', () => {
    throw new Error(SECRET);
  });
  app.get('/async-boom', async () => {
    await Promise.resolve();
    throw new TypeError(SECRET);
  });
  app.get('/forbidden', () => {
    throw forbidden('this key may not read clinic north-1');
  });
  app.get('/down', () => {
    throw unavailable(30, undefined, new Error('warehouse unreachable'));
  });
  app.use(notFoundHandler);
  app.use(errorHandler(createLogger({ level: 'debug', stream: log.stream })));
  server = await listen(app);
});

afterAll(() => server.close());

async function post(body: string, headers: Record<string, string>) {
  return fetch(`${server.url}/v1/events`, { method: 'POST', body, headers });
}

/** The response's JSON error, after checking it is JSON in the contract's shape. */
async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await response.text();
  expect(text).not.toMatch(/<html|<pre|\n\s+at /i);
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  return body.error;
}

describe('errorHandler over HTTP', () => {
  it('passes a valid JSON body through', async () => {
    const response = await post('{"events":[{},{}]}', { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 2, rejected: [] });
  });

  it('accepts an explicit utf-8 charset', async () => {
    const response = await post('{"events":[]}', {
      'content-type': 'application/json; charset=UTF-8',
    });
    expect(response.status).toBe(200);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await post('{"events": [', { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({
      code: 'invalid_json',
      message: 'the request body is not valid JSON',
    });
  });

  it('answers a body over the limit with 413 payload_too_large', async () => {
    const big = JSON.stringify({ events: ['x'.repeat(1024 * 1024 + 1)] });
    const response = await post(big, { 'content-type': 'application/json' });
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toEqual({
      code: 'payload_too_large',
      message: 'the request body is larger than the limit of 1048576 bytes',
    });
  });

  it('answers a non-JSON content type with 415 unsupported_media_type', async () => {
    const response = await post('events=1', { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(await errorOf(response)).toEqual({
      code: 'unsupported_media_type',
      message: 'Content-Type must be application/json',
    });
  });

  it('answers a body without a content type with 415', async () => {
    const body = new Blob(['{"events":[]}']); // a Blob with no type sends no Content-Type
    const response = await fetch(`${server.url}/v1/events`, { method: 'POST', body });
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe('unsupported_media_type');
  });

  it('answers a charset other than utf-8 with 415', async () => {
    const response = await post('{"events":[]}', {
      'content-type': 'application/json; charset=iso-8859-1',
    });
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe('unsupported_media_type');
  });

  it('answers an unsupported Content-Encoding with 415', async () => {
    const response = await post('{"events":[]}', {
      'content-type': 'application/json',
      'content-encoding': 'x-unknown',
    });
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe('unsupported_media_type');
  });

  it.each(['/boom', '/async-boom'])(
    'answers an error thrown by %s with a generic 500, and logs the real one',
    async (path) => {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(500);
      const error = await errorOf(response);
      expect(error).toEqual({ code: 'internal_error', message: 'an internal error occurred' });
      const logged = log.lines.find((line) => line.path === path && line.level === 'error');
      expect(JSON.stringify(logged)).toContain(SECRET);
    },
  );

  it('never sends the thrown message or stack', async () => {
    const text = await (await fetch(`${server.url}/boom`)).text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('warehouse.ts');
    expect(text).not.toContain('error-handler.test');
  });

  it('answers a thrown HttpError with its status, code and message', async () => {
    const response = await fetch(`${server.url}/forbidden`);
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toEqual({
      code: 'forbidden',
      message: 'this key may not read clinic north-1',
    });
  });

  it('answers 503 with Retry-After, and logs the cause', async () => {
    const response = await fetch(`${server.url}/down`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect((await errorOf(response)).code).toBe('unavailable');
    const logged = log.lines.find((line) => line.path === '/down');
    expect(JSON.stringify(logged)).toContain('warehouse unreachable');
  });

  it('answers an unknown route with 404 JSON', async () => {
    const response = await fetch(`${server.url}/v2/nothing?x=1`);
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({
      code: 'not_found',
      message: 'no route for GET /v2/nothing',
    });
  });

  it('answers a known path with the wrong method with 404 JSON', async () => {
    const response = await fetch(`${server.url}/v1/events`);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('not_found');
  });
});

describe('jsonContentTypeProblem', () => {
  it.each([
    'application/json',
    'Application/JSON',
    'application/json;charset=utf-8',
    'application/json; charset="utf-8"',
    'application/json; charset=utf8',
  ])('accepts %s', (header) => {
    expect(jsonContentTypeProblem(header)).toBeNull();
  });

  it.each([
    [undefined, 'Content-Type must be application/json; the request has none'],
    ['text/json', 'Content-Type must be application/json'],
    ['application/jsonx', 'Content-Type must be application/json'],
    ['application/vnd.api+json', 'Content-Type must be application/json'],
    ['multipart/form-data; boundary=x', 'Content-Type must be application/json'],
    ['application/json; charset=utf-16', 'Content-Type must be application/json in utf-8'],
  ])('refuses %s', (header, message) => {
    expect(jsonContentTypeProblem(header)).toBe(message);
  });
});
