// Covers the event sender against a real local HTTP server (node:http on 127.0.0.1, no mocked
// fetch) that scripts its answers: the request shape, retries on 503/429/dropped connections/
// timeouts honouring Retry-After with the very same event ids, no retry on 4xx refusals,
// batching of 2500 events with rejected indexes mapped back, giving up after maxAttempts, and
// refusing 200 answers that are not the contract's shape.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  IngestError,
  IngestRequestError,
  IngestResponseError,
  IngestUnavailableError,
} from './errors.js';
import { createEventSender, type EventSenderOptions } from './sender.js';

interface TestEvent {
  readonly id: string;
  readonly type: string;
  readonly seq: number;
}

interface ReceivedRequest {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  readonly ids: string[];
}

type Answer =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown }
  | 'drop'
  | 'hang';

type Script = (request: ReceivedRequest, number: number) => Answer;

/** The contract's success answer: everything in the batch accepted. */
const acceptAll: Script = (request) => ({
  status: 200,
  body: { accepted: request.ids.length, rejected: [] },
});

/** Answers in turn with `answers`, then with `fallback` (accept all by default). */
function sequence(answers: readonly Answer[], fallback: Script = acceptAll): Script {
  return (request, number) => answers[number] ?? fallback(request, number);
}

const servers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

