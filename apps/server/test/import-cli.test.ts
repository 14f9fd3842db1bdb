/**
 * @fileoverview `ipt import` against the real server: an NDJSON file of a simulated network is
 * loaded with its bad lines reported by line number; a run killed mid-way (SIGKILL) is resumed
 * by running it again, skipping the ids it had acknowledged, and the log holds every event once;
 * a FHIR export and a later corrected re-export are mapped at the source and loaded, with the
 * unmappable resource in the report; bad options exit 2 and send nothing.
 */
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CatalogEvent } from '@ipt/events';
import { simulateNetwork } from '@ipt/simulator';
import { defineQuery, eventLogStats } from '@ipt/warehouse';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { type Harness, startHarness, warehouseOf } from './harness.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../../packages/source/test/fixtures/', import.meta.url));
const events: CatalogEvent[] = [...simulateNetwork({ seed: 1313, episodes: 500, clinics: 2 })];
const clinics = [...new Set(events.map((e) => e.clinicId))];
const dir = mkdtempSync(join(tmpdir(), 'ipt-import-'));
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clinics: [...clinics, 'fhir-01'] });
}, 120_000);
afterAll(async () => {
  await h.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => ({
  ...process.env,
  TZ: 'UTC',
  IPT_SOURCE_KEY: h.ingestKey,
  ...extra,
});
const ipt = (args: string[], extra?: Record<string, string>) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: env(extra) }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr }),
    );
  });
const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
const stats = () => eventLogStats(warehouseOf(h));

it('loads a network from NDJSON, reports bad lines by number, and is killed and resumed', async () => {
  expect(existsSync(CLI), `${CLI} is missing: run pnpm build (pnpm test does)`).toBe(true);
  const file = join(dir, 'network.ndjson');
  const rows = events.map((e) => JSON.stringify(e));
  // Line 3 is not JSON, line 7 has a field the contract refuses; both are reported, not fatal.
  const bad = { ...events[5], id: randomUUID(), note: 'free text' };
  rows.splice(2, 0, '{"id": oops');
  rows.splice(6, 0, JSON.stringify(bad));
  writeFileSync(file, `${rows.join('\n')}\n`);
  const before = await stats();

  // First run: killed without warning once some batches were acknowledged.
  const child = spawn(process.execPath, [CLI, 'import', file, '--url', h.url, '--batch', '50'], {
    env: env(),
    stdio: 'ignore',
  });
  const state = `${file}.accepted`;
  await expect
    .poll(() => (existsSync(state) ? lines(state).length : 0), { timeout: 60_000, interval: 20 })
    .toBeGreaterThanOrEqual(500);
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  const acknowledged = lines(state).length;
  expect(acknowledged, 'the kill came before the end').toBeLessThan(events.length - 1);

  const resumed = await ipt(['import', file, '--url', h.url]);
  expect(resumed.code, resumed.stderr).toBe(1); // two lines were not accepted
  const summary = resumed.stderr.trim().split('\n').at(-1);
  expect(summary).toMatch(
    new RegExp(
      `: ${events.length - acknowledged} accepted, ${acknowledged} skipped \\(accepted before\\), 2 rejected in `,
    ),
  );
  const report = lines(`${file}.rejected.ndjson`).map((l) => JSON.parse(l));
  expect(report).toEqual([
    { line: 3, id: null, errors: [{ path: '', message: expect.stringMatching(/^not JSON/) }] },
    {
      line: 7,
      id: bad.id,
      errors: [
        {
          path: 'note',
          message: expect.stringMatching(/^unknown field: the v1 catalog has no such field/),
        },
      ],
    },
  ]);
  // Every event once: the ids acknowledged before the kill were not sent again, and none is lost.
  // (The simulator sends some events twice, as a retrying source would: distinct ids count.)
  const distinct = new Set(events.map((e) => e.id)).size;
  expect(distinct).toBeLessThan(events.length);
  expect(new Set(lines(state)).size).toBe(distinct);
  const after = await stats();
  expect(after.ids - before.ids).toBe(distinct);
  expect(after.events - before.events).toBe(distinct);

  // A third run has nothing left to send but the line it cannot.
  const again = await ipt(['import', file, '--url', h.url]);
  expect(again.stderr).toMatch(/: 0 accepted, \d+ skipped \(accepted before\), 2 rejected in /);
  expect((await stats()).events).toBe(after.events);
}, 180_000);

