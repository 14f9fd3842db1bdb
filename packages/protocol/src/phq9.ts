import { ProtocolError } from './errors.js';
import { LIMITS, type SeverityBand } from './vocabulary.js';

/**
 * PHQ-9 scoring. Source: Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief
 * depression severity measure. J Gen Intern Med 2001;16:606-613.
 */

/** Totals at or above this are a "case" (Kroenke 2001; also the NHS Talking Therapies cut-off). */
export const PHQ9_CASENESS_THRESHOLD = 10;

/** Lower bound of each severity band (Kroenke 2001, table 3): 0-4, 5-9, 10-14, 15-19, 20-27. */
const SEVERITY_LOWER_BOUNDS: ReadonlyArray<readonly [number, SeverityBand]> = [
  [20, 'severe'],
  [15, 'moderately_severe'],
  [10, 'moderate'],
  [5, 'mild'],
  [0, 'minimal'],
];

export interface Phq9Score {
  total: number;
  severity: SeverityBand;
  caseness: boolean;
  /**
   * Item 9 (thoughts of death or self-harm) above 0, whatever the total. It calls for clinical
   * follow-up; it is not a risk assessment: most suicides follow an item-9 answer of 0
   * (Simon et al. 2013, Psychiatr Serv 64:1195-1202).
   */
  selfHarmFlag: boolean;
}

/** Throws INVALID_PHQ9_TOTAL unless `total` is an integer 0-27. */
export function assertPhq9Total(total: number, label = 'PHQ-9 total'): void {
  if (!Number.isInteger(total) || total < LIMITS.phq9Total.min || total > LIMITS.phq9Total.max) {
    throw new ProtocolError(
      'INVALID_PHQ9_TOTAL',
      `${label} must be an integer from 0 to 27, got ${String(total)}`,
    );
  }
}

/** The severity band of a valid PHQ-9 total. */
export function phq9Severity(total: number): SeverityBand {
  assertPhq9Total(total);
  for (const [lower, band] of SEVERITY_LOWER_BOUNDS) {
    if (total >= lower) return band;
  }
  // Unreachable: assertPhq9Total guarantees total >= 0, the last lower bound.
  throw new ProtocolError('INVALID_PHQ9_TOTAL', `no severity band for ${total}`);
}

/** Scores the nine PHQ-9 items (each 0-3, in questionnaire order; all nine are required). */
export function scorePhq9(items: readonly number[]): Phq9Score {
  if (!Array.isArray(items) || items.length !== LIMITS.phq9ItemCount) {
    throw new ProtocolError(
      'INVALID_PHQ9_ITEMS',
      `PHQ-9 needs exactly 9 item scores, got ${Array.isArray(items) ? items.length : typeof items}`,
    );
  }
  let total = 0;
  items.forEach((item, index) => {
    if (!Number.isInteger(item) || item < LIMITS.phq9Item.min || item > LIMITS.phq9Item.max) {
      throw new ProtocolError(
        'INVALID_PHQ9_ITEMS',
        `PHQ-9 item ${index + 1} must be an integer from 0 to 3, got ${String(item)}`,
      );
    }
    total += item;
  });
  return {
    total,
    severity: phq9Severity(total),
    caseness: total >= PHQ9_CASENESS_THRESHOLD,
    selfHarmFlag: (items[8] ?? 0) > 0,
  };
}
