/**
 * @fileoverview The OpenAPI document as served passes `@redocly/cli lint` with the recommended
 * rules: no error, no warning. The same lint flags a document with one operationId removed, so
 * the check can fail. The document is generated from the zod validators: the batch it describes
 * is the catalog's (the schema refuses what the ingest refuses), and every operation has an id,
 * a 4XX answer and a security requirement (`[]` for the public ones, which answer 406 to an
 * Accept header they cannot satisfy).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { errorOf, getJson, type Harness, read, startHarness } from './harness.js';

const REDOCLY = fileURLToPath(new URL('../node_modules/.bin/redocly', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ipt-openapi-'));
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ clinics: ['north-01'] });
}, 120_000);
afterAll(async () => {
  await h.dispose();
  rmSync(dir, { recursive: true, force: true });
});

interface Lint {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; message: string }[];
}

async function lint(document: unknown): Promise<Lint> {
  const file = join(dir, `openapi-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(document));
  const { stdout } = await promisify(execFile)(
    REDOCLY,
    ['lint', file, '--extends', 'recommended', '--format', 'json'],
    {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  ).catch((error: { stdout: string }) => error);
  return JSON.parse(stdout) as Lint;
}

type Operation = {
  operationId?: string;
  security?: unknown[];
  responses: Record<string, unknown>;
};

it('lints clean with the recommended rules, and the lint can fail', async () => {
  const served = await getJson(h, '/openapi.json', { key: null });
  expect(served.status).toBe(200);
  const doc = served.json as {
    servers: { url: string }[];
    paths: Record<string, Record<string, Operation>>;
  };
  expect(doc.servers).toEqual([{ url: h.url, description: 'This server' }]);
  const result = await lint(doc);
  expect(result.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
  expect(result.totals).toMatchObject({ errors: 0, warnings: 0 });

  const operations = Object.values(doc.paths).flatMap((path) => Object.values(path));
  expect(operations.length).toBe(11);
  for (const operation of operations) {
    expect(operation.operationId).toMatch(/^[a-z][A-Za-z]+$/);
    expect(Object.keys(operation.responses).some((status) => status.startsWith('4'))).toBe(true);
    expect(operation.security).toBeDefined();
  }
  const broken = structuredClone(doc);
  delete broken.paths['/healthz']?.get?.operationId;
  const flagged = await lint(broken);
  expect(flagged.problems.map((p) => p.ruleId)).toEqual(['operation-operationId']);
}, 120_000);

it('describes the batch with the catalog itself: strict events, the contract limits', async () => {
  const doc = (await getJson(h, '/openapi.json', { key: null })).json as {
    components: {
      schemas: Record<
        string,
        { properties?: Record<string, unknown>; oneOf?: unknown[]; additionalProperties?: boolean }
      >;
    };
  };
  const { Batch, Event } = doc.components.schemas;
  expect(Batch?.properties?.events).toMatchObject({
    minItems: 1,
    maxItems: 1000,
    items: { $ref: '#/components/schemas/Event' },
  });
  expect(Batch?.additionalProperties).toBe(false);
  expect(Event?.oneOf).toHaveLength(9);
  for (const variant of (Event?.oneOf ?? []) as { additionalProperties: boolean }[]) {
    expect(variant.additionalProperties).toBe(false);
  }
});

it('answers 406 where the Accept header allows nothing a public endpoint sends', async () => {
  for (const [path, accept] of [
    ['/healthz', 'text/html'],
    ['/readyz', 'image/png'],
    ['/metrics', 'application/json'],
    ['/v1/schema', 'text/csv'],
    ['/openapi.json', 'text/html'],
  ] as const) {
    const answer = await read(await fetch(`${h.url}${path}`, { headers: { accept: accept } }));
    expect(answer.status, path).toBe(406);
    expect(errorOf(answer).code).toBe('not_acceptable');
  }
  // What Prometheus itself sends is served.
  for (const accept of [
    'text/plain;version=0.0.4',
    'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
  ]) {
    const ok = await fetch(`${h.url}/metrics`, { headers: { accept } });
    expect(ok.status, accept).toBe(200);
  }
});
