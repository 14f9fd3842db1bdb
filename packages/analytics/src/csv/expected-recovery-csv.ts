import type { ExpectedRecoveryResult } from '../types.js';
import { csvFile } from './cells.js';

/**
 * The expected recovery curves (tRPC `care.expectedRecovery`, the Signals for care download):
 * one row per baseline band and session, the band's episodes beside each; a band below k has no
 * rows. The band is written as `16-18 at baseline` so a spreadsheet keeps it as text.
 */
export function expectedRecoveryCsv(result: ExpectedRecoveryResult): string {
  return csvFile(
    [
      'baseline',
      'band_episodes',
      'session',
      'scores',
      'p10',
      'p50',
      'p90',
      'minCellSize',
      'protected',
    ],
    result.bands.flatMap((b) =>
      b.points.map((p) => [
        `${b.band} at baseline`,
        b.episodes,
        p.session,
        p.n,
        p.p10,
        p.p50,
        p.p90,
        result.minCellSize,
        result.protected,
      ]),
    ),
  );
}
