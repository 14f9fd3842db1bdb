import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '@ipt/analytics';

/**
 * Server-side dashboard sessions. The browser holds only an opaque random id (in an HttpOnly,
 * SameSite=Strict cookie); the store keeps its SHA-256, so a dump of the store yields no usable
 * id. A session ends at sign-out, after `idleMs` without a request, `absoluteMs` after sign-in,
 * or as soon as the key it was opened with is no longer configured.
 *
 * In memory: a restart signs everyone out, and scaled dashboard replicas need sticky sessions
 * (or one replica per user group). That is the trade for keeping no session secret on disk.
 */
export interface SessionOptions {
  idleMs: number;
  absoluteMs: number;
  /** Whether the key a session was opened with is still configured (checked on every use). */
  keyStillValid: (keySha256: string) => boolean;
  now?: () => number;
  /** Bound on live sessions; the oldest go first past it. */
  maxSessions?: number;
}

interface Session {
  principal: Principal;
  /** The read key it was opened with; null for OpenID Connect sessions. */
  keySha256: string | null;
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionStore {
  /** Opens a session; returns the id for the cookie (never stored as such). */
  open(principal: Principal, keySha256: string | null): string;
  /** The principal of a live session, refreshing its idle timer; null when none or ended. */
  resolve(id: string): Principal | null;
  close(id: string): void;
  size(): number;
}

const hashId = (id: string) => createHash('sha256').update(id).digest('base64url');

export function createSessionStore(options: SessionOptions): SessionStore {
  const now = options.now ?? Date.now;
  const max = options.maxSessions ?? 10_000;
  const sessions = new Map<string, Session>();
  return {
    open(principal, keySha256) {
      const id = randomBytes(32).toString('base64url');
      const at = now();
      sessions.set(hashId(id), { principal, keySha256, createdAt: at, lastSeenAt: at });
      for (const key of sessions.keys()) {
        if (sessions.size <= max) break;
        sessions.delete(key);
      }
      return id;
    },
    resolve(id) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
      const key = hashId(id);
      const session = sessions.get(key);
      if (session === undefined) return null;
      const at = now();
      const expired =
        at - session.lastSeenAt > options.idleMs || at - session.createdAt > options.absoluteMs;
      const revoked = session.keySha256 !== null && !options.keyStillValid(session.keySha256);
      if (expired || revoked) {
        sessions.delete(key);
        return null;
      }
      session.lastSeenAt = at;
      return session.principal;
    },
    close(id) {
      sessions.delete(hashId(id));
    },
    size: () => sessions.size,
  };
}