it('maps a FHIR export at the source, then a corrected re-export; reports what it cannot map', async () => {
  const secret = join(dir, 'clinic.secret');
  writeFileSync(secret, 'synthetic-clinic-secret-for-the-import-test-01\n');
  const bundle = join(dir, 'episode-bundle.json');
  const later = join(dir, 'later-export.ndjson');
  copyFileSync(join(FIXTURES, 'episode-bundle.json'), bundle);
  copyFileSync(join(FIXTURES, 'later-export.ndjson'), later);
  const fhir = ['--fhir', '--clinic', 'fhir-01', '--secret-file', secret, '--url', h.url];
  const before = await stats();

  const first = await ipt(['import', bundle, ...fhir]);
  expect(first.code, first.stderr).toBe(0);
  expect(first.stderr).toMatch(
    /: 11 accepted, 0 skipped \(accepted before\), 0 rejected, 0 resources not mapped in /,
  );
  const afterFirst = await stats();
  expect(afterFirst.ids - before.ids).toBe(11);
  expect(afterFirst.episodes - before.episodes).toBe(1);
  // Nothing the clinic holds reached the server: no local id, no real date.
  const stored = JSON.stringify(
    await warehouseOf(h).query(
      defineQuery({
        name: 'test.fhir_events',
        sql: "SELECT * FROM events WHERE clinic_id = 'fhir-01'",
        params: z.object({}),
        row: z.record(z.string(), z.unknown()),
      }),
      {},
    ),
  );
  expect(stored).toContain('fhir-01');
  for (const local of [
    'p-1001',
    'eoc-501',
    'staff-77',
    'enc-',
    'qr-',
    '2026-03-02',
    '1990-07-14',
  ]) {
    expect(stored).not.toContain(local);
  }

  const second = await ipt(['import', later, ...fhir]);
  expect(second.code).toBe(1);
  expect(second.stderr).toMatch(
    /: 15 accepted, 0 skipped \(accepted before\), 0 rejected, 1 resources not mapped in /,
  );
  expect(lines(`${later}.rejected.ndjson`).map((l) => JSON.parse(l))).toEqual([
    {
      resource: 'QuestionnaireResponse/qr-partial',
      message: expect.stringMatching(/are not answered: the total needs all nine/),
    },
  ]);
  // 15 sent: the 9 unchanged events (stored once already) and 6 new: 3 retractions (the score
  // entered in error, at its plain and version-2 keys; the amended score's first version), the
  // amended score, the missed session and the stop of the medication.
  const afterSecond = await stats();
  expect(afterSecond.ids - afterFirst.ids).toBe(6);
  expect(afterSecond.events - afterFirst.events).toBe(6);
}, 120_000);

it('refuses bad options before reading or sending anything (exit 2)', async () => {
  const file = join(dir, 'network.ndjson');
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['import', file], { IPT_SOURCE_KEY: '' }, /IPT_SOURCE_KEY must hold the source key/],
    [['import', file, '--batch', '5000'], {}, /--batch must be 1 to 1000/],
    [['import', file, '--clinic', 'x'], {}, /--clinic is for --fhir only/],
    [['import', file, '--fhir', '--clinic', 'x'], {}, /--fhir needs --secret-file/],
    [['import'], {}, /import needs exactly one file/],
    [['import', file, '--url', 'not a url'], {}, /--url must be a URL/],
  ];
  const before = await stats();
  for (const [args, extra, message] of cases) {
    const result = await ipt(args, extra);
    expect(result.code, args.join(' ')).toBe(2);
    expect(result.stderr).toMatch(message);
  }
  const missing = await ipt(['import', join(dir, 'nope.ndjson'), '--url', h.url]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/nope\.ndjson does not exist/);
  expect((await stats()).events).toBe(before.events);
}, 60_000);
