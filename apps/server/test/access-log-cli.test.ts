/**
 * @fileoverview `ipt access-log`: after reads through the API, the command (a separate process
 * over the same embedded warehouse, once the server has stopped) lists who read what, newest
 * first, filtered by principal, as a table or CSV.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getJson, type Harness, startHarness } from './harness.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ clinics: ['cli-clinic-01'] });
});
afterAll(async () => h.dispose());

it('lists the reads of a principal, newest first, as CSV', async () => {
  expect(existsSync(CLI), `${CLI} is missing: run pnpm build (pnpm test does)`).toBe(true);
  await getJson(h, '/v1/outcomes?groupBy=medication', { key: h.stewardKey });
  await getJson(h, '/v1/outcomes?clinic=someone-else', { key: h.clinicReaderKey });
  await getJson(h, '/v1/outcomes?groupBy=problemArea', { key: h.stewardKey, accept: 'text/csv' });
  // chDB binds the directory to one process: the command reads it once the server is stopped.
  await h.running.stop();
  const run = promisify(execFile);
  const { stdout } = await run(
    process.execPath,
    [CLI, 'access-log', '--principal', 'test-steward', '--csv'],
    { env: { ...process.env, TZ: 'UTC', DATA_DIR: h.dataDir, SEED_DEMO: 'false' } },
  );
  const lines = stdout.trim().split('\n');
  expect(lines[0]).toBe(
    'at,principal,role,via,surface,procedure,status,cellsReleased,cellsWithheld,durationMs,filters',
  );
  expect(lines.slice(1).map((l) => l.split(',').slice(1, 7).join(','))).toEqual([
    'test-steward,steward,key,csv,GET /v1/outcomes,200',
    'test-steward,steward,key,rest,GET /v1/outcomes,200',
  ]);
  const { stdout: all } = await run(process.execPath, [CLI, 'access-log'], {
    env: { ...process.env, TZ: 'UTC', DATA_DIR: h.dataDir, SEED_DEMO: 'false' },
  });
  expect(all).toMatch(/test-clinic-reader\tclinic\tkey\trest\tGET \/v1\/outcomes\t403/);
  // The server restarts for dispose().
  await h.restart();
});
