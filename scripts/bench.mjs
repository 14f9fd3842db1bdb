#!/usr/bin/env node
// Runs the benchmarks of the workspace one after another (2-core machines: never in parallel),
// against the built packages. Each prints one JSON line of measurements on stdout; those lines
// are passed through as they come (for tools) and gathered into one table at the end (for
// people). `--only a,b` runs the benchmarks whose file name contains a or b.
import { spawn } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchTable } from './bench-table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BENCHES = [
  'packages/simulator/bench/stream.mjs',
  'apps/server/bench/ingest.mjs',
  'apps/server/bench/outcomes.mjs',
  'apps/server/bench/reads-at-scale.mjs',
  'apps/server/bench/care.mjs',
  'apps/server/bench/as-of.mjs',
  'apps/server/bench/stall.mjs',
  'apps/server/bench/kafka.mjs',
];

let args;
try {
  args = parseArgs({ options: { only: { type: 'string' } } }).values;
} catch (error) {
  console.error(`pnpm bench: ${error.message}. Usage: pnpm bench [--only name[,name...]]`);
  process.exit(2);
}
const wanted = args.only?.split(',').filter(Boolean);
const selected = wanted
  ? BENCHES.filter((bench) => wanted.some((name) => basename(bench).includes(name)))
  : BENCHES;
if (selected.length === 0) {
  console.error(
    `pnpm bench: --only ${args.only} names no benchmark; there are: ${BENCHES.map((b) => basename(b, '.mjs')).join(', ')}`,
  );
  process.exit(2);
}

/** Runs one benchmark; resolves to its exit code and the JSON lines it printed. */
function run(bench) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, bench)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TZ: 'UTC' },
    });
    const lines = [];
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      pending += chunk;
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      lines.push(...complete);
    });
    child.on('close', (code) => {
      lines.push(pending);
      const results = [];
      for (const line of lines) {
        if (!line.trim().startsWith('{')) continue;
        try {
          results.push(JSON.parse(line));
        } catch {
          // Not a result line: already shown as it came.
        }
      }
      resolve({ code, results });
    });
  });
}

const results = [];
const failed = [];
for (const bench of selected) {
  console.error(`\n> ${bench}`);
  const outcome = await run(bench);
  results.push(...outcome.results);
  if (outcome.code !== 0) failed.push(basename(bench));
}
console.log(`\n${benchTable(results)}`);
if (failed.length > 0) console.error(`\nfailed: ${failed.join(', ')}`);
process.exit(failed.length === 0 ? 0 : 1);
