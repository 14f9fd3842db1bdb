#!/usr/bin/env node
// Runs the whole workspace's test suite in one vitest process and closes with a plain
// "Tests: N passed, N failed, N skipped" line. A run that executes no test is a failure:
// an empty run proves nothing, and CI must not mistake it for a green one.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'node_modules', '.cache', 'ipt-test');
const outFile = join(outDir, 'results.json');
mkdirSync(outDir, { recursive: true });
rmSync(outFile, { force: true });

const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const run = spawnSync(
  process.execPath,
  [
    vitest,
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${outFile}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TZ: 'UTC' } },
);

let results;
try {
  results = JSON.parse(readFileSync(outFile, 'utf8'));
} catch {
  console.error(`\nThe test runner wrote no results (exit ${run.status ?? run.signal}).`);
  console.log('Tests: 0 passed, 1 failed');
  process.exit(1);
}

const passed = results.numPassedTests;
// A suite that fails to load has no failed test of its own but must still count as a failure.
const failed = Math.max(results.numFailedTests, results.numFailedTestSuites ?? 0);
const skipped = results.numPendingTests + results.numTodoTests;
const ok = run.status === 0 && failed === 0 && passed > 0;
if (passed === 0) console.error('\nNo test was executed: an empty run is a failure.');
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(ok ? 0 : 1);
