'use client';

import {
  OUTCOME_DIMENSIONS,
  type OutcomeDimension,
  type OutcomeGroup,
  outcomesCsv,
} from '@ipt/analytics';
import { useQuery } from '@tanstack/react-query';
import { Defined } from '../../components/defined';
import { IgnoredParams } from '../../components/ignored-params';
import { PercentBarChart } from '../../components/percent-bar-chart';
import { ProtectedNote } from '../../components/protected-note';
import { RateCell, rateText } from '../../components/rate-cell';
import { Empty, Failed, Loading } from '../../components/states';
import { TableRegion } from '../../components/table-region';
import { answerCsv, downloadCsv } from '../../lib/csv';
import { count, fewerThan } from '../../lib/format';
import { label, RATES, type RateName } from '../../lib/labels';
import { useFilters } from '../../lib/use-filters';
import { useTRPC } from '../../trpc/client';
import { AdjustedComparison } from './adjusted';

/** A rate of an empty cell (exact readers see its 0 episodes): there is none. */
const NO_EPISODES = 'no episodes';

const SERIES_COLORS = [
  '#2f5d8a',
  '#b5651d',
  '#3c8d5a',
  '#8a2f6e',
  '#6b6b6b',
  '#1d8a8a',
  '#c0392b',
  '#7d6608',
];

/**
 * Outcomes by up to three of problem area, sessions-attended bucket and medication group: a
 * table, a bar chart of one rate with 95% interval whiskers, and a cross-tab of two dimensions.
 */
