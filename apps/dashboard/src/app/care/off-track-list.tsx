'use client';

import { type BasisStamp, type OffTrackListResult, offTrackCsv } from '@ipt/analytics';
import { useQuery } from '@tanstack/react-query';
import { Defined } from '../../components/defined';
import { Failed, Loading } from '../../components/states';
import { TextTable } from '../../components/text-table';
import { answerCsv, downloadCsv } from '../../lib/csv';
import { mean } from '../../lib/format';
import { useFilters } from '../../lib/use-filters';
import { useTRPC } from '../../trpc/client';

/** The list's table, which the CSV repeats cell for cell (without the Show buttons). */
function tableOf(result: OffTrackListResult) {
  // An episode is judged at its latest scored session from 3 to 8 (the definition of off
  // track); it may have been seen since, so both sessions are named.
  const header = [
    'episode',
    'clinic',
    'baseline',
    'off track at session',
    'PHQ-9 there',
    'expected there (10th-90th)',
    'last seen at session',
  ];
  const rows = result.episodes.map((e) => [
    e.episodeId,
    e.clinic,
    e.band,
    String(e.session),
    String(e.total),
    `${mean(e.expected.p10)}–${mean(e.expected.p90)}`,
    String(e.lastSession),
  ]);
  return { header, rows };
}

/**
 * The reader's clinics' open episodes off track now. Pseudonyms only: the clinic maps them back
 * with its own secret (`reidentify` in @ipt-outcomes/source); the CSV is for doing that.
 */
export function OffTrackList({ onShow }: { onShow: (episodeId: string) => void }) {
  const trpc = useTRPC();
  const { basis } = useFilters();
  const query = useQuery(trpc.care.offTrack.queryOptions({ ...basis }));
  return (
    <section aria-labelledby="off-track">
      <h2 id="off-track">
        Open episodes <Defined term="offTrack">off track</Defined> now
      </h2>
      {query.isPending ? (
        <Loading what="the off-track list" />
      ) : query.isError ? (
        <Failed message={query.error.message} />
      ) : query.data.episodes.length === 0 ? (
        <div className="state" role="status">
          No open episode of your clinics is off track.
        </div>
      ) : (
        <Table result={query.data} onShow={onShow} />
      )}
    </section>
  );
}

function Table({
  result,
  onShow,
}: {
  result: OffTrackListResult & { basis?: BasisStamp };
  onShow: (episodeId: string) => void;
}) {
  const { header, rows } = tableOf(result);
  return (
    <>
      <div className="toolbar">
        <span className="note" data-testid="off-track-count">
          {result.episodes.length} open {result.episodes.length === 1 ? 'episode' : 'episodes'} off
          track{result.truncated ? ' (the first; more are off track: narrow by clinic)' : ''}.
          Re-identify them at the clinic with its own secret.
        </span>
        <button
          type="button"
          data-testid="off-track-csv"
          onClick={() => downloadCsv('ipt-off-track.csv', answerCsv(offTrackCsv(result), result))}
        >
          Download CSV
        </button>
      </div>
      <TextTable
        label="Open episodes off track"
        header={header}
        rows={rows}
        rowKey={(cells) => cells[0] ?? ''}
        action={{
          header: 'chart',
          cell: (cells) => (
            <button
              type="button"
              onClick={() => {
                onShow(cells[0] ?? '');
                document.getElementById('expected-recovery')?.scrollIntoView();
              }}
              aria-label={`Show ${cells[0]} over its band`}
            >
              Show
            </button>
          ),
        }}
      />
    </>
  );
}
