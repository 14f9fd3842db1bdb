// Charts are drawn still: an animated bar or line is still moving after the page is idle, which
// delays reading it and ignores prefers-reduced-motion. Every series element of every chart in
// the pages' source turns recharts' animation off.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const SERIES = ['Bar', 'Line', 'Area', 'Scatter', 'Pie', 'Radar', 'Funnel'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.tsx')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The opening tags of series elements in a file: from `<Bar` to its `>` outside braces. */
function seriesTags(text: string): Array<{ tag: string; line: number; props: string }> {
  const found: Array<{ tag: string; line: number; props: string }> = [];
  const start = new RegExp(`<(${SERIES.join('|')})(?=[\\s/>])`, 'g');
  for (const match of text.matchAll(start)) {
    let depth = 0;
    let end = match.index + match[0].length;
    for (; end < text.length; end++) {
      const c = text[end];
      if (c === '{') depth += 1;
      else if (c === '}') depth -= 1;
      else if (c === '>' && depth === 0) break;
    }
    found.push({
      tag: match[1] ?? '',
      line: text.slice(0, match.index).split('\n').length,
      props: text.slice(match.index, end),
    });
  }
  return found;
}

describe('charts', () => {
  it('finds series elements, props with arrows included', () => {
    const tags = seriesTags('<Line dataKey="a" formatter={(v) => v > 1} />\n<Bar fill="x" />');
    expect(tags.map((t) => [t.tag, t.line])).toEqual([
      ['Line', 1],
      ['Bar', 2],
    ]);
    expect(tags[0]?.props).toContain('formatter={(v) => v > 1}');
  });

  it('turn animation off on every series element', () => {
    const animated: string[] = [];
    let seen = 0;
    for (const file of sources(SRC)) {
      for (const tag of seriesTags(readFileSync(file, 'utf8'))) {
        seen += 1;
        if (!tag.props.includes('isAnimationActive={false}')) {
          animated.push(`${file.slice(SRC.length)}:${tag.line} <${tag.tag}>`);
        }
      }
    }
    expect(seen).toBeGreaterThan(10);
    expect(animated).toEqual([]);
  });
});
