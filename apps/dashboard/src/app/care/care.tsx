'use client';

import { useFilters } from '../../lib/use-filters';
import { useMe } from '../../lib/use-me';
import { ExpectedRecovery } from './expected-recovery';
import { OffTrackList } from './off-track-list';

/**
 * Expected recovery curves for every reader; a clinic's open episodes off track, and one of its
 * episodes laid over its band, for the clinic's own readers and the steward only (the server
 * refuses the others too). The chosen band and episode live in the URL.
 */
export function Care() {
  const me = useMe();
  const { params, setParam } = useFilters();
  const episodes = me.data !== undefined && me.data !== null && me.data.role !== 'researcher';
  const episode = episodes ? params.get('episode') : null;
  return (
    <>
      <ExpectedRecovery
        band={params.get('band')}
        onBand={(band) => setParam('band', band)}
        episode={episode}
        onEpisode={episodes ? (id) => setParam('episode', id) : null}
      />
      {me.data === undefined ? null : episodes ? (
        <OffTrackList onShow={(id) => setParam('episode', id)} />
      ) : (
        <p className="note" data-testid="off-track-for-clinics">
          The list of open episodes off track is for each clinic's own readers and the network data
          steward.
        </p>
      )}
    </>
  );
}
