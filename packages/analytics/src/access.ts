import { z } from 'zod';
import { READ_ROLES } from './capabilities.js';

/** A named person or service allowed to read, as the server resolved it for this request. */
export const Principal = z.strictObject({
  name: z.string().min(1),
  role: z.enum(READ_ROLES),
  /** The clinics of a clinic reader; empty for the other roles. */
  clinics: z.array(z.string()),
  /** How the request proved who it is. */
  via: z.enum(['key', 'session', 'oidc']),
});
export type Principal = z.infer<typeof Principal>;

/**
 * What one question may read, decided once per request from the principal and the question.
 * `rows` restricts the episodes read (a clinic reader asking about its own clinics); `disclosure`
 * says whether the answer is exact or must be protected (the disclosure-control issue fills
 * in what "protected" does beyond the k rule). Every analytics function takes a Scope as a
 * required argument, so a new query cannot be written without deciding it.
 */
export interface Scope {
  principal: Principal;
  rows: { kind: 'network' } | { kind: 'clinics'; clinics: readonly string[] };
  disclosure: 'exact' | 'protected';
  /** Which episode rows the question reads: live, as of a moment, or a frozen release. */
  basis: Basis;
}

/**
 * What the numbers of an answer are computed from (docs/outcomes.md, "As of and releases"): the live
 * projection, the events recorded up to a moment (folded by today's definitions), or a frozen
 * release (its materialised rows, folded by the definitions it names).
 */
export type Basis =
  | { kind: 'live' }
  | { kind: 'asOf'; asOf: string }
  | {
      kind: 'release';
      release: string;
      asOf: string;
      definitionsVersion: string;
      /** The flags its rows were classified with: a measure needing another was not defined. */
      flags: readonly string[];
      /**
       * Whether its rows carry time zero (the problem area at the landmark, the session
       * medication started): releases frozen before cannot start a clock there.
       */
      timeZero: boolean;
    };

export const LIVE: Basis = { kind: 'live' };

/** A release name: what a paper or report cites, and what goes in a URL. */
export const ReleaseName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,62}$/,
    'a release name is 1-63 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit',
  );

/**
 * The basis of a question as asked: `asOf` (an ISO timestamp with a zone) or `release` (a
 * name), not both; neither is live.
 */
export const BasisFields = {
  asOf: z.iso
    .datetime({
      offset: true,
      error: 'asOf must be an ISO 8601 timestamp with a zone, e.g. 2026-06-30T23:59:59Z',
    })
    .optional(),
  release: ReleaseName.optional(),
};

/** What every answer says of its basis, beside its numbers. */
export interface BasisStamp {
  /** The frozen release the numbers come from; null when not from a release. */
  release: string | null;
  /** The moment the events were recorded up to; null for live numbers. */
  asOf: string | null;
  /** The definitions the rows were folded under (DEFINITIONS_VERSION). */
  definitionsVersion: string;
}
