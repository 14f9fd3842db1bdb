import type { Principal } from '@ipt/analytics';
import type { Request } from 'express';
import { sessionIdOf } from './cookies.js';
import type { ReadKey } from './keys/config.js';
import type { Keyring } from './keys/verify.js';
import type { SessionStore } from './sessions.js';

/**
 * Who is asking. A bearer read key (scripts, `Authorization: Bearer <key>`) or a dashboard
 * session cookie; a request that presents a key is judged by the key alone, so a bad key never
 * falls back to a session.
 */
/** The read keys a deployment configures (READ_KEYS, the demo's). */
export type ReadKeyring = Keyring<ReadKey>;

export type Resolution =
  | { kind: 'principal'; principal: Principal }
  | { kind: 'none' }
  | { kind: 'bad-key'; message: string };

// RFC 6750 b64token.
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

export function principalOfKey(entry: ReadKey, via: Principal['via']): Principal {
  return { name: entry.name, role: entry.role, clinics: [...(entry.clinics ?? [])], via };
}

export function resolvePrincipal(
  req: Request,
  keys: ReadKeyring,
  sessions: SessionStore,
): Resolution {
  const header = req.get('authorization');
  if (header !== undefined) {
    const token = BEARER.exec(header.trim())?.[1];
    if (token === undefined) {
      return { kind: 'bad-key', message: 'send the read key as "Authorization: Bearer <key>"' };
    }
    const entry = keys.find(token);
    return entry === null
      ? { kind: 'bad-key', message: 'the read key is not known here' }
      : { kind: 'principal', principal: principalOfKey(entry, 'key') };
  }
  const id = sessionIdOf(req);
  const principal = id === null ? null : sessions.resolve(id);
  return principal === null ? { kind: 'none' } : { kind: 'principal', principal };
}
