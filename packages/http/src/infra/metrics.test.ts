/**
 * @fileoverview Prometheus metrics over real HTTP: request counters and durations carry the
 * matched route pattern (mount path included), never the raw URL; unmatched requests share one
 * label; the ingest and projector series and Node's default metrics are exposed.
 */
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { createLogger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { listen, type TestServer } from './test-server.js';

let server: TestServer;
let metrics: Metrics;

beforeAll(async () => {
  metrics = createMetrics();
  const app = express();
  app.use(metrics.middleware);
  app.get('/v1/episodes/:episodeId', (_req, res) => {
    res.json({ ok: true });
  });
  const clinics = express.Router();
  clinics.get('/:clinicId/summary', (_req, res) => {
    res.json({ ok: true });
  });
  app.use('/v1/clinics', clinics);
  app.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.render();
    res.type(contentType).send(body);
  });
  app.use(notFoundHandler);
  app.use(errorHandler(createLogger({ level: 'silent' })));
  server = await listen(app);
});

afterAll(() => server.close());

async function scrape(): Promise<string> {
  const response = await fetch(`${server.url}/metrics`);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

async function get(path: string): Promise<void> {
  const response = await fetch(`${server.url}${path}`);
  await response.arrayBuffer();
}

/** The server records a request when its response closes, just after the client has it. */
async function scrapeUntil(pattern: RegExp): Promise<string> {
  let text = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    text = await scrape();
    if (pattern.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return text;
}

describe('createMetrics', () => {
  it('labels requests with the route pattern, not the URL', async () => {
    await get('/v1/episodes/ep_abc12345');
    await get('/v1/episodes/ep_def67890');
    const text = await scrapeUntil(/route="\/v1\/episodes\/:episodeId",status="200"} 2/);
    expect(text).toContain(
      'http_requests_total{method="GET",route="/v1/episodes/:episodeId",status="200"} 2',
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count{method="GET",route="\/v1\/episodes\/:episodeId",status="200"} 2/,
    );
    expect(text).not.toContain('ep_abc12345');
  });

  it('includes a router mount path in the route label', async () => {
    await get('/v1/clinics/north-1/summary');
    const text = await scrapeUntil(/route="\/v1\/clinics\/:clinicId\/summary"/);
    expect(text).toContain(
      'http_requests_total{method="GET",route="/v1/clinics/:clinicId/summary",status="200"} 1',
    );
  });

  it('gives every unmatched URL one label', async () => {
    await get('/wp-admin/setup.php');
    await get('/.env');
    const text = await scrapeUntil(/route="\(unmatched\)",status="404"} 2/);
    expect(text).toContain('http_requests_total{method="GET",route="(unmatched)",status="404"} 2');
    expect(text).not.toContain('wp-admin');
  });

  it('exposes the ingest and projector series, zeroed from the start', async () => {
    const text = await scrape();
    for (const outcome of ['accepted', 'rejected', 'duplicate']) {
      expect(text).toContain(`ingest_events_total{outcome="${outcome}"} 0`);
    }
    expect(text).toContain('ingest_batches_total 0');
    expect(text).toContain('projector_episodes_projected_total 0');
    expect(text).toContain('projector_lag_events 0');
  });

  it('reports what the ingest and projector record', async () => {
    metrics.ingestEvents.inc({ outcome: 'accepted' }, 7);
    metrics.ingestBatches.inc();
    metrics.projectorEpisodesProjected.inc(3);
    metrics.projectorLag.set(42);
    const { body } = await metrics.render();
    expect(body).toContain('ingest_events_total{outcome="accepted"} 7');
    expect(body).toContain('ingest_batches_total 1');
    expect(body).toContain('projector_episodes_projected_total 3');
    expect(body).toContain('projector_lag_events 42');
  });

  it("includes Node's default process metrics", async () => {
    const { body } = await metrics.render();
    expect(body).toContain('process_cpu_user_seconds_total');
    expect(body).toContain('nodejs_eventloop_lag_seconds');
  });

  it('keeps registries apart, so two instances never collide', () => {
    expect(() => createMetrics()).not.toThrow();
  });
});
