import { FIDELITY_MEASURES } from './fidelity.js';
import { EPISODE_COUNTS, RATE_MEASURES } from './registry.js';
import { STATISTICS } from './statistics.js';

/**
 * The version of the per-episode classification (the fold and what the warehouse stores of it).
 * Raise it whenever the fold changes what it classifies or gains a stored column: rows of an
 * older version are folded again from their events when the projector starts, history
 * included. 1: signals for care; 2: the PHQ-9 total by session; 3: recorded time and scores in
 * the row, and the history of projections (as-of questions).
 */
export const FOLD_VERSION = 3;

/** FNV-1a, 32 bits: a short, stable fingerprint (not a security hash). */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The definitions every number is computed under, as cited beside it (docs/outcomes.md, "As of and
 * releases"): the fold version and a fingerprint of the registry of counts, rates, statistics
 * and fidelity measures, so a change to any definition gives a new version without anyone
 * remembering to raise it. A frozen release records the version its rows were folded under.
 */
export const DEFINITIONS_VERSION = `${FOLD_VERSION}.${fingerprint(
  JSON.stringify({ EPISODE_COUNTS, RATE_MEASURES, STATISTICS, FIDELITY_MEASURES }),
)}`;
