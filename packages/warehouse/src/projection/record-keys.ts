import { createHmac } from 'node:crypto';

/**
 * Record keys for cell-key perturbation (docs/outcomes.md, "Disclosure control"): each episode's key
 * is the HMAC-SHA-256 of its pseudonym under the deployment's record-key secret, as a whole
 * number in [1, 2^32). Stable (the same episode always has the same key, in every process that
 * holds the secret) and unpredictable without the secret, which never leaves the server: the
 * warehouse stores the keys, never the secret. 0 is kept for "not keyed yet".
 */
export interface RecordKeys {
  of(episodeId: string): number;
}

/** The smallest secret accepted: 256 bits. */
export const RECORD_KEY_SECRET_BYTES = 32;

export function recordKeysFrom(secret: Uint8Array): RecordKeys {
  if (secret.length < RECORD_KEY_SECRET_BYTES) {
    throw new RangeError(
      `the record-key secret must be at least ${RECORD_KEY_SECRET_BYTES} bytes; got ${secret.length}`,
    );
  }
  const key = Buffer.from(secret);
  return {
    of(episodeId: string): number {
      const word = createHmac('sha256', key).update(episodeId).digest().readUInt32BE(0);
      return (word % 0xffff_ffff) + 1;
    },
  };
}
