/**
 * @fileoverview The source client as a clinic installs it, following the README's integrator
 * steps from a fresh clone: `pnpm install`, then `npm pack` in packages/source with nothing
 * built (its prepack builds what the bundle needs) gives a tarball of the bundle, its types and
 * README, depending on zod alone. Installed with npm into an empty project outside the
 * repository, it type-checks under strict NodeNext, and a plain script maps the synthetic FHIR
 * bundle and sends it to the real ingest: every event accepted and stored once, a second send
 * stored nothing new. The clone is of the committed tree (CI's is a clean clone of main).
 */
import { execFile } from 'node:child_process';
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
import { promisify } from 'node:util';
import { eventLogStats } from '@ipt/warehouse';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, startHarness, warehouseOf } from './harness.js';

const run = promisify(execFile);
const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const clone = mkdtempSync(join(tmpdir(), 'ipt-fresh-clone-'));
/** packages/source of the fresh clone. */
const SOURCE = join(clone, 'packages/source');
const TSC = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'clinic-sender-'));
let h: Harness;
let installOutput = '';

beforeAll(async () => {
  h = await startHarness({ clinics: ['north-01'] });
  // The README's first step on a new machine, from the package store this checkout installed.
  await run('git', ['clone', '--quiet', '--local', '--no-hardlinks', REPOSITORY, clone]);
  const installed = await run('pnpm', ['install', '--frozen-lockfile', '--offline'], {
    cwd: clone,
    timeout: 240_000,
  });
  // Every dependency supports this Node.js (engineStrict makes a mismatch fail the install).
  installOutput = `${installed.stdout}\n${installed.stderr}`;
}, 300_000);
afterAll(async () => {
  await h.dispose();
  rmSync(project, { recursive: true, force: true });
  rmSync(clone, { recursive: true, force: true });
});

it('installs from a fresh clone on this Node.js without an unsupported engine', () => {
  expect(installOutput).not.toMatch(/Unsupported engine/i);
  expect(installOutput).toMatch(/Done in/);
});

it('packs, installs outside the repository, type-checks, and sends a FHIR export', async () => {
  // Nothing is built in the clone: the tarball is whole only if packing builds it.
  expect(existsSync(join(SOURCE, 'dist'))).toBe(false);
  expect(existsSync(join(clone, 'packages/events/dist'))).toBe(false);
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', project], {
    cwd: SOURCE,
    timeout: 240_000,
  });
  // The prepack build logs to stdout before npm's JSON report.
  const report = stdout.slice(stdout.search(/^\[\s*\{/m));
  const [packed] = JSON.parse(report) as [{ filename: string; files: { path: string }[] }];
  expect(packed.files.map((f) => f.path).sort()).toEqual([
    'README.md',
    'dist/index.d.mts',
    'dist/index.mjs',
    'package.json',
  ]);
  await run('tar', ['xzf', packed.filename, 'package/package.json'], { cwd: project });
  const manifest = JSON.parse(readFileSync(join(project, 'package/package.json'), 'utf8'));
  expect(manifest.dependencies).toEqual({ zod: '4.6.7' });
  expect(manifest.private).toBeUndefined();
  expect(manifest).toMatchObject({ name: '@ipt-outcomes/source', license: 'Apache-2.0' });
  const bundle = readFileSync(join(SOURCE, 'dist/index.mjs'), 'utf8');
  expect(bundle).not.toMatch(/from ["']@ipt\//);

  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'clinic-sender', private: true, type: 'module' }),
  );
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      join(project, packed.filename),
      '@types/node@20.19.43',
    ],
    { cwd: project, timeout: 240_000 },
  );
  copyFileSync(join(SOURCE, 'test/fixtures/episode-bundle.json'), join(project, 'export.json'));

  // The README's usage, typed: strict NodeNext resolves the package's exports and its types.
  writeFileSync(
    join(project, 'send.ts'),
    `import { readFileSync } from 'node:fs';
import {
  type CatalogEvent,
  createEventSender,
  createPseudonymizer,
  IngestError,
  mapFhir,
  parseFhirInput,
  type SendReport,
} from '@ipt-outcomes/source';

const pseudo = createPseudonymizer(process.env.CLINIC_SECRET ?? '');
const { events, problems } = mapFhir(parseFhirInput(readFileSync('export.json', 'utf8')), {
  clinicId: 'north-01',
  pseudonymizer: pseudo,
});
const first: CatalogEvent | undefined = events[0];
const sender = createEventSender({ url: process.argv[2] ?? '', apiKey: process.env.IPT_SOURCE_KEY ?? '' });
try {
  const reports: SendReport[] = [await sender.send(events), await sender.send(events)];
  console.log(JSON.stringify({ first: first?.type, events: events.length, problems, reports }));
} catch (error) {
  if (error instanceof IngestError) console.error(error.resumeFrom, error.message);
  process.exitCode = 1;
}
`,
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        types: ['node'],
        outDir: 'out',
      },
      files: ['send.ts'],
    }),
  );
  const compiled = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project }).then(
    () => 'ok',
    (error: { stdout: string }) => error.stdout,
  );
  expect(compiled).toBe('ok');

  const before = await eventLogStats(warehouseOf(h));
  const sent = await run(process.execPath, ['out/send.js', `${h.url}/v1/events`], {
    cwd: project,
    env: {
      ...process.env,
      CLINIC_SECRET: 'synthetic-clinic-secret-for-the-package-test-1',
      IPT_SOURCE_KEY: h.ingestKey,
    },
  });
  const result = JSON.parse(sent.stdout);
  expect(result).toMatchObject({ first: 'episode.started', events: 11, problems: [] });
  expect(result.reports.map((r: SendReport) => [r.accepted, r.rejected.length])).toEqual([
    [11, 0],
    [11, 0],
  ]);
  const after = await eventLogStats(warehouseOf(h));
  expect(after.ids - before.ids).toBe(11);
  expect(after.events - before.events).toBe(11);
}, 300_000);

interface SendReport {
  accepted: number;
  rejected: unknown[];
}
