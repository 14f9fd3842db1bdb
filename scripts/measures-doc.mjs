// Writes docs/measures.md from the registry of measures in @ipt/protocol (built first by
// `pnpm definitions`). A test in packages/protocol fails while the file is out of date.
import { writeFileSync } from 'node:fs';
import { measuresMarkdown } from '../packages/protocol/dist/index.js';

const target = new URL('../docs/measures.md', import.meta.url);
writeFileSync(target, measuresMarkdown());
console.log(`wrote ${target.pathname}`);
