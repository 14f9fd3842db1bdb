'use client';

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { percentTooltip } from '../lib/format';
import { BarWithInterval } from './bar-with-interval';
import { WrappedTick } from './wrapped-tick';

/**
 * Grouped bars of rates in percentage points (0-100), each with its 95% interval whisker: the
 * data rows carry `<series>`, `<series>:low` and `<series>:high` per series (BarWithInterval).
 */
export function PercentBarChart({
  data,
  series,
  testId,
}: {
  data: Array<Record<string, string | number>>;
  series: ReadonlyArray<{ key: string; name: string; color: string }>;
  testId: string;
}) {
  return (
    <div className="chart" data-testid={testId}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 10, right: 20, bottom: 10, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="name" interval={0} height={48} tick={<WrappedTick />} />
          <YAxis unit="%" domain={[0, 100]} />
          <Tooltip formatter={percentTooltip} />
          <Legend verticalAlign="top" />
          {series.map(({ key, name, color }) => (
            <Bar
              key={key}
              dataKey={key}
              name={name}
              fill={color}
              isAnimationActive={false}
              shape={<BarWithInterval series={key} />}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
