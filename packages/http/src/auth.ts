import type { Principal } from '@ipt/analytics';
import { bearerToken, type IngestKey, type Keyring, type ReadKey } from '@ipt/auth';
import type { Request, RequestHandler } from 'express';
import { unauthorized } from './infra/http-error.js';

/**
 * Bearer-key authentication. The matched key's config entry (never the key) is remembered for
 * the request, for the handlers and the rate limiter; a WeakMap keeps it off the request object
 * and lets it go with the request.
 */
const ingestKeys = new WeakMap<Request, IngestKey>();
const readKeys = new WeakMap<Request, ReadKey>();

export const ingestKeyOf = (req: Request): IngestKey | undefined => ingestKeys.get(req);
export const readKeyOf = (req: Request): ReadKey | undefined => readKeys.get(req);

/** The reader of a request that passed `requireReadKey`, as the analytics service sees it. */
export function principalOf(req: Request): Principal {
  const key = readKeys.get(req);
  if (key === undefined) throw new Error('requireReadKey did not run');
  return { name: key.name, role: key.role, clinics: [...(key.clinics ?? [])], via: 'key' };
}

function authenticate<K>(
  keyring: Keyring<K>,
  assign: (req: Request, key: K) => void,
): RequestHandler {
  return (req, _res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (token === null) {
      next(unauthorized('send the API key as "Authorization: Bearer <key>"'));
      return;
    }
    const key = keyring.find(token);
    if (key === null) {
      next(unauthorized('the API key is not known here'));
      return;
    }
    assign(req, key);
    next();
  };
}

export const requireIngestKey = (keyring: Keyring<IngestKey>): RequestHandler =>
  authenticate(keyring, (req, key) => {
    ingestKeys.set(req, key);
  });

export const requireReadKey = (keyring: Keyring<ReadKey>): RequestHandler =>
  authenticate(keyring, (req, key) => {
    readKeys.set(req, key);
  });

/** The rate-limit bucket of a request: its source or reader, never the raw key. */
export function keyId(req: Request): string | null {
  const ingest = ingestKeys.get(req);
  if (ingest !== undefined) return `ingest:${ingest.sourceId}`;
  const read = readKeys.get(req);
  if (read !== undefined) return `read:${read.name}`;
  return null;
}
