import { createHash, timingSafeEqual } from 'node:crypto';

/** The hex SHA-256 of a key: the only form in which a key is stored or compared. */
export function sha256Hex(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export interface Keyring<K> {
  /** The entry whose hash matches the presented token, or null. */
  find(bearerToken: string): K | null;
  /** Whether an entry with this hash is configured (a session ends when its key is removed). */
  hasHash(keySha256: string): boolean;
}

/**
 * A lookup of presented tokens against configured key hashes. The token is hashed once and
 * compared against every stored hash in constant time, without stopping at a match, so the
 * response time says nothing about which entry (or how much of a hash) matched.
 */
export function createKeyring<K extends { keySha256: string }>(keys: readonly K[]): Keyring<K> {
  const entries = keys.map((entry, index) => {
    const digest = Buffer.from(entry.keySha256, 'hex');
    // Buffer.from silently drops what is not hex; a short digest would never match, so a bad
    // hash would look like a revoked key instead of a config error.
    if (digest.length !== 32) {
      throw new Error(`keys[${index}].keySha256 must be 64 hex characters`);
    }
    return { entry, digest };
  });
  return {
    find(bearerToken) {
      const presented = createHash('sha256').update(bearerToken, 'utf8').digest();
      let found: K | null = null;
      for (const { entry, digest } of entries) {
        if (timingSafeEqual(digest, presented) && found === null) found = entry;
      }
      return found;
    },
    hasHash(keySha256) {
      return entries.some(({ entry }) => entry.keySha256 === keySha256.toLowerCase());
    },
  };
}

// RFC 6750 b64token: the characters a bearer token may use, then optional "=" padding.
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The token of an `Authorization: Bearer <token>` header, or null when the header is absent,
 * uses another scheme or is malformed. The scheme is case-insensitive (RFC 7235).
 */
export function bearerToken(authorizationHeader: string | undefined): string | null {
  if (authorizationHeader === undefined) return null;
  const match = BEARER.exec(authorizationHeader.trim());
  return match?.[1] ?? null;
}
