#!/usr/bin/env node
// `pnpm lint`'s second half: the import boundaries (scripts/boundaries.mjs). Exit 1 on any.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBoundaries, EXCEPTIONS } from './boundaries.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const problems = checkBoundaries(root);
for (const e of EXCEPTIONS)
  console.log(`boundaries: allowed for now: ${e.from} -> ${e.to} (${e.why})`);
if (problems.length > 0) {
  console.error(
    `boundaries: ${problems.length} broken\n${problems.map((p) => `  ${p}`).join('\n')}`,
  );
  process.exit(1);
}
console.log('boundaries: every import within its layer');
