'use client';

import {
  ADJUSTMENT_FACTOR_NAMES,
  type AdjustedComparisonResult,
  type AdjustedMeasure,
  type AdjustmentFactor,
  adjustedCsv,
  DEFAULT_ADJUSTMENT,
  type Estimate,
  type OutcomeDimension,
  type OutcomeFilters,
} from '@ipt/analytics';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Defined } from '../../components/defined';
import { IgnoredParams } from '../../components/ignored-params';
import { PercentBarChart } from '../../components/percent-bar-chart';
import { rateText } from '../../components/rate-cell';
import { Failed, Loading } from '../../components/states';
import { TableRegion } from '../../components/table-region';
import { answerCsv, downloadCsv } from '../../lib/csv';
import {
  bigCount,
  fewerThan,
  fixed,
  isWithheld,
  percent,
  percentagePoints,
  twoDecimals,
} from '../../lib/format';
import { label, type RateName } from '../../lib/labels';
import { useFilters } from '../../lib/use-filters';
import { useTRPC } from '../../trpc/client';

const CRUDE = 'Crude';
const ADJUSTED = 'Adjusted';
const DIRECT = 'Direct';

/**
 * The groups of one dimension, crude and adjusted for case mix side by side (docs/outcomes.md,
 * "Adjusted comparisons"), every figure from the server: the rate shown in the chart as bars
 * with intervals, every outcome rate in a table with differences from the reference group and,
 * for two groups, the risk ratio. The adjustment set is chosen here and kept in the URL.
 */
export function AdjustedComparison({
  compare,
  within,
  filters,
  rate,
}: {
  compare: OutcomeDimension;
  /** A second dimension: the comparison inside each of its levels, and the heterogeneity test. */
  within?: OutcomeDimension | undefined;
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
    trpc.outcomes.adjusted.queryOptions({
      compare,
      ...(within === undefined ? {} : { within }),
      adjustFor,
      filters,
      ...basis,
    }),
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
      <h2 id="adjusted-title">
        Crude and adjusted for case mix: {label(compare)}
        {within === undefined ? '' : ` within each ${label(within).toLowerCase()}`}
      </h2>
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
          within={query.data.within}
        />
      )}
    </section>
  );
}

const estimateText = (e: Estimate | null, show: (x: number) => string) =>
  e === null ? '–' : `${show(e.estimate)} (${show(e.ci[0])} to ${show(e.ci[1])})`;

/**
 * Why a rate has no regression standardised figures, or which levels of an adjustment factor
 * the model predicts at their observed 0% or 100% (separation), for people.
 */
function modelNote(m: AdjustedMeasure, k: number): string | null {
  if (m.model === null) return null;
  if (m.model.fitted) {
    if (m.model.separated.length === 0) return null;
    const levels = m.model.separated.map(
      (l) =>
        `${label(l.factor)} ${label(l.level)} (${l.episodes ?? fewerThan(k)} episodes, ${l.rate === 0 ? 'none' : 'all'} with the outcome)`,
    );
    return `${label(m.measure)}: ${levels.join('; ')} predicted at that observed rate; the model is fitted on the other episodes.`;
  }
  const why =
    m.model.reason === 'separation'
      ? 'the model cannot be fitted (separation)'
      : m.model.reason === 'confounded'
        ? 'the groups cannot be told apart from the adjustment factors'
        : m.model.reason === 'not-converged'
          ? 'the model did not converge'
          : 'there are no episodes to model';
  return `${label(m.measure)}: no adjusted figures, ${why}: ${m.model.detail}. Crude figures only.`;
}

