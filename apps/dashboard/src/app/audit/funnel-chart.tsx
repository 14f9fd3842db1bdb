'use client';

import type { AuditResult, AuditUnit } from '@ipt/analytics';
import {
  CartesianGrid,
  ComposedChart,
  LabelList,
  Legend,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { count } from '../../lib/format';

/**
 * The funnel plot of the audit: each unit's standardised reliable improvement against its
 * paired finished episodes, the network's rate and its 95% and 99.8% limits.
 */
export function FunnelChart({
  units,
  funnel,
  networkRate,
  level,
  ownClinics = [],
}: {
  units: AuditUnit[];
  funnel: AuditResult['funnel'];
  networkRate: number;
  level: string;
  /** The reader's own clinics: their points are drawn apart and labelled. */
  ownClinics?: readonly string[];
}) {
  const points = units.flatMap((u) =>
    u.suppressed || u.eligible === null || u.standardisedRate === null
      ? []
      : [
          {
            n: u.eligible,
            [ownClinics.includes(u.clinic) ? 'ownRate' : 'unitRate']: u.standardisedRate * 100,
            unit: u.unit,
            clinic: u.clinic,
          },
        ],
  );
  const limits = funnel.map((f) => ({
    n: f.n,
    lower95: f.lower95 * 100,
    upper95: f.upper95 * 100,
    lower998: f.lower998 * 100,
    upper998: f.upper998 * 100,
    target: networkRate * 100,
  }));
  // One data array, limits and units sorted by episodes: the tooltip at a unit's point then
  // holds the unit itself beside the limits there (a scatter with its own data gets none).
  const chartRows: Array<Record<string, number | string>> = [...limits, ...points].sort(
    (a, b) => a.n - b.n,
  );
  return (
    <div className="chart" data-testid="funnel-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={chartRows} margin={{ top: 10, right: 20, bottom: 20, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="n"
            type="number"
            domain={['dataMin', 'dataMax']}
            allowDecimals={false}
            label={{ value: 'paired finished episodes', position: 'insideBottom', offset: -10 }}
          />
          <YAxis unit="%" domain={[0, 100]} />
          <Tooltip
            content={(props) => (
              <FunnelTooltip
                level={level}
                active={props.active}
                label={props.label}
                payload={props.payload as unknown as TooltipEntry[] | undefined}
              />
            )}
          />
          <Legend verticalAlign="top" />
          <Line
            dataKey="target"
            name="network"
            stroke="#1d2733"
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            dataKey="upper95"
            name="95% limits"
            stroke="#b5651d"
            strokeDasharray="4 3"
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            dataKey="lower95"
            name="95% limits"
            stroke="#b5651d"
            strokeDasharray="4 3"
            dot={false}
            connectNulls
            legendType="none"
            isAnimationActive={false}
          />
          <Line
            dataKey="upper998"
            name="99.8% limits"
            stroke="#9b2c2c"
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            dataKey="lower998"
            name="99.8% limits"
            stroke="#9b2c2c"
            dot={false}
            connectNulls
            legendType="none"
            isAnimationActive={false}
          />
          <Scatter
            dataKey="unitRate"
            name={level === 'clinic' ? 'clinics' : 'therapists'}
            fill="#2f5d8a"
            isAnimationActive={false}
          />
          {points.some((p) => 'ownRate' in p) ? (
            <Scatter
              dataKey="ownRate"
              name={level === 'clinic' ? 'your clinics' : "your clinics' therapists"}
              fill="#b5651d"
              shape="diamond"
              isAnimationActive={false}
            >
              <LabelList dataKey="unit" position="top" />
            </Scatter>
          ) : null}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

interface TooltipEntry {
  dataKey?: unknown;
  value?: unknown;
  payload?: { unit?: string; clinic?: string; unitRate?: number; ownRate?: number };
}

/**
 * The funnel's tooltip: the episodes at the pointer, the unit there (named, with its clinic for
 * a therapist), and the network and its limits, each named once, in percent to one decimal.
 */
function FunnelTooltip({
  level,
  active,
  label,
  payload,
}: {
  level: string;
  active?: boolean;
  label?: unknown;
  payload?: TooltipEntry[];
}) {
  if (!active || payload === undefined || payload.length === 0) return null;
  const pct = (x: unknown) => (typeof x === 'number' ? `${x.toFixed(1)}%` : '–');
  const at = (key: string) => payload.find((p) => p.dataKey === key)?.value;
  const unit = payload.find((p) => p.dataKey === 'unitRate' || p.dataKey === 'ownRate')?.payload;
  return (
    <div className="chart-tooltip">
      <p>{typeof label === 'number' ? `${count(label)} paired finished episodes` : null}</p>
      {unit?.unit === undefined ? null : (
        <p>
          <strong>
            {level === 'therapist' ? `Therapist ${unit.unit}` : `Clinic ${unit.unit}`}
          </strong>
          {level === 'therapist' ? ` (clinic ${unit.clinic})` : ''}:{' '}
          {pct(unit.unitRate ?? unit.ownRate)} standardised reliable improvement
        </p>
      )}
      {at('target') === undefined ? null : (
        <p>
          {`Network ${pct(at('target'))}; 95% limits ${pct(at('lower95'))} to ${pct(at('upper95'))}; 99.8% limits ${pct(at('lower998'))} to ${pct(at('upper998'))}`}
        </p>
      )}
    </div>
  );
}
