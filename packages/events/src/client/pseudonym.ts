/**
 * Source-side pseudonyms and date shifting. Everything here runs inside the clinic: the secret
 * never leaves it, so the network only ever sees keyed hashes of local record numbers and
 * consistently shifted dates, and cannot reverse either without the clinic's key.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { isPseudonymBody, PSEUDONYM_BODY_LENGTH } from '../pseudonym-rule.js';
import { addDaysToIsoDate } from './iso-date.js';

/** Shorter secrets make the HMAC guessable by brute force over small local id spaces. */
export const MIN_SECRET_BYTES = 32;

/** Characters of HMAC output kept after the prefix: 30 base64url chars carry 180 bits. */
const DIGEST_CHARS = PSEUDONYM_BODY_LENGTH;

export interface PseudonymizerOptions {
  /** Smallest date shift in days (inclusive). Default -364. */
  readonly minShiftDays?: number;
  /**
   * Largest date shift in days (inclusive). Default -1: shifting only into the past keeps a
   * recent real date from becoming a future one, which the ingest refuses.
   */
  readonly maxShiftDays?: number;
}

export interface Pseudonymizer {
  /** `c_` + 30 base64url chars: the `clientId` pseudonym of a local client record id. */
  clientId(localId: string): string;
  /** `e_` + 30 base64url chars: the `episodeId` pseudonym of a local episode id. */
  episodeId(localId: string): string;
  /** `t_` + 30 base64url chars: the `therapistId` pseudonym of a local staff id. */
  therapistId(localId: string): string;
  /**
   * A UUID (version 8) keyed on a local record key, e.g. `Encounter/881/session.attended`: the
   * same record always gets the same event id, so sending it again is stored once, and a later
   * correction can retract it by id without the source keeping a table of ids it sent.
   */
  eventId(localKey: string): string;
  /** Shifts a `YYYY-MM-DD` date by the client's offset, so intervals within a client survive. */
  shiftDate(localClientId: string, isoDate: string): string;
  /** The client's offset in days, the same for every call with the same secret and client. */
  dateOffsetDays(localClientId: string): number;
}

/**
 * Domain labels keep the derivations independent: the same local id used as a client and a
 * therapist id yields unrelated pseudonyms, and the date offset reveals nothing about either.
 */
type Domain = 'client' | 'episode' | 'therapist' | 'event' | 'date-shift';

/**
 * Creates the pseudonymizer for one clinic secret (at least 32 bytes; a string is taken as
 * UTF-8). Pseudonyms carry a fixed letter prefix so they can never be all digits, which the
 * ingest refuses to keep raw record numbers out.
 */
export function createPseudonymizer(
  secret: string | Uint8Array,
  options: PseudonymizerOptions = {},
): Pseudonymizer {
  const key = secretKey(secret);
  const minShiftDays = options.minShiftDays ?? -364;
  const maxShiftDays = options.maxShiftDays ?? -1;
  if (
    !Number.isSafeInteger(minShiftDays) ||
    !Number.isSafeInteger(maxShiftDays) ||
    minShiftDays > maxShiftDays
  ) {
    throw new RangeError(
      `Date shift window must be integers with min <= max, got ${minShiftDays}..${maxShiftDays}`,
    );
  }
  const span = maxShiftDays - minShiftDays + 1;

  const digest = (domain: Domain, localId: string): Buffer => {
    if (typeof localId !== 'string' || localId.length === 0) {
      throw new Error(`A local ${domain} id must be a non-empty string`);
    }
    return createHmac('sha256', key).update(`${domain}\0${localId}`, 'utf8').digest();
  };
  const pseudonym = (prefix: string, domain: Domain, localId: string): string => {
    let body = digest(domain, localId).toString('base64url').slice(0, DIGEST_CHARS);
    // About 1 in 10^11 digests lacks the variety the ingest requires of a keyed hash (too few
    // different characters, or a long run of one: pseudonym-rule.ts). Such a digest is hashed
    // again under the same key, so every pseudonym made here is accepted; the result is still a
    // deterministic keyed hash of the local id.
    for (let round = 1; !isPseudonymBody(body); round++) {
      body = createHmac('sha256', key)
        .update(`${domain}\0${localId}\0${round}`, 'utf8')
        .digest()
        .toString('base64url')
        .slice(0, DIGEST_CHARS);
    }
    return `${prefix}${body}`;
  };
  const dateOffsetDays = (localClientId: string): number => {
    // 48 bits modulo a span of a few hundred days: the modulo bias is below 2^-38.
    const draw = digest('date-shift', localClientId).readUIntBE(0, 6);
    return minShiftDays + (draw % span);
  };

  return Object.freeze({
    clientId: (localId: string) => pseudonym('c_', 'client', localId),
    episodeId: (localId: string) => pseudonym('e_', 'episode', localId),
    therapistId: (localId: string) => pseudonym('t_', 'therapist', localId),
    eventId: (localKey: string) => keyedUuid(digest('event', localKey)),
    dateOffsetDays,
    shiftDate: (localClientId: string, isoDate: string) =>
      addDaysToIsoDate(isoDate, dateOffsetDays(localClientId)),
  });
}

/** Copies the secret into a KeyObject, so later changes to the caller's buffer cannot leak in. */
function secretKey(secret: string | Uint8Array): KeyObject {
  let bytes: Buffer;
  if (typeof secret === 'string') {
    bytes = Buffer.from(secret, 'utf8');
  } else if (secret instanceof Uint8Array) {
    bytes = Buffer.from(secret);
  } else {
    throw new TypeError('The pseudonym secret must be a string or a Uint8Array');
  }
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new Error(
      `The pseudonym secret must be at least ${MIN_SECRET_BYTES} bytes, got ${bytes.length}; ` +
        "generate one with crypto.randomBytes(32).toString('base64url')",
    );
  }
  return createSecretKey(bytes);
}

/** RFC 9562 version 8 (custom) layout over the first 16 bytes of a keyed digest. */
function keyedUuid(digest: Buffer): string {
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
