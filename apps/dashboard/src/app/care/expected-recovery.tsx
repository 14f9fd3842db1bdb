'use client';

import type { BasisStamp, EpisodeScoresResult, ExpectedRecoveryResult } from '@ipt/analytics';
import { expectedRecoveryCsv } from '@ipt/analytics';
import { BASELINE_BAND_NAMES } from '@ipt/protocol';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Defined } from '../../components/defined';
import { ProtectedNote } from '../../components/protected-note';
import { Failed, Loading } from '../../components/states';
import { TextTable } from '../../components/text-table';
import { sessionAxis } from '../../lib/chart-axis';
import { answerCsv, downloadCsv } from '../../lib/csv';
import { count, mean, meanTooltip } from '../../lib/format';
import { useFilters } from '../../lib/use-filters';
import { useTRPC } from '../../trpc/client';

const DEFAULT_BAND = '16-18';

/** The band's table, which the CSV repeats cell for cell. */
function tableOf(band: ExpectedRecoveryResult['bands'][number]) {
  const header = ['session', 'scores', '10th percentile', 'median', '90th percentile'];
  const rows = band.points.map((p) => [
    String(p.session),
    count(p.n),
    mean(p.p10),
    mean(p.p50),
    mean(p.p90),
  ]);
  return { header, rows };
}

/**
 * The network's expected PHQ-9 by session for one baseline band (10th-90th percentile as a band,
 * the median as a line), with one of the reader's own episodes laid over it when asked.
 */
export function ExpectedRecovery({
  band: asked,
  onBand,
  episode,
  onEpisode,
}: {
  band: string | null;
  onBand: (band: string) => void;
  episode: string | null;
  /** Null: the reader may not see episodes one by one. */
  onEpisode: ((id: string) => void) | null;
}) {
  const trpc = useTRPC();
  const { basis } = useFilters();
  const curves = useQuery(trpc.care.expectedRecovery.queryOptions({ filters: {}, ...basis }));
  const scores = useQuery({
    ...trpc.care.episode.queryOptions({ episodeId: episode ?? '', ...basis }),
    enabled: episode !== null && episode !== '',
  });
  // An episode laid over the chart is shown against its own band.
  const band =
    scores.data?.band ??
    ((BASELINE_BAND_NAMES as readonly string[]).includes(asked ?? '') ? asked : DEFAULT_BAND);
  return (
    <section aria-labelledby="expected-recovery">
      <h2 id="expected-recovery">
        <Defined term="expectedRecovery" /> by session
      </h2>
      <div className="toolbar">
        <label>
          Baseline PHQ-9{' '}
          <select
            value={band ?? DEFAULT_BAND}
            onChange={(e) => onBand(e.target.value)}
            aria-label="Baseline band"
          >
            {BASELINE_BAND_NAMES.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        {onEpisode === null ? null : (
          <EpisodePicker key={episode ?? ''} episode={episode} onEpisode={onEpisode} />
        )}
      </div>
      {episode !== null && scores.isError ? <Failed message={scores.error.message} /> : null}
      {episode !== null && scores.data === null ? (
        <div className="state" role="status">
          No episode of your clinics has the pseudonym {episode}.
        </div>
      ) : null}
      {scores.data !== undefined && scores.data !== null && scores.data.band === null ? (
        <div className="state" role="status">
          Episode {scores.data.episodeId} has no baseline of 10 or more: no band to compare with.
        </div>
      ) : null}
      {curves.isPending ? (
        <Loading what="expected recovery" />
      ) : curves.isError ? (
        <Failed message={curves.error.message} />
      ) : (
        <Curve
          result={curves.data}
          band={band ?? DEFAULT_BAND}
          episode={scores.data?.band === band ? scores.data : null}
        />
      )}
    </section>
  );
}

function EpisodePicker({
  episode,
  onEpisode,
}: {
  episode: string | null;
  onEpisode: (id: string) => void;
}) {
  const [text, setText] = useState(episode ?? '');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onEpisode(text.trim());
      }}
    >
      <label>
        Lay an episode of your clinic over its band{' '}
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="e_…"
          aria-label="Episode pseudonym"
          size={34}
        />
      </label>{' '}
      <button type="submit">Show</button>
    </form>
  );
}

function Curve({
  result,
  band,
  episode,
}: {
  result: ExpectedRecoveryResult & { basis?: BasisStamp };
  band: string;
  episode: EpisodeScoresResult | null;
}) {
  const curve = result.bands.find((b) => b.band === band);
  if (curve === undefined || curve.points.length === 0) {
    return (
      <div className="state" role="status">
        No session of this band has {result.minCellSize} or more scores from finished courses.
      </div>
    );
  }
  const sessions = [
    ...new Set([
      ...curve.points.map((p) => p.session),
      ...(episode?.scores.map((s) => s.session) ?? []),
    ]),
  ].sort((a, b) => a - b);
  const data = sessions.map((session) => {
    const p = curve.points.find((x) => x.session === session);
    return {
      session,
      range: p === undefined ? null : [p.p10, p.p90],
      median: p?.p50 ?? null,
      episode: episode?.scores.find((s) => s.session === session)?.total ?? null,
    };
  });
  const { header, rows } = tableOf(curve);
  return (
    <>
      <ProtectedNote results={[result]} />
      <button
        type="button"
        data-testid="expected-recovery-csv"
        onClick={() =>
          downloadCsv('ipt-expected-recovery.csv', answerCsv(expectedRecoveryCsv(result), result))
        }
      >
        Download CSV
      </button>
      <div className="chart" data-testid="expected-recovery-chart">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 10, right: 20, bottom: 10, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis {...sessionAxis('session (0 = intake)')} />
            <YAxis domain={[0, 27]} allowDecimals={false} />
            <Tooltip formatter={meanTooltip} />
            <Legend />
            <Area
              dataKey="range"
              name="10th-90th percentile"
              stroke="none"
              fill="#2f5d8a"
              fillOpacity={0.18}
              isAnimationActive={false}
              connectNulls={false}
            />
            <Line
              dataKey="median"
              name="median"
              stroke="#2f5d8a"
              dot={false}
              isAnimationActive={false}
              connectNulls={false}
            />
            {episode === null ? null : (
              <Line
                dataKey="episode"
                name={`episode ${episode.episodeId.slice(0, 8)}…`}
                stroke="#9b2c2c"
                strokeWidth={2}
                isAnimationActive={false}
                connectNulls
              />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <p className="note">
        Baseline {band}: {curve.episodes === null ? '' : `${count(curve.episodes)} finished, `}
        paired episodes of the network; sessions with fewer than {result.minCellSize} scores have no
        point. An episode above the 90th percentile at a session from 3 to 8 is off track.
      </p>
      <TextTable
        label="Expected recovery"
        header={header}
        rows={rows}
        rowKey={(cells) => cells[0] ?? ''}
      />
    </>
  );
}
