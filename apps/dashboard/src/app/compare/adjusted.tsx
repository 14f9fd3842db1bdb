'use client';

import {
  ADJUSTMENT_FACTOR_NAMES,
  type AdjustedMeasure,
  type AdjustmentFactor,
  adjustedCsv,
  DEFAULT_ADJUSTMENT,
  type Estimate,
  type OutcomeDimension,
  type OutcomeFilters,
} from '@ipt/analytics';
import { useQuery } from '@tanstack/react-query';
import { Defined } from '../../components/defined';
import { IgnoredParams } from '../../components/ignored-params';
import { PercentBarChart } from '../../components/percent-bar-chart';
import { rateText } from '../../components/rate-cell';
import { Failed, Loading } from '../../components/states';
import { TableRegion } from '../../components/table-region';
import { answerCsv, downloadCsv } from '../../lib/csv';
import { fewerThan, isWithheld, percent, percentagePoints, twoDecimals } from '../../lib/format';
import { label, type RateName } from '../../lib/labels';
import { useFilters } from '../../lib/use-filters';
import { useTRPC } from '../../trpc/client';

const CRUDE = 'Crude';
const ADJUSTED = 'Adjusted';

/**
 * The groups of one dimension, crude and adjusted for case mix side by side (docs/outcomes.md,
 * "Adjusted comparisons"), every figure from the server: the rate shown in the chart as bars
 * with intervals, every outcome rate in a table with differences from the reference group and,
 * for two groups, the risk ratio. The adjustment set is chosen here and kept in the URL.
 */
export function AdjustedComparison({
  compare,
  filters,
  rate,
}: {
  compare: OutcomeDimension;
  filters: OutcomeFilters;
  rate: RateName;
}) {
  const trpc = useTRPC();
  const { basis, params, setParam } = useFilters();
  const chosen = (params.get('adjustFor') ?? '')
    .split(',')
    .filter((f): f is AdjustmentFactor => (ADJUSTMENT_FACTOR_NAMES as string[]).includes(f));
  const adjustFor = chosen.length > 0 ? chosen.slice(0, 4) : [...DEFAULT_ADJUSTMENT];
  const query = useQuery(
    trpc.outcomes.adjusted.queryOptions({ compare, adjustFor, filters, ...basis }),
  );
  const toggle = (f: AdjustmentFactor) => {
    const next = adjustFor.includes(f) ? adjustFor.filter((x) => x !== f) : [...adjustFor, f];
    if (next.length > 0) setParam('adjustFor', next.join(','));
  };
  const asked = (params.get('adjustFor') ?? '').split(',').filter(Boolean);
  return (
    <section aria-labelledby="adjusted-title">
      <IgnoredParams
        accepted={{
          adjustFor:
            asked.length > 0 &&
            asked.length <= 4 &&
            asked.every((f) => chosen.includes(f as AdjustmentFactor))
              ? true
              : 'one to four of the adjustment factors',
        }}
      />
      <h2 id="adjusted-title">Crude and adjusted for case mix: {label(compare)}</h2>
      <fieldset className="toolbar">
        <legend>Adjust for (one to four)</legend>
        {ADJUSTMENT_FACTOR_NAMES.map((f) => (
          <label key={f}>
            <input
              type="checkbox"
              checked={adjustFor.includes(f)}
              disabled={
                (adjustFor.includes(f) && adjustFor.length === 1) ||
                (!adjustFor.includes(f) && adjustFor.length >= 4)
              }
              onChange={() => toggle(f)}
            />{' '}
            {label(f)}
          </label>
        ))}
      </fieldset>
      {query.isPending ? (
        <Loading what="adjusted comparison" />
      ) : query.isError ? (
        <Failed message={query.error.message} />
      ) : (
        <AdjustedResults
          measures={query.data.measures}
          reference={query.data.reference}
          adjustFor={query.data.adjustFor}
          k={query.data.minCellSize}
          csv={() => answerCsv(adjustedCsv(query.data, filters), query.data)}
          rate={rate}
        />
      )}
    </section>
  );
}

const estimateText = (e: Estimate | null, show: (x: number) => string) =>
  e === null ? '–' : `${show(e.estimate)} (${show(e.ci[0])} to ${show(e.ci[1])})`;