function AdjustedResults({
  measures,
  reference,
  adjustFor,
  k,
  csv,
  rate,
  within,
}: {
  measures: AdjustedMeasure[];
  reference: string;
  adjustFor: AdjustmentFactor[];
  k: number;
  /** The download: the API's CSV of the same question (GET /v1/outcomes?adjust=caseMix). */
  csv: () => string;
  rate: RateName;
  within: AdjustedComparisonResult['within'];
}) {
  const shown = measures.find((m) => m.measure === rate) ?? measures[0];
  if (shown === undefined) return null;
  const set = adjustFor.map(label).join(' × ');
  const support = shown.support;
  const bars = shown.groups.map((g) => {
    const row: Record<string, string | number> = { name: label(g.group) };
    const put = (series: string, e: Estimate | null) => {
      if (e === null) return;
      row[series] = e.estimate * 100;
      row[`${series}:low`] = Math.max(0, e.ci[0]) * 100;
      row[`${series}:high`] = Math.min(1, e.ci[1]) * 100;
    };
    put(CRUDE, g.crude === null ? null : { estimate: g.crude.rate, ci: g.crude.ci });
    put(ADJUSTED, g.adjusted);
    put(DIRECT, g.direct);
    return row;
  });
  const rows = measures.flatMap((m) =>
    m.groups.map((g) => {
      const d = m.differences.find((x) => x.group === g.group);
      const r = m.ratios.find((x) => x.group === g.group);
      const isReference = g.group === reference;
      return [
        label(m.measure),
        label(g.group),
        rateText(g.crude, k),
        g.crude === null ? fewerThan(k) : estimateText(g.adjusted, percent),
        isReference ? 'reference' : estimateText(d?.crude ?? null, percentagePoints),
        isReference ? 'reference' : estimateText(d?.adjusted ?? null, percentagePoints),
        isReference ? 'reference' : estimateText(r?.adjusted ?? null, twoDecimals),
      ];
    }),
  );
  const sensitivity = measures.flatMap((m) =>
    m.groups.map((g) => {
      const r = m.ratios.find((x) => x.group === g.group);
      const share = m.support?.shareOutside;
      return [
        label(m.measure),
        label(g.group),
        g.crude === null ? fewerThan(k) : estimateText(g.direct, percent),
        g.crude === null ? fewerThan(k) : estimateText(g.crudeInSupport, percent),
        m.support === null
          ? '–'
          : share === null || share === undefined
            ? fewerThan(k)
            : percent(share),
        g.group === reference ? 'reference' : estimateText(r?.direct ?? null, twoDecimals),
      ];
    }),
  );
  const notes = measures.map((m) => modelNote(m, k)).filter((n): n is string => n !== null);
  const episodes = shown.model?.episodes;
  return (
    <>
      <p className="method-note">
        <strong>Crude</strong> figures are as observed; <strong>adjusted</strong> figures are{' '}
        <Defined term="adjustedRate">regression standardised</Defined>: a logistic model of each
        outcome on the group and {set}, its predictions for every eligible episode
        {episodes === null || episodes === undefined
          ? ''
          : ` (${bigCount(episodes)} for ${label(shown.measure)})`}{' '}
        averaged as if all were in each group in turn. They describe the same people as the crude
        figures, so a difference left after adjustment is not explained by who was treated.{' '}
        {support === null ? (
          'Fewer than two groups can be compared for this rate.'
        ) : support.shareOutside === null ? (
          <>
            The <Defined term="directStandardisation">directly standardised</Defined> sensitivity
            analysis leaves fewer than {k} eligible episodes outside common support.
          </>
        ) : (
          <>
            The <Defined term="directStandardisation">directly standardised</Defined> sensitivity
            analysis uses the strata of <Defined term="commonSupport">common support</Defined> only:{' '}
            {percent(support.shareOutside)} of eligible episodes for {label(shown.measure)} are
            outside it.
          </>
        )}
      </p>
      {notes.length > 0 && (
        <ul className="method-note" aria-label="Notes on the model">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
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
          { key: DIRECT, name: 'Directly standardised (common support)', color: '#b5a06a' },
        ]}
        testId="adjusted-chart"
      />
      <ComparisonTable
        label="Crude and adjusted comparison"
        header={[
          'Outcome',
          'Group',
          <>
            <Defined term="crude">Crude rate</Defined> (95% CI)
          </>,
          <>
            <Defined term="adjustedRate">Adjusted rate</Defined> (95% CI)
          </>,
          `Crude difference from ${label(reference)}`,
          `Adjusted difference from ${label(reference)}`,
          <>
            Adjusted <Defined term="riskRatio">risk ratio</Defined> to {label(reference)}
          </>,
        ]}
        rows={rows}
      />
      <ComparisonTable
        label="Sensitivity analysis: direct standardisation"
        caption={
          <>
            Sensitivity analysis:{' '}
            <Defined term="directStandardisation">direct standardisation</Defined> over the strata
            of <Defined term="commonSupport">common support</Defined>, beside the crude rate of the
            same supported episodes
          </>
        }
        header={[
          'Outcome',
          'Group',
          'Directly standardised (95% CI)',
          'Crude, supported episodes (95% CI)',
          'Eligible episodes outside support',
          <>
            Mantel-Haenszel <Defined term="riskRatio">risk ratio</Defined> to {label(reference)}
          </>,
        ]}
        rows={sensitivity}
      />
      {within !== null && (
        <WithinResults within={within} reference={reference} k={k} rate={shown.measure} />
      )}
    </>
  );
}

