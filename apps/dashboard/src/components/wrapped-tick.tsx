'use client';

/**
 * A category axis label wrapped onto lines that fit its band, so labels of neighbouring bars
 * never overlap, however narrow the chart (a phone is 390 px wide).
 */
export function WrappedTick(props: {
  x?: number;
  y?: number;
  width?: number;
  visibleTicksCount?: number;
  payload?: { value?: unknown };
}) {
  const { x = 0, y = 0, width = 0, visibleTicksCount = 1, payload } = props;
  const text = String(payload?.value ?? '');
  // About 6.5 px a character at 12 px: how many fit the band, at least one long word.
  const perLine = Math.max(4, Math.floor(width / Math.max(1, visibleTicksCount) / 6.5));
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= perLine)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  // A word longer than the band (Interpersonal) is drawn smaller rather than over its neighbour.
  const band = width / Math.max(1, visibleTicksCount);
  const longest = Math.max(...lines.map((line) => line.length));
  const fontSize = Math.max(8, Math.min(12, Math.floor(band / (longest * 0.58))));
  return (
    <text x={x} y={y} textAnchor="middle" fontSize={fontSize} fill="#5b6775">
      {lines.slice(0, 3).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the lines of one label, in order
        <tspan key={i} x={x} dy={i === 0 ? 12 : 13}>
          {line}
        </tspan>
      ))}
    </text>
  );
}
