import { ProtocolError } from './errors.js';

/*
 * The k rule (docs/outcomes.md, "Disclosure control"). Every aggregate cell counts distinct episodes;
 * a cell of 1 to k-1 reads "fewer than k". There is no complementary suppression: for protected
 * readers, a margin minus the shown cells of a perturbed table is the small cell plus the sum of
 * the shown cells' and the margin's independent noises (the ABS TableBuilder and the ONS 2021
 * Census publish perturbed tables without consequential suppression for that reason); exact
 * readers are trusted with the exact data. Complements on top of the noise blanked most of a
 * 3-way table and bought nothing the noise does not give. Protected counts: `protectedCount`.
 */

/**
 * Default minimum cell size: counts from 1 to 10 are withheld, the threshold of the PCORnet and
 * CMS cell-size suppression policies (docs/outcomes.md).
 */
export const DEFAULT_MIN_CELL_SIZE = 11;

/**
 * The lowest k a deployment may configure: OHDSI, the most permissive of the policies docs/outcomes.md
 * cites, withholds counts below 5. NHS Digital's 1-7 sits between this and the default.
 */
export const MIN_CELL_SIZE_FLOOR = 5;

/**
 * Validates a configured minimum cell size k (cells with a count below k are suppressed).
 *
 * @param k the configured threshold; DEFAULT_MIN_CELL_SIZE (11) when not given
 * @returns k itself
 * @throws ProtocolError INVALID_ARGUMENT when k is not a whole number or is below
 *   MIN_CELL_SIZE_FLOOR (5)
 */
export function resolveMinCellSize(k: number = DEFAULT_MIN_CELL_SIZE): number {
  if (!Number.isInteger(k)) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `The minimum cell size k must be a whole number (cells with fewer episodes are ` +
        `suppressed; default ${DEFAULT_MIN_CELL_SIZE}); got ${k}.`,
    );
  }
  if (k < MIN_CELL_SIZE_FLOOR) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `The minimum cell size k cannot be below ${MIN_CELL_SIZE_FLOOR}: that is OHDSI's ` +
        `threshold, the most permissive of the published policies (PCORnet and CMS use 11), ` +
        `and smaller cells can identify people; got ${k}.`,
    );
  }
  return k;
}

/**
 * A count released to an exact reader (the steward; a clinic's readers for their own clinics):
 * the count itself from k on, `null` ("fewer than k") from 1 to k-1, and 0 for an empty cell.
 * Nothing else is withheld: these readers are trusted with the exact data, and every read is in
 * the access log. (Protected readers never see a 0: an empty cell reads "fewer than k" like a
 * small one, see `protectedCount`.)
 *
 * @param count distinct episodes (or another whole-number count) in the cell, 0 or more
 * @param k the minimum cell size; validated by `resolveMinCellSize`
 * @throws ProtocolError INVALID_ARGUMENT for a bad k, or a count that is not a whole number of 0
 *   or more
 */
export function exactCount(count: number, k: number): number | null {
  const minimum = resolveMinCellSize(k);
  if (!(Number.isInteger(count) && count >= 0)) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `A cell count must be a whole number of episodes, 0 or more; got ${count}.`,
    );
  }
  return count === 0 || count >= minimum ? count : null;
}
