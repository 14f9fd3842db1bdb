/**
 * @fileoverview The clinic maps the network's pseudonymous list back to its own episode ids with
 * its own secret; another secret, or an id outside its list, matches nothing.
 */
import { describe, expect, it } from 'vitest';
import { createPseudonymizer } from './pseudonym.js';
import { reidentify } from './reidentify.js';

const SECRET = 'a clinic secret of at least thirty-two bytes, synthetic';
const OTHER = 'another clinic secret of at least thirty-two bytes, synthetic';

describe('reidentify', () => {
  const pseudo = createPseudonymizer(SECRET);
  const local = ['EP-1001', 'EP-1002', 'EP-1003'];
  const list = [
    { episodeId: pseudo.episodeId('EP-1002'), session: 5, total: 21 },
    { episodeId: pseudo.episodeId('EP-9999'), session: 4, total: 19 },
  ];

  it('gives each listed episode its local id, and keeps what it cannot map apart', () => {
    const { matched, unmatched } = reidentify(list, local, pseudo);
    expect(matched).toEqual([{ ...list[0], localEpisodeId: 'EP-1002' }]);
    expect(unmatched).toEqual([list[1]]);
  });

  it('maps nothing with another secret', () => {
    const { matched, unmatched } = reidentify(list, local, createPseudonymizer(OTHER));
    expect(matched).toEqual([]);
    expect(unmatched).toEqual(list);
  });
});
