import { FIDELITY_MEASURES } from './fidelity.js';
import { EPISODE_FLAGS } from './flags.js';
import { EPISODE_COUNTS, RATE_MEASURES } from './registry.js';
import { STATISTICS } from './statistics.js';

/**
 * The revision of the fold's shape: raise it when the fold changes what it classifies in a way
 * the flag list does not show (a stored column, a changed rule of an existing flag). 1: signals
 * for care; 2: the PHQ-9 total by session; 3: recorded time and scores in the row, and the
 * history of projections (as-of questions); 4: flags stored in one column; 5: medication started
 * after an ended episode's last session does not count (docs/outcomes.md, "Medication"); 6: the
 * problem area at the landmark and the session medication started (time zero).
 */
export const FOLD_REVISION = 6;

/** FNV-1a, 32 bits: a short, stable fingerprint (not a security hash). */
function fingerprint(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
const hex = (n: number) => n.toString(16).padStart(8, '0');

/**
 * The version of the per-episode classification that rows carry (`fold_version`): a
 * fingerprint of the revision and the flag set, so adding or removing a flag gives a new
 * version by itself. Rows whose version differs are folded again from their events when the
 * projector starts, history included. Never 0 (the column's default for rows before it).
 */
export const FOLD_VERSION = fingerprint(JSON.stringify({ FOLD_REVISION, EPISODE_FLAGS })) || 1;

/**
 * The definitions every number is computed under, as cited beside it (docs/outcomes.md, "As of and
 * releases"): the fold revision and a fingerprint of the registry of flags, counts, rates,
 * statistics and fidelity measures, so a change to any definition gives a new version without
 * anyone remembering to raise it. A frozen release records the version its rows were folded under.
 */
export const DEFINITIONS_VERSION = `${FOLD_REVISION}.${hex(
  fingerprint(
    JSON.stringify({ EPISODE_FLAGS, EPISODE_COUNTS, RATE_MEASURES, STATISTICS, FIDELITY_MEASURES }),
  ),
)}`;