/** A table of the comparison: its header cells, then one row of text per group. */
function ComparisonTable({
  label: name,
  caption,
  header,
  rows,
}: {
  label: string;
  caption?: ReactNode;
  header: ReactNode[];
  rows: string[][];
}) {
  return (
    <TableRegion label={name}>
      <table aria-label={name}>
        {caption === undefined ? null : <caption>{caption}</caption>}
        <thead>
          <tr>
            {header.map((cell, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
              <th key={i}>{cell}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.slice(0, 3).join('|')}>
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
  );
}

/** The comparison inside each level of the second dimension, for the rate shown. */
function WithinResults({
  within,
  reference,
  k,
  rate,
}: {
  within: NonNullable<AdjustedComparisonResult['within']>;
  reference: string;
  k: number;
  rate: AdjustedMeasure['measure'];
}) {
  const test = within.heterogeneity.find((h) => h.measure === rate);
  const rows = within.levels.flatMap((level) => {
    const m = level.measures.find((x) => x.measure === rate);
    if (m === undefined) return [];
    return m.groups.map((g) => {
      const d = m.differences.find((x) => x.group === g.group);
      const r = m.ratios.find((x) => x.group === g.group);
      const isReference = g.group === reference;
      return [
        label(level.level),
        label(g.group),
        rateText(g.crude, k),
        g.crude === null
          ? fewerThan(k)
          : m.model?.fitted === false
            ? 'not fitted'
            : estimateText(g.adjusted, percent),
        isReference ? 'reference' : estimateText(d?.adjusted ?? null, percentagePoints),
        isReference ? 'reference' : estimateText(r?.adjusted ?? null, twoDecimals),
      ];
    });
  });
  return (
    <section aria-labelledby="within-title">
      <h3 id="within-title">
        {label(rate)} within each {label(within.dimension).toLowerCase()}
      </h3>
      <p className="method-note" data-testid="heterogeneity">
        <Defined term="heterogeneity">Test of heterogeneity</Defined> (does the difference change
        between levels?):{' '}
        {test?.test == null
          ? `not computed: ${test?.detail ?? 'no comparison'}.`
          : `likelihood ratio χ² = ${twoDecimals(test.test.statistic)} on ${test.test.df} df, p = ${pValue(test.test.p)}.`}
      </p>
      <ComparisonTable
        label={`Adjusted comparison within each ${label(within.dimension)}`}
        header={[
          label(within.dimension),
          'Group',
          <>
            <Defined term="crude">Crude rate</Defined> (95% CI)
          </>,
          <>
            <Defined term="adjustedRate">Adjusted rate</Defined> (95% CI)
          </>,
          `Adjusted difference from ${label(reference)}`,
          <>
            Adjusted <Defined term="riskRatio">risk ratio</Defined> to {label(reference)}
          </>,
        ]}
        rows={rows}
      />
    </section>
  );
}

const pValue = (p: number) => (p < 0.001 ? '< 0.001' : fixed(p, 3));
