import { ProtocolError } from '../errors.js';

/*
 * Coefficients of Wichura's AS 241 (PPND16), highest degree first, as published; each literal is
 * the shortest decimal that round-trips to the same double as the published 20-digit value.
 */

/** Central region, |p - 0.5| <= 0.425: numerator A7..A0 and denominator B7..B1, 1. */
const CENTRAL_NUM = [
  2509.0809287301227, 33430.57558358813, 67265.7709270087, 45921.95393154987, 13731.69376550946,
  1971.5909503065513, 133.14166789178438, 3.3871328727963665,
] as const;
const CENTRAL_DEN = [
  5226.495278852854, 28729.085735721943, 39307.89580009271, 21213.794301586597, 5394.196021424751,
  687.1870074920579, 42.31333070160091, 1,
] as const;

/** Intermediate tails, r = sqrt(-ln(min(p, 1 - p))) <= 5: C7..C0 and D7..D1, 1. */
const INTERMEDIATE_NUM = [
  0.0007745450142783414, 0.022723844989269184, 0.2417807251774506, 1.2704582524523684,
  3.6478483247632045, 5.769497221460691, 4.630337846156546, 1.4234371107496835,
] as const;
const INTERMEDIATE_DEN = [
  1.0507500716444169e-9, 0.0005475938084995345, 0.015198666563616457, 0.14810397642748008,
  0.6897673349851, 1.6763848301838038, 2.053191626637759, 1,
] as const;

/** Far tails, r > 5: E7..E0 and F7..F1, 1. */
const FAR_NUM = [
  2.0103343992922881e-7, 0.000027115555687434876, 0.0012426609473880784, 0.026532189526576124,
  0.29656057182850487, 1.7848265399172913, 5.463784911164114, 6.657904643501103,
] as const;
const FAR_DEN = [
  2.0442631033899397e-15, 1.421511758316446e-7, 0.000018463183175100548, 0.0007868691311456133,
  0.014875361290850615, 0.1369298809227358, 0.599832206555888, 1,
] as const;

/** Evaluates a polynomial given highest-degree coefficient first (Horner's rule). */
function horner(coefficients: readonly number[], x: number): number {
  let result = 0;
  for (const c of coefficients) {
    result = result * x + c;
  }
  return result;
}

/**
 * Inverse of the standard normal cumulative distribution function (the quantile, or probit).
 *
 * Algorithm: Wichura, M. J. (1988). "Algorithm AS 241: The Percentage Points of the Normal
 * Distribution". Journal of the Royal Statistical Society, Series C (Applied Statistics) 37(3):
 * 477-484. doi:10.2307/2347330. PPND16, the double-precision variant: rational approximations
 * accurate to about 1 part in 1e16 over the whole of (0, 1).
 *
 * @param p probability, strictly between 0 and 1
 * @returns z such that P(Z <= z) = p for Z ~ N(0, 1)
 * @throws ProtocolError INVALID_ARGUMENT when p is not a number strictly between 0 and 1
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `The normal quantile needs a probability strictly between 0 and 1; got ${p}.`,
    );
  }

  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * horner(CENTRAL_NUM, r)) / horner(CENTRAL_DEN, r);
  }

  // Tails: work with the smaller of p and 1 - p so no precision is lost near 0.
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const x =
    r <= 5
      ? horner(INTERMEDIATE_NUM, r - 1.6) / horner(INTERMEDIATE_DEN, r - 1.6)
      : horner(FAR_NUM, r - 5) / horner(FAR_DEN, r - 5);
  return q < 0 ? -x : x;
}