export function Compare() {
  const trpc = useTRPC();
  const { filters, basis, params, setParam } = useFilters();
  const groupBy = (params.get('groupBy') ?? 'problemArea')
    .split(',')
    .filter((d): d is OutcomeDimension => (OUTCOME_DIMENSIONS as readonly string[]).includes(d))
    .slice(0, 3);
  const rate = (
    (RATES as readonly string[]).includes(params.get('rate') ?? '')
      ? params.get('rate')
      : 'reliableImprovement'
  ) as RateName;
  const query = useQuery(trpc.outcomes.compare.queryOptions({ groupBy, filters, ...basis }));
  const askedGroups = (params.get('groupBy') ?? '').split(',').filter(Boolean);
  const accepted = {
    groupBy: askedGroups.length <= 3 && askedGroups.every((d) => (groupBy as string[]).includes(d)),
    rate: (RATES as readonly string[]).includes(params.get('rate') ?? ''),
  };

  const toggle = (d: OutcomeDimension) => {
    const next = groupBy.includes(d) ? groupBy.filter((x) => x !== d) : [...groupBy, d];
    setParam('groupBy', next.join(','));
  };

  return (
    <>
      <IgnoredParams accepted={accepted} />
      <fieldset className="toolbar">
        <legend>Group by (up to three)</legend>
        {OUTCOME_DIMENSIONS.map((d) => (
          <label key={d}>
            <input
              type="checkbox"
              checked={groupBy.includes(d)}
              disabled={!groupBy.includes(d) && groupBy.length >= 3}
              onChange={() => toggle(d)}
            />{' '}
            {label(d)}
          </label>
        ))}
        <label>
          Chart{' '}
          <select
            value={rate}
            onChange={(e) => setParam('rate', e.target.value)}
            aria-label="Rate to chart"
          >
            {RATES.map((r) => (
              <option key={r} value={r}>
                {label(r)}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      {query.isPending ? (
        <Loading what="comparison" />
      ) : query.isError ? (
        <Failed message={query.error.message} />
      ) : query.data.groups.length === 0 || query.data.groups.every((g) => g.n === 0) ? (
        <Empty />
      ) : (
        <Results
          groups={query.data.groups}
          groupBy={groupBy}
          k={query.data.minCellSize}
          isProtected={query.data.protected}
          rate={rate}
          csv={() => answerCsv(outcomesCsv(query.data, filters), query.data)}
        />
      )}
      {query.isError ? null : groupBy.length <= 2 && groupBy[0] !== undefined ? (
        <AdjustedComparison
          compare={groupBy[0]}
          within={groupBy[1]}
          filters={filters}
          rate={rate}
        />
      ) : (
        <p className="method-note">
          Group by one dimension to see its groups crude and{' '}
          <Defined term="adjustedRate">adjusted for case mix</Defined> side by side, or by two to
          compare the first within each level of the second.
        </p>
      )}
    </>
  );
}

function Results({
  groups,
  groupBy,
  k,
  isProtected,
  rate,
  csv,
}: {
  groups: OutcomeGroup[];
  groupBy: OutcomeDimension[];
  k: number;
  isProtected: boolean;
  rate: RateName;
  /** The download: the API's CSV of the same question (GET /v1/outcomes). */
  csv: () => string;
}) {
  const disclosure = { protected: isProtected, minCellSize: k };
  const header = [
    ...(groupBy.length === 0 ? ['group'] : groupBy.map(label)),
    'episodes',
    ...RATES.map(label),
  ];
  const rows = groups.map((g) => [
    ...(groupBy.length === 0 ? ['All episodes'] : groupBy.map((d) => label(g.dimensions[d] ?? ''))),
    g.suppressed || g.n === null ? fewerThan(k) : count(g.n),
    ...RATES.map((r) =>
      g.suppressed ? fewerThan(k) : g.n === 0 ? NO_EPISODES : rateText(g[r], k),
    ),
  ]);
  // Grouped bars: the first dimension along the axis, the others as series side by side.
  const [first, ...rest] = groupBy;
  const seriesName = (g: OutcomeGroup) =>
    rest.length === 0 ? label(rate) : rest.map((d) => label(g.dimensions[d] ?? '')).join(' · ');
  const axisName = (g: OutcomeGroup) =>
    first === undefined ? 'All episodes' : label(g.dimensions[first] ?? '');
  const series = [...new Set(groups.filter((g) => g[rate] !== null).map(seriesName))];
  const categories = [...new Set(groups.map(axisName))];
  const bars = categories.map((name) => {
    const row: Record<string, string | number> = { name };
    for (const g of groups) {
      const metric = g[rate];
      if (axisName(g) !== name || metric === null) continue;
      const key = seriesName(g);
      row[key] = metric.rate * 100;
      row[`${key}:low`] = metric.ci[0] * 100;
      row[`${key}:high`] = metric.ci[1] * 100;
    }
    return row;
  });
  return (
    <>
      <ProtectedNote results={[disclosure]} />
      <div className="toolbar">
        <h2>
          <Defined term={rate} /> by{' '}
          {groupBy.length === 0 ? 'all episodes' : groupBy.map(label).join(', ')} (crude, 95% CI)
        </h2>
        <button type="button" onClick={() => downloadCsv('ipt-compare.csv', csv())}>
          Download CSV
        </button>
      </div>
      <PercentBarChart
        data={bars}
        series={series.map((key, i) => ({
          key,
          name: key,
          color: SERIES_COLORS[i % SERIES_COLORS.length] ?? '#2f5d8a',
        }))}
        testId="compare-chart"
      />
      <h2>Table</h2>
      <TableRegion label="Comparison table">
        <table aria-label="Comparison table">
          <thead>
            <tr>
              {header.slice(0, header.length - RATES.length).map((h) => (
                <th key={h}>{h}</th>
              ))}
              {RATES.map((r) => (
                <th key={r}>
                  <Defined term={r} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {groups.map((g, i) => (
              <tr key={rows[i]?.join('|')}>
                {(groupBy.length === 0
                  ? ['All episodes']
                  : groupBy.map((d) => label(g.dimensions[d] ?? ''))
                ).map((v) => (
                  <td key={v}>{v}</td>
                ))}
                {g.suppressed || g.n === null ? (
                  <td className="suppressed">{fewerThan(k)}</td>
                ) : (
                  <td>{count(g.n)}</td>
                )}
                {RATES.map((r) =>
                  g.suppressed ? (
                    <td key={r} className="suppressed">
                      {fewerThan(k)}
                    </td>
                  ) : g.n === 0 ? (
                    <td key={r}>{NO_EPISODES}</td>
                  ) : (
                    <RateCell key={r} metric={g[r]} k={k} />
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      {groupBy.length === 2 && (
        <CrossTab
          groups={groups}
          rows={groupBy[0] as OutcomeDimension}
          cols={groupBy[1] as OutcomeDimension}
          k={k}
          rate={rate}
        />
      )}
    </>
  );
}

/** Two dimensions against each other, one rate per cell (shown when exactly two are chosen). */
function CrossTab({
  groups,
  rows,
  cols,
  k,
  rate,
}: {
  groups: OutcomeGroup[];
  rows: OutcomeDimension;
  cols: OutcomeDimension;
  k: number;
  rate: RateName;
}) {
  const rowValues = [...new Set(groups.map((g) => g.dimensions[rows] ?? ''))];
  const colValues = [...new Set(groups.map((g) => g.dimensions[cols] ?? ''))];
  const cell = (r: string, c: string) =>
    groups.find((g) => g.dimensions[rows] === r && g.dimensions[cols] === c);
  return (
    <>
      <h2>
        Cross-tab: {label(rate)} by {label(rows)} and {label(cols)}
      </h2>
      <TableRegion label="Cross-tab">
        <table aria-label="Cross-tab">
          <thead>
            <tr>
              <th>{label(rows)}</th>
              {colValues.map((c) => (
                <th key={c}>{label(c)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rowValues.map((r) => (
              <tr key={r}>
                <td>{label(r)}</td>
                {colValues.map((c) => {
                  const g = cell(r, c);
                  if (g === undefined) return <td key={c}>–</td>;
                  return g.suppressed ? (
                    <td key={c} className="suppressed">
                      {fewerThan(k)}
                    </td>
                  ) : g.n === 0 ? (
                    <td key={c}>{NO_EPISODES}</td>
                  ) : (
                    <RateCell key={c} metric={g[rate]} k={k} />
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </>
  );
}
