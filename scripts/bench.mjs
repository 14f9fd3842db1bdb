#!/usr/bin/env node
// Runs every benchmark of the workspace, one after another (2-core machines: never in parallel),
// against the built packages. Each prints one JSON line of measurements.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BENCHES = [
  'packages/simulator/bench/stream.mjs',
  'apps/ingest/bench/ingest.mjs',
  'apps/ingest/bench/outcomes.mjs',
  'apps/ingest/bench/care.mjs',
  'apps/ingest/bench/as-of.mjs',
  'apps/ingest/bench/stall.mjs',
  'apps/ingest/bench/kafka.mjs',
];

let failed = 0;
for (const bench of BENCHES) {
  console.error(`\n> ${bench}`);
  const run = spawnSync(process.execPath, [join(root, bench)], {
    stdio: 'inherit',
    env: { ...process.env, TZ: 'UTC' },
  });
  if (run.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
