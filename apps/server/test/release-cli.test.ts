/**
 * @fileoverview `ipt release`: after a network is posted through the API, the command (a separate
 * process over the same embedded warehouse, once the server has stopped) freezes a release,
 * lists it, verifies it (exit 0), reports a row changed by hand in the warehouse (exit 1, the
 * episode named), deletes it, and writes each step to the access log as `cli`. Bad arguments
 * exit 2 with the reason.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CatalogEvent } from '@ipt/events';
import { simulateNetwork } from '@ipt/simulator';
import { Warehouse } from '@ipt/warehouse';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, postEvents, startHarness } from './harness.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const events: CatalogEvent[] = [...simulateNetwork({ seed: 1210, episodes: 150, clinics: 2 })];
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ clinics: [...new Set(events.map((e) => e.clinicId))] });
  for (let i = 0; i < events.length; i += 1000) {
    const res = await postEvents(h, { events: events.slice(i, i + 1000) });
    expect(res.status).toBe(200);
  }
}, 120_000);
afterAll(async () => h.dispose());

const ipt = (args: string[]) =>
  promisify(execFile)(process.execPath, [CLI, ...args], {
    env: { ...process.env, TZ: 'UTC', DATA_DIR: h.dataDir, SEED_DEMO: 'false' },
  }).then(
    (out) => ({ code: 0, ...out }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

it('freezes, lists, verifies, catches a tampered row, and deletes, logged as cli', async () => {
  expect(existsSync(CLI), `${CLI} is missing: run pnpm build (pnpm test does)`).toBe(true);
  const asOf = new Date().toISOString();
  // chDB binds the directory to one process: the command runs once the server is stopped.
  await h.running.stop();
  const created = await ipt([
    'release',
    'create',
    '--name',
    'cli-2026',
    '--as-of',
    asOf,
    '--note',
    'test',
  ]);
  expect(created.code).toBe(0);
  expect(created.stdout).toMatch(/^release cli-2026: 150 episodes as of /);
  expect(created.stdout).toMatch(/content hash [0-9a-f]{64}\n$/);
  const listed = await ipt(['release', 'list']);
  expect(listed.stdout.split('\n')[1]).toMatch(new RegExp(`^cli-2026\t${asOf}\t`));
  const verified = await ipt(['release', 'verify', '--name', 'cli-2026']);
  expect(verified.code).toBe(0);
  expect(verified.stdout).toMatch(
    /^ok: recorded ([0-9a-f]{64}) \(150 episodes\), computed \1 \(150 episodes\)\n$/,
  );

  const victim = events.find((e) => e.type === 'episode.started')?.episodeId ?? '';
  const warehouse = new Warehouse({ mode: 'embedded', dataDir: h.dataDir });
  await warehouse.command(
    'test.tamper',
    'ALTER TABLE release_episodes UPDATE reliable_improvement = 1 - reliable_improvement WHERE episode_id = {id:String} SETTINGS mutations_sync = 2',
    { id: victim },
  );
  await warehouse.close();
  const tampered = await ipt(['release', 'verify', '--name', 'cli-2026']);
  expect(tampered.code).toBe(1);
  expect(tampered.stdout).toMatch(/^DIFFERS: /);
  expect(tampered.stdout).toContain(
    `episodes whose row differs from the history as of the release: ${victim}\n`,
  );

  const refused = await ipt(['release', 'create', '--name', 'Not OK', '--as-of', asOf]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/release create needs --name: a release name is/);
  const deleted = await ipt(['release', 'delete', '--name', 'cli-2026']);
  expect(deleted.stdout).toBe('deleted release cli-2026\n');
  expect((await ipt(['release', 'list'])).stdout.trim().split('\n')).toHaveLength(1);

  const log = await ipt(['access-log', '--principal', 'cli', '--csv']);
  const steps = log.stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').slice(4, 7).join(','))
    .reverse();
  expect(steps).toEqual([
    'cli,release.create,0',
    'cli,release.create,200',
    'cli,release.list,200',
    'cli,release.verify,200',
    'cli,release.verify,200',
    'cli,release.delete,0',
    'cli,release.delete,200',
    'cli,release.list,200',
  ]);
  await h.restart();
});
