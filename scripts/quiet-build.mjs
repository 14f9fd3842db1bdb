#!/usr/bin/env node
/**
 * Builds the given turbo filter before a command (`pnpm start`, `pnpm ipt ...`) without turbo's
 * banner in front of the command's own output: nothing is printed when the build is quick (all
 * cached), one line when it takes a while, and turbo's full output when it fails.
 *
 *   node scripts/quiet-build.mjs @ipt/server... @ipt/dashboard
 */
import { spawn } from 'node:child_process';

const filters = process.argv.slice(2);
if (filters.length === 0) {
  process.stderr.write('usage: node scripts/quiet-build.mjs <turbo filter>...\n');
  process.exit(2);
}
const started = Date.now();
const output = [];
const turbo = spawn(
  'pnpm',
  [
    'exec',
    'turbo',
    'run',
    'build',
    ...filters.map((f) => `--filter=${f}`),
    '--output-logs=errors-only',
  ],
  { env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
);
turbo.stdout.on('data', (chunk) => output.push(chunk));
turbo.stderr.on('data', (chunk) => output.push(chunk));
// A first build takes about a minute (57-80 s on 2 cores): say so rather than sit silent.
const notice = setTimeout(
  () => process.stderr.write('building (a minute on a fresh clone)...\n'),
  3000,
);
turbo.on('close', (code) => {
  clearTimeout(notice);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (code !== 0) {
    process.stderr.write(Buffer.concat(output));
    process.stderr.write(`build failed (${seconds} s)\n`);
    process.exit(code ?? 1);
  }
  if (Date.now() - started >= 3000) process.stderr.write(`built in ${seconds} s\n`);
});
