/**
 * Display rounding, in one place. The APIs send every number at full precision (docs/outcomes.md,
 * "Precision"), so a reader can recompute a rate from its counts; only what the pages show is
 * rounded: rates as percentages with 1 decimal, means and intervals 1 decimal, effect sizes and
 * ratios 2 decimals, counts as whole numbers.
 */

/** `x` with `digits` decimals; never "-0.0" (a tiny negative rounds to zero, not below it). */
export function fixed(x: number, digits: number): string {
  const text = x.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text;
}

/** A proportion (0..1) as a percentage: 0.4567 -> "45.7%". */
export function percent(rate: number): string {
  return `${fixed(rate * 100, 1)}%`;
}

/** A difference of two proportions in percentage points, signed: 0.0512 -> "+5.1 pp". */
export function percentagePoints(difference: number): string {
  const text = fixed(difference * 100, 1);
  return `${Number(text) > 0 ? '+' : ''}${text} pp`;
}

/** A value already in percentage points (chart data): 45.67 -> "45.7%". */
export function points(value: number): string {
  return `${fixed(value, 1)}%`;
}

/** A mean or an interval bound (PHQ-9 points, mean change). */
export const mean = (x: number): string => fixed(x, 1);

/** An effect size (d) or a ratio (observed / expected). */
export const twoDecimals = (x: number): string => fixed(x, 2);

/** A count: a whole number (protected counts already are; this guards the display). */
export const count = (x: number): string => String(Math.round(x));

/** A count with thousands separators, for the large figures of the overview cards. */
export const bigCount = (x: number): string =>
  Math.round(x).toLocaleString('en', { maximumFractionDigits: 0 });

/** A 95% interval of means: "12.3–14.5". */
export const meanInterval = (lower: number, upper: number): string =>
  `${mean(lower)}–${mean(upper)}`;

/**
 * A recharts tooltip formatter for values in percentage points; a band ([low, high]) shows as
 * its interval. Without one, recharts prints the raw doubles with their long tails.
 */
export function percentTooltip(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => points(Number(v))).join('–');
  return typeof value === 'number' ? points(value) : String(value ?? '');
}

/** A recharts tooltip formatter for PHQ-9 means and their bands. */
export function meanTooltip(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => mean(Number(v))).join('–');
  return typeof value === 'number' ? mean(value) : String(value ?? '');
}

/**
 * What a cell below k reads, in every table and CSV-backed text of the dashboard: no count, no
 * rate (docs/outcomes.md, "Disclosure control"). Charts draw nothing for such a cell.
 */
export const fewerThan = (k: number): string => `fewer than ${k}`;

/** Whether a table's text cell is a withheld one (styled apart). */
export const isWithheld = (text: string): boolean => text.startsWith('fewer than ');
