import { FIDELITY_MEASURES } from './fidelity.js';
import { COUNT_LABELS, RATE_MEASURES } from './registry.js';
import { STATISTICS } from './statistics.js';

/**
 * docs/measures.md, rendered from the registry: the same words the dashboard shows beside each
 * figure and on its Definitions page, for readers of the repository. `pnpm definitions` writes it; a
 * test fails when the file and the registry disagree.
 */
export function measuresMarkdown(): string {
  const lines = [
    '# Measures and statistics',
    '',
    '<!-- Generated from packages/protocol/src/measures by `pnpm definitions`; do not edit by hand. -->',
    '',
    'Every figure the API and the dashboard give, with its rule, what it is out of, and its',
    'source. The full definitions, with disclosure control, are in [outcomes.md](outcomes.md).',
    '',
    '## Outcome and data-quality rates',
    '',
    '| name (API field) | label | rule | out of | source |',
    '|---|---|---|---|---|',
  ];
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  for (const [name, m] of Object.entries(RATE_MEASURES)) {
    lines.push(
      `| \`${name}\` | ${m.label} | ${cell(m.rule)} | ${COUNT_LABELS[m.denominator]} | ${cell(m.source.citation)} |`,
    );
  }
  lines.push(
    '',
    '## Protocol fidelity (clinic audit)',
    '',
    '| name | label | rule | out of | source |',
    '|---|---|---|---|---|',
  );
  for (const [name, f] of Object.entries(FIDELITY_MEASURES)) {
    lines.push(
      `| \`${name}\` | ${f.label} | ${cell(f.rule)}, breached by the finding \`${f.breach}\` | ${f.appliesTo} | ${cell(f.source.citation)} |`,
    );
  }
  lines.push('', '## Statistics', '');
  for (const [name, s] of Object.entries(STATISTICS)) {
    lines.push(
      `### ${s.label} (\`${name}\`)`,
      '',
      s.short,
      '',
      `- Formula: ${s.formula}`,
      `- Source: ${s.source.citation}`,
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