function AdjustedResults({
  measures,
  reference,
  adjustFor,
  k,
  csv,
  rate,
}: {
  measures: AdjustedMeasure[];
  reference: string;
  adjustFor: AdjustmentFactor[];
  k: number;
  /** The download: the API's CSV of the same question (GET /v1/outcomes?adjust=caseMix). */
  csv: () => string;
  rate: RateName;
}) {
  const shown = measures.find((m) => m.measure === rate) ?? measures[0];
  if (shown === undefined) return null;
  const set = adjustFor.map(label).join(' × ');
  const support = shown.support;
  const bars = shown.groups.map((g) => {
    const row: Record<string, string | number> = { name: label(g.group) };
    if (g.crude !== null) {
      row[CRUDE] = g.crude.rate * 100;
      row[`${CRUDE}:low`] = g.crude.ci[0] * 100;
      row[`${CRUDE}:high`] = g.crude.ci[1] * 100;
    }
    if (g.adjusted !== null) {
      row[ADJUSTED] = g.adjusted.estimate * 100;
      row[`${ADJUSTED}:low`] = Math.max(0, g.adjusted.ci[0]) * 100;
      row[`${ADJUSTED}:high`] = Math.min(1, g.adjusted.ci[1]) * 100;
    }
    return row;
  });
  const rows = measures.flatMap((m) =>
    m.groups.map((g) => {
      const d = m.differences.find((x) => x.group === g.group);
      return [
        label(m.measure),
        label(g.group),
        rateText(g.crude, k),
        g.crude === null ? fewerThan(k) : estimateText(g.adjusted, percent),
        g.group === reference ? 'reference' : estimateText(d?.crude ?? null, percentagePoints),
        g.group === reference ? 'reference' : estimateText(d?.adjusted ?? null, percentagePoints),
      ];
    }),
  );
  const ratios = measures.filter((m) => m.riskRatio !== null);
  return (
    <>
      <p className="method-note">
        <strong>Crude</strong> figures are as observed; <strong>adjusted</strong> figures give each
        group the case mix of all compared groups together (direct standardisation over {set}), so a
        difference left after adjustment is not explained by who was treated.{' '}
        {support === null ? (
          'Fewer than two groups can be compared for this rate.'
        ) : support.shareOutside === null ? (
          `Fewer than ${k} eligible episodes are outside common support.`
        ) : (
          <>
            {percent(support.shareOutside)} of eligible episodes for {label(shown.measure)} are
            outside <Defined term="commonSupport">common support</Defined> and not in the adjusted
            figures.
          </>
        )}
      </p>
      <div className="toolbar">
        <h3>
          {label(shown.measure)}: <Defined term="crude">crude</Defined> and{' '}
          <Defined term="adjustedRate">adjusted</Defined> (95% CI)
        </h3>
        <button type="button" onClick={() => downloadCsv('ipt-compare-adjusted.csv', csv())}>
          Download adjusted CSV
        </button>
      </div>
      <PercentBarChart
        data={bars}
        series={[
          { key: CRUDE, name: 'Crude', color: '#8a96a3' },
          { key: ADJUSTED, name: `Adjusted for ${set}`, color: '#2f5d8a' },
        ]}
        testId="adjusted-chart"
      />
      <TableRegion label="Crude and adjusted comparison">
        <table aria-label="Crude and adjusted comparison">
          <thead>
            <tr>
              <th>Outcome</th>
              <th>Group</th>
              <th>
                <Defined term="crude">Crude rate</Defined> (95% CI)
              </th>
              <th>
                <Defined term="adjustedRate">Adjusted rate</Defined> (95% CI)
              </th>
              <th>Crude difference from {label(reference)}</th>
              <th>Adjusted difference from {label(reference)}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row[0]}|${row[1]}`}>
                {row.map((cell, i) => (
                  <td
                    // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns of one row
                    key={i}
                    className={isWithheld(cell) ? 'suppressed' : undefined}
                  >
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      {ratios.length > 0 && (
        <TableRegion label="Risk ratios">
          <table aria-label="Risk ratios">
            <caption>
              <Defined term="riskRatio">Risk ratio</Defined>:{' '}
              {label(ratios[0]?.riskRatio?.group ?? '')} over {label(reference)}
            </caption>
            <thead>
              <tr>
                <th>Outcome</th>
                <th>Crude (95% CI)</th>
                <th>Mantel-Haenszel, adjusted for {set} (95% CI)</th>
              </tr>
            </thead>
            <tbody>
              {ratios.map((m) => (
                <tr key={m.measure}>
                  <td>{label(m.measure)}</td>
                  <td>{estimateText(m.riskRatio?.crude ?? null, twoDecimals)}</td>
                  <td>{estimateText(m.riskRatio?.adjusted ?? null, twoDecimals)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </>
  );
}
