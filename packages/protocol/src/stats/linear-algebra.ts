/*
 * The little dense linear algebra the logistic model needs: its information matrix is symmetric,
 * positive definite and small (one row per model column, tens at most), so a Cholesky
 * factorisation solves the Newton steps and inverts it for the covariance.
 */

export type Matrix = number[][];

/** A p x p matrix of zeros. */
export function zeros(p: number): Matrix {
  return Array.from({ length: p }, () => new Array<number>(p).fill(0));
}

/**
 * The lower triangular L with A = L L', or null when A is not (numerically) positive definite:
 * a pivot at or below `tolerance` times its diagonal entry.
 */
export function cholesky(a: Matrix, tolerance = 1e-12): Matrix | null {
  const p = a.length;
  const l = zeros(p);
  for (let j = 0; j < p; j++) {
    const row = a[j] as number[];
    const lj = l[j] as number[];
    let pivot = row[j] as number;
    for (let k = 0; k < j; k++) pivot -= (lj[k] as number) ** 2;
    if (!(pivot > tolerance * Math.abs(row[j] as number)) || pivot <= 0) return null;
    const root = Math.sqrt(pivot);
    lj[j] = root;
    for (let i = j + 1; i < p; i++) {
      const li = l[i] as number[];
      let sum = (a[i] as number[])[j] as number;
      for (let k = 0; k < j; k++) sum -= (li[k] as number) * (lj[k] as number);
      li[j] = sum / root;
    }
  }
  return l;
}

/** Solves L L' x = b given the Cholesky factor L. */
export function choleskySolve(l: Matrix, b: readonly number[]): number[] {
  const p = l.length;
  const y = new Array<number>(p).fill(0);
  for (let i = 0; i < p; i++) {
    const li = l[i] as number[];
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (li[k] as number) * (y[k] as number);
    y[i] = sum / (li[i] as number);
  }
  const x = new Array<number>(p).fill(0);
  for (let i = p - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < p; k++) sum -= ((l[k] as number[])[i] as number) * (x[k] as number);
    x[i] = sum / ((l[i] as number[])[i] as number);
  }
  return x;
}

/** A^-1 from the Cholesky factor of A, column by column. */
export function choleskyInverse(l: Matrix): Matrix {
  const p = l.length;
  const inverse = zeros(p);
  for (let j = 0; j < p; j++) {
    const unit = new Array<number>(p).fill(0);
    unit[j] = 1;
    const column = choleskySolve(l, unit);
    for (let i = 0; i < p; i++) (inverse[i] as number[])[j] = column[i] as number;
  }
  return inverse;
}

/** u' A v. */
export function quadraticForm(u: readonly number[], a: Matrix, v: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < u.length; i++) {
    const row = a[i] as number[];
    let inner = 0;
    for (let j = 0; j < v.length; j++) inner += (row[j] as number) * (v[j] as number);
    sum += (u[i] as number) * inner;
  }
  return sum;
}

/** A v. */
export function multiply(a: Matrix, v: readonly number[]): number[] {
  return a.map((row) => row.reduce((sum, x, j) => sum + x * (v[j] as number), 0));
}

export function dot(u: readonly number[], v: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < u.length; i++) sum += (u[i] as number) * (v[i] as number);
  return sum;
}
