import { ProtocolError } from './errors.js';
import type { PlannedSessionBucket, SessionBucket } from './vocabulary.js';

/**
 * The sessions-attended bucket of an episode (docs/outcomes.md, "Groupings"): `0` none attended,
 * `1-3` initial phase only, `4-7`, `8-11` brief IPT, `12-16` a standard course, `17+` extended.
 */
export function sessionBucket(attended: number): SessionBucket {
  if (!Number.isInteger(attended) || attended < 0) {
    throw new ProtocolError(
      'INVALID_SESSION_COUNT',
      `sessions attended must be a non-negative integer, got ${String(attended)}`,
    );
  }
  if (attended === 0) return '0';
  if (attended <= 3) return '1-3';
  if (attended <= 7) return '4-7';
  if (attended <= 11) return '8-11';
  if (attended <= 16) return '12-16';
  return '17+';
}

/**
 * The largest planned sessions of each planned bucket, in order (`null`: no upper bound). The
 * warehouse's SQL for the bucket is generated from this list, so the rule is held once.
 */
export const PLANNED_SESSION_BUCKET_LIMITS: ReadonlyArray<{
  bucket: PlannedSessionBucket;
  upTo: number | null;
}> = [
  { bucket: '1-11', upTo: 11 },
  { bucket: '12-16', upTo: 16 },
  { bucket: '17+', upTo: null },
];

/** The planned-sessions bucket of an episode; null when no start event gave a plan. */
export function plannedSessionBucket(planned: number | null): PlannedSessionBucket | null {
  if (planned === null) return null;
  for (const { bucket, upTo } of PLANNED_SESSION_BUCKET_LIMITS) {
    if (upTo === null || planned <= upTo) return bucket;
  }
  throw new ProtocolError('INVALID_SESSION_COUNT', `no planned bucket for ${String(planned)}`);
}

/** A standard IPT course runs 12-16 sessions (Weissman et al. 2000); used by fidelity checks. */
export const STANDARD_COURSE_SESSIONS = { min: 12, max: 16 } as const;

/** NHS Talking Therapies: a finished course is an ended episode with at least two sessions. */
export const FINISHED_COURSE_MIN_SESSIONS = 2;

/** The latest session by which the primary problem area should be identified (initial phase). */
export const PROBLEM_AREA_DEADLINE_SESSION = 3;
