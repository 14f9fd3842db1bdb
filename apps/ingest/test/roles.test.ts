/**
 * @fileoverview The service's roles: the dashboard role serves the read API (and pages) over
 * the warehouse with no write path; the Kafka roles refuse to start without KAFKA_BROKERS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ConfigError, loadEnv } from '../src/env.js';
import { createLogger } from '../src/http/infra/logger.js';
import { generateKey, readConfigEntry } from '../src/keys/generate.js';
import { startServer } from '../src/server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ipt-roles-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const silent = createLogger({ level: 'silent' });

it('serves reads but no writes in the dashboard role', async () => {
  const read = generateKey('read');
  const env = loadEnv({
    PORT: '0',
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    DASHBOARD: 'false',
    READ_KEYS: JSON.stringify([
      readConfigEntry(read.keySha256, { name: 'role-test', role: 'researcher' }),
    ]),
  });
  const running = await startServer(env, silent, 'dashboard');
  try {
    const outcomes = await fetch(`${running.url}/v1/outcomes`, {
      headers: { authorization: `Bearer ${read.key}` },
    });
    expect(outcomes.status).toBe(200);
    const write = await fetch(`${running.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"events":[]}',
    });
    expect(write.status).toBe(404);
    expect(await write.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(running.projector).toBeNull();
  } finally {
    await running.stop();
  }
});

it.each(['ingest', 'projector'] as const)(
  'refuses to start the %s role without KAFKA_BROKERS',
  async (role) => {
    const env = loadEnv({ PORT: '0', DATA_DIR: dataDir, SEED_DEMO: 'false', DASHBOARD: 'false' });
    await expect(startServer(env, silent, role)).rejects.toThrow(ConfigError);
  },
);
