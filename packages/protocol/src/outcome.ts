import { assertPhq9Total, PHQ9_CASENESS_THRESHOLD } from './phq9.js';

/**
 * Outcome of a paired episode (baseline and endpoint PHQ-9 totals).
 *
 * Sources: reliable change (>= 6 PHQ-9 points) and the recovery family are the NHS Talking
 * Therapies (IAPT) definitions, here applied to PHQ-9 alone (NHS Talking Therapies Manual,
 * v7 2024, appendix on outcome measures); response (>= 50% reduction) and remission (< 5) are
 * the HEDIS/NCQA depression measures. The minimal clinically important difference is about
 * 5 points (Loewe et al. 2004, Med Care 42:1194-1201), so a change of 5 is not reliable.
 */

/** The PHQ-9 reliable change index: a change of at least this many points is reliable. */
export const RELIABLE_CHANGE_POINTS = 6;
/** Remission: an endpoint below this total. */
export const REMISSION_BELOW = 5;
/** Response: an endpoint at most this fraction of the baseline. */
export const RESPONSE_FRACTION = 0.5;

export interface OutcomeClassification {
  /** endpoint - baseline; negative is better. */
  change: number;
  reliableImprovement: boolean;
  reliableDeterioration: boolean;
  noReliableChange: boolean;
  /** The four below require baseline caseness (>= 10) and are null without it. */
  recovery: boolean | null;
  reliableRecovery: boolean | null;
  response: boolean | null;
  remission: boolean | null;
}

export function classifyOutcome(baseline: number, endpoint: number): OutcomeClassification {
  assertPhq9Total(baseline, 'baseline PHQ-9 total');
  assertPhq9Total(endpoint, 'endpoint PHQ-9 total');
  const change = endpoint - baseline;
  const reliableImprovement = -change >= RELIABLE_CHANGE_POINTS;
  const reliableDeterioration = change >= RELIABLE_CHANGE_POINTS;
  const caseAtBaseline = baseline >= PHQ9_CASENESS_THRESHOLD;
  const recovery = caseAtBaseline ? endpoint < PHQ9_CASENESS_THRESHOLD : null;
  return {
    change,
    reliableImprovement,
    reliableDeterioration,
    noReliableChange: !reliableImprovement && !reliableDeterioration,
    recovery,
    reliableRecovery: recovery === null ? null : recovery && reliableImprovement,
    // Integer comparison (2 x endpoint <= baseline) avoids any floating-point edge at 50%.
    response: caseAtBaseline ? 2 * endpoint <= baseline : null,
    remission: caseAtBaseline ? endpoint < REMISSION_BELOW : null,
  };
}
