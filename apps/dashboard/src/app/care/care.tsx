'use client';

import { can } from '@ipt/analytics';
import { BASELINE_BAND_NAMES } from '@ipt/protocol';
import { IgnoredParams } from '../../components/ignored-params';
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
  const episodes = me.data !== undefined && me.data !== null && can(me.data, 'episodes:list');
  const episode = episodes ? params.get('episode') : null;
  const band = params.get('band');
  return (
    <>
      <IgnoredParams
        accepted={{
          band: (BASELINE_BAND_NAMES as readonly string[]).includes(band ?? '')
            ? true
            : `not a baseline band: ${BASELINE_BAND_NAMES.join(', ')}`,
          episode:
            me.data === undefined || episodes
              ? true
              : 'single episodes are for their clinic’s readers and the steward',
        }}
      />
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
