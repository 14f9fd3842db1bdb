/*
 * Cell keys for cell-key perturbation (docs/outcomes.md, "Disclosure control"; the ABS TableBuilder
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
 * The noise is a function of the cell key through a keyed draw (NoiseDraw), so neither the keys
 * nor the noise can be computed without the deployment's secrets.
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
 * The draw behind every noise: a uniform number in [0, 1) determined by a cell key and a stream
 * (0 for counts; one stream per other perturbed quantity, so the noises of different measures of
 * one cell are unrelated). The server provides it, keyed with a secret of the deployment (a
 * keyed hash, never a public function): a public draw could be inverted, so a reader who learnt
 * one noise exactly would learn the cell key behind it, and with two keys a person's record key.
 */
export type NoiseDraw = (cellKey: number, stream: number) => number;
