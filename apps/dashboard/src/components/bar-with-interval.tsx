/**
 * A bar with its 95% interval drawn as a whisker. The bar's own geometry gives the scale
 * (pixels per percentage point = bar height / value), so the whisker needs no axis access.
 * In a grouped chart each series reads its own keys: `<series>`, `<series>:low`, `<series>:high`.
 */
interface BarShapeProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  fill?: string;
  series: string;
  payload?: Record<string, unknown>;
}

export function BarWithInterval({
  x = 0,
  y = 0,
  width = 0,
  height = 0,
  fill,
  series,
  payload,
}: BarShapeProps) {
  const bar = <rect x={x} y={y} width={width} height={height} fill={fill} />;
  const value = Number(payload?.[series]);
  const low = Number(payload?.[`${series}:low`]);
  const high = Number(payload?.[`${series}:high`]);
  if (!(value > 0) || height <= 0 || Number.isNaN(low) || Number.isNaN(high)) return bar;
  const perPoint = height / value;
  const base = y + height;
  const top = base - high * perPoint;
  const bottom = base - low * perPoint;
  const mid = x + width / 2;
  const serif = Math.min(6, width / 3);
  return (
    <g className="bar-with-interval">
      {bar}
      <line x1={mid} x2={mid} y1={top} y2={bottom} stroke="#1d2733" strokeWidth={1.5} />
      <line
        x1={mid - serif}
        x2={mid + serif}
        y1={top}
        y2={top}
        stroke="#1d2733"
        strokeWidth={1.5}
      />
      <line
        x1={mid - serif}
        x2={mid + serif}
        y1={bottom}
        y2={bottom}
        stroke="#1d2733"
        strokeWidth={1.5}
      />
    </g>
  );
}
