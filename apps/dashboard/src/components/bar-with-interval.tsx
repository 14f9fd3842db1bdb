/**
 * A bar with its 95% interval drawn as a whisker. The bar's own geometry gives the scale
 * (pixels per percentage point = bar height / value), so the whisker needs no axis access.
 */
interface BarShapeProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  fill?: string;
  payload?: { value: number; low: number; high: number };
}

export function BarWithInterval({
  x = 0,
  y = 0,
  width = 0,
  height = 0,
  fill,
  payload,
}: BarShapeProps) {
  const bar = <rect x={x} y={y} width={width} height={height} fill={fill} />;
  if (payload === undefined || payload.value <= 0 || height <= 0) return bar;
  const perPoint = height / payload.value;
  const base = y + height;
  const top = base - payload.high * perPoint;
  const bottom = base - payload.low * perPoint;
  const mid = x + width / 2;
  return (
    <g className="bar-with-interval">
      {bar}
      <line x1={mid} x2={mid} y1={top} y2={bottom} stroke="#1d2733" strokeWidth={1.5} />
      <line x1={mid - 6} x2={mid + 6} y1={top} y2={top} stroke="#1d2733" strokeWidth={1.5} />
      <line x1={mid - 6} x2={mid + 6} y1={bottom} y2={bottom} stroke="#1d2733" strokeWidth={1.5} />
    </g>
  );
}
