/*
 * Cell keys for cell-key perturbation (OUTCOMES.md, "Disclosure control"; the ABS TableBuilder
 * method: Fraser & Wooton 2005, "A proposed method for confidentialising tabular output to
 * protect against differencing", UNECE work session on statistical data confidentiality;
 * Thompson, Broadfoot & Elazar 2013, "Methodology for the automatic confidentialisation of
 * statistical outputs from remote servers at the Australian Bureau of Statistics").
 *
 * Every episode has a secret record key, a whole number in [1, 2^32), derived on the server from
 * a per-deployment secret (never here: this package is pure and browser-safe). A cell's key is
 * the sum of its episodes' record keys modulo 2^32, so it depends only on the SET of episodes in
 * the cell, not on how the question that formed the cell was spelt, and the key of a union of
 * disjoint cells is the sum of their keys (the server can add cells up without asking again).
 * The noise is then a fixed, public function of the cell key: the secret is in the keys alone.
 */

/** Cell keys are sums of record keys modulo 2^32. */
export const CELL_KEY_MODULUS = 2 ** 32;

/** The key of the union of disjoint cells: the sum of their keys modulo 2^32. */
export function addCellKeys(...keys: readonly number[]): number {
  let total = 0;
  for (const key of keys) total = (total + key) % CELL_KEY_MODULUS;
  return total;
}

/**
 * A 32-bit mixing function (the finaliser of MurmurHash3, Appleby 2011): every input bit
 * affects every output bit, so neighbouring keys give unrelated noise.
 */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A uniform draw in [0, 1) determined by a cell key and a stream number (0 for counts, one
 * stream per perturbed sum), so the noises of different measures of one cell are unrelated.
 */
export function cellUniform(cellKey: number, stream: number): number {
  const mixed = fmix32(fmix32(cellKey >>> 0) ^ fmix32(Math.imul(stream + 1, 0x9e37_79b9)));
  return mixed / CELL_KEY_MODULUS;
}