async function startIngest(script: Script): Promise<{ url: string; requests: ReceivedRequest[] }> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const parsed: unknown = JSON.parse(raw);
      const events = (parsed as { events: Array<{ id: string }> }).events;
      const request: ReceivedRequest = {
        method: req.method,
        path: req.url,
        headers: req.headers,
        raw,
        ids: events.map((event) => event.id),
      };
      requests.push(request);
      const answer = script(request, requests.length - 1);
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      if (answer === 'hang') return;
      const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/events`, requests };
}

function makeEvents(count: number): TestEvent[] {
  return Array.from({ length: count }, (_, seq) => ({ id: randomUUID(), type: 'test', seq }));
}

/** A sender whose waits are recorded instead of slept, with no jitter unless asked. */
function testSender(url: string, options: Partial<EventSenderOptions> = {}) {
  const delays: number[] = [];
  const sender = createEventSender<TestEvent>({
    url,
    apiKey: 'test-key-123',
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0,
    ...options,
  });
  return { sender, delays };
}

/** The rejection a send ended with, failing the test if it resolved. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the send to fail');
}

describe('createEventSender request', () => {
  it('POSTs {"events":[...]} with the bearer key and JSON content type', async () => {
    const ingest = await startIngest(acceptAll);
    const { sender, delays } = testSender(ingest.url);
    const events = makeEvents(3);

    const report = await sender.send(events);

    expect(report).toEqual({ accepted: 3, rejected: [], batches: 1, attempts: 1 });
    expect(ingest.requests).toHaveLength(1);
    const [request] = ingest.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/events');
    expect(request?.headers.authorization).toBe('Bearer test-key-123');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.raw ?? '')).toEqual({ events });
    expect(delays).toEqual([]);
  });

  it('sends nothing for an empty list', async () => {
    const ingest = await startIngest(acceptAll);
    const { sender } = testSender(ingest.url);
    expect(await sender.send([])).toEqual({ accepted: 0, rejected: [], batches: 0, attempts: 0 });
    expect(ingest.requests).toHaveLength(0);
  });

  it('rejects unusable options at construction', () => {
    expect(() => createEventSender({ url: 'not a url', apiKey: 'k' })).toThrow(/not a valid URL/);
    expect(() => createEventSender({ url: 'ftp://x/v1/events', apiKey: 'k' })).toThrow(/http/);
    expect(() => createEventSender({ url: 'http://x/v1/events', apiKey: ' ' })).toThrow(/API key/);
    expect(() =>
      createEventSender({ url: 'http://x/v1/events', apiKey: 'k', maxAttempts: 0 }),
    ).toThrow(/maxAttempts/);
  });
});

describe('createEventSender retries', () => {
  it('retries a 503 after its Retry-After with the same event ids and bytes', async () => {
    const ingest = await startIngest(
      sequence([{ status: 503, headers: { 'retry-after': '7' }, body: { error: {} } }]),
    );
    const { sender, delays } = testSender(ingest.url);
    const events = makeEvents(5);

    const report = await sender.send(events);

    expect(report).toEqual({ accepted: 5, rejected: [], batches: 1, attempts: 2 });
    expect(delays).toEqual([7000]);
    const [first, second] = ingest.requests;
    expect(first?.ids).toEqual(events.map((e) => e.id));
    expect(second?.ids).toEqual(first?.ids);
    expect(second?.raw).toBe(first?.raw);
  });

  it('caps a long Retry-After at maxDelayMs', async () => {
    const ingest = await startIngest(
      sequence([{ status: 503, headers: { 'retry-after': '3600' }, body: {} }]),
    );
    const { sender, delays } = testSender(ingest.url, { maxDelayMs: 5000 });
    await sender.send(makeEvents(1));
    expect(delays).toEqual([5000]);
  });

  it('retries 429s with jittered exponential backoff when no Retry-After is sent', async () => {
    const tooMany = { status: 429, body: { error: { code: 'rate_limited', message: 'slow' } } };
    const ingest = await startIngest(sequence([tooMany, tooMany]));
    const { sender, delays } = testSender(ingest.url, { baseDelayMs: 100, random: () => 0.5 });
    const events = makeEvents(2);

    const report = await sender.send(events);

    expect(report.attempts).toBe(3);
    expect(report.accepted).toBe(2);
    expect(delays).toEqual([50, 100]);
    expect(new Set(ingest.requests.map((r) => r.raw)).size).toBe(1);
  });

  it('retries after the server drops the connection', async () => {
    const ingest = await startIngest(sequence(['drop']));
    const { sender, delays } = testSender(ingest.url);
    const events = makeEvents(4);

    const report = await sender.send(events);

    expect(report).toEqual({ accepted: 4, rejected: [], batches: 1, attempts: 2 });
    expect(ingest.requests).toHaveLength(2);
    expect(ingest.requests[1]?.ids).toEqual(ingest.requests[0]?.ids);
    expect(delays).toHaveLength(1);
  });

  it('retries a request that times out', async () => {
    const ingest = await startIngest(sequence(['hang']));
    const { sender } = testSender(ingest.url, { timeoutMs: 200 });

    const report = await sender.send(makeEvents(1));

    expect(report.attempts).toBe(2);
    expect(ingest.requests).toHaveLength(2);
  });

  it('gives up after maxAttempts with the last status', async () => {
    const ingest = await startIngest(() => ({ status: 503, body: { error: { code: 'down' } } }));
    const { sender, delays } = testSender(ingest.url, { maxAttempts: 3 });

    const error = await failure(sender.send(makeEvents(2)));

    expect(error).toBeInstanceOf(IngestUnavailableError);
    expect(error).toBeInstanceOf(IngestError);
    const unavailable = error as IngestUnavailableError;
    expect(unavailable.attempts).toBe(3);
    expect(unavailable.status).toBe(503);
    expect(unavailable.progress).toEqual({ accepted: 0, rejected: [], batches: 0, attempts: 3 });
    expect(unavailable.resumeFrom).toBe(0);
    expect(ingest.requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it('gives up on a connection that keeps dropping, keeping the network error as cause', async () => {
    const ingest = await startIngest(() => 'drop');
    const { sender } = testSender(ingest.url, { maxAttempts: 2 });

    const error = await failure(sender.send(makeEvents(1)));

    expect(error).toBeInstanceOf(IngestUnavailableError);
    expect((error as IngestUnavailableError).status).toBeUndefined();
    expect((error as IngestUnavailableError).cause).toBeInstanceOf(Error);
    expect(ingest.requests).toHaveLength(2);
  });
});

describe('createEventSender refusals', () => {
  it('does not retry a 401 and exposes the server error code and message', async () => {
    const ingest = await startIngest(() => ({
      status: 401,
      body: { error: { code: 'unauthorized', message: 'Unknown API key' } },
    }));
    const { sender, delays } = testSender(ingest.url);

    const error = await failure(sender.send(makeEvents(3)));

    expect(error).toBeInstanceOf(IngestRequestError);
    const refused = error as IngestRequestError;
    expect(refused.status).toBe(401);
    expect(refused.code).toBe('unauthorized');
    expect(refused.serverMessage).toBe('Unknown API key');
    expect(refused.message).toContain('Unknown API key');
    expect(ingest.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it.each([400, 413, 415, 403])('does not retry a %i', async (status) => {
    const ingest = await startIngest(() => ({ status, body: { error: { code: `e${status}` } } }));
    const { sender } = testSender(ingest.url);

    const error = await failure(sender.send(makeEvents(1)));

    expect(error).toBeInstanceOf(IngestRequestError);
    expect((error as IngestRequestError).status).toBe(status);
    expect((error as IngestRequestError).code).toBe(`e${status}`);
    expect(ingest.requests).toHaveLength(1);
  });

  it('reports a refusal whose body is not the JSON error shape', async () => {
    const ingest = await startIngest(() => ({ status: 400, body: '<html>Bad Request</html>' }));
    const { sender } = testSender(ingest.url);

    const error = await failure(sender.send(makeEvents(1)));

    expect(error).toBeInstanceOf(IngestRequestError);
    expect((error as IngestRequestError).code).toBeUndefined();
    expect((error as IngestRequestError).serverMessage).toBeUndefined();
  });

  it('does not follow a redirect with the key and body', async () => {
    const ingest = await startIngest(() => ({
      status: 307,
      headers: { location: 'http://127.0.0.1:9/elsewhere' },
      body: {},
    }));
    const { sender } = testSender(ingest.url);

    const error = await failure(sender.send(makeEvents(1)));

    expect(error).toBeInstanceOf(IngestRequestError);
    expect((error as IngestRequestError).status).toBe(307);
    expect(ingest.requests).toHaveLength(1);
  });

  it('tells the caller where to resume when a later batch is refused', async () => {
    const ingest = await startIngest(
      sequence([{ status: 200, body: { accepted: 1000, rejected: [] } }], () => ({
        status: 401,
        body: { error: { code: 'unauthorized', message: 'revoked' } },
      })),
    );
    const { sender } = testSender(ingest.url);

    const error = await failure(sender.send(makeEvents(2500)));

    expect(error).toBeInstanceOf(IngestRequestError);
    const refused = error as IngestRequestError;
    expect(refused.resumeFrom).toBe(1000);
    expect(refused.progress).toEqual({ accepted: 1000, rejected: [], batches: 1, attempts: 2 });
  });
});

describe('createEventSender batches', () => {
  it('sends 2500 events as 1000/1000/500 and maps rejected indexes to the full list', async () => {
    const events = makeEvents(2500);
    const badIndexes = new Set([0, 999, 1000, 1717, 2499]);
    const badIds = new Set(events.filter((e) => badIndexes.has(e.seq)).map((e) => e.id));
    const ingest = await startIngest((request) => {
      const rejected = request.ids.flatMap((id, index) =>
        badIds.has(id) ? [{ index, id, errors: [{ path: 'payload.x', message: 'bad' }] }] : [],
      );
      return {
        status: 200,
        body: { accepted: request.ids.length - rejected.length, rejected },
      };
    });
    const { sender } = testSender(ingest.url);

    const report = await sender.send(events);

    expect(ingest.requests.map((r) => r.ids.length)).toEqual([1000, 1000, 500]);
    expect(ingest.requests.flatMap((r) => r.ids)).toEqual(events.map((e) => e.id));
    expect(report.accepted).toBe(2495);
    expect(report.batches).toBe(3);
    expect(report.attempts).toBe(3);
    expect(report.rejected.map((r) => r.index)).toEqual([0, 999, 1000, 1717, 2499]);
    for (const rejected of report.rejected) {
      expect(rejected.id).toBe(events[rejected.index]?.id);
      expect(rejected.errors).toEqual([{ path: 'payload.x', message: 'bad' }]);
    }
  });

  it('retries only the batch that failed', async () => {
    const ingest = await startIngest(
      sequence([
        { status: 200, body: { accepted: 1000, rejected: [] } },
        { status: 503, body: {} },
      ]),
    );
    const events = makeEvents(1500);
    const { sender } = testSender(ingest.url);

    const report = await sender.send(events);

    expect(report).toEqual({ accepted: 1500, rejected: [], batches: 2, attempts: 3 });
    expect(ingest.requests.map((r) => r.ids[0])).toEqual([
      events[0]?.id,
      events[1000]?.id,
      events[1000]?.id,
    ]);
  });
});

describe('createEventSender response validation', () => {
  it.each([
    ['not JSON', 'OK'],
    ['a missing accepted count', { rejected: [] }],
    ['a string accepted count', { accepted: 'all', rejected: [] }],
    ['more accepted than sent', { accepted: 3, rejected: [] }],
    ['a rejection index outside the batch', { accepted: 1, rejected: [{ index: 2, id: 'x' }] }],
    [
      'a rejection with the wrong id',
      { accepted: 1, rejected: [{ index: 0, id: 'x', errors: [] }] },
    ],
    [
      'errors without a path',
      { accepted: 1, rejected: [{ index: 0, errors: [{ message: 'm' }] }] },
    ],
  ])('refuses a 200 with %s, without retrying', async (_label, body) => {
    const ingest = await startIngest(() => ({ status: 200, body }));
    const { sender } = testSender(ingest.url);

    const error = await failure(sender.send(makeEvents(2)));

    expect(error).toBeInstanceOf(IngestResponseError);
    expect((error as IngestResponseError).status).toBe(200);
    expect(ingest.requests).toHaveLength(1);
  });
});
