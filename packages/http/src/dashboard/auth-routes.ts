import type { SessionStore } from '@ipt/auth';
import {
  clearedSessionCookie,
  localPath,
  principalOfKey,
  type ReadKeyring,
  sessionCookie,
  sessionIdOf,
} from '@ipt/auth';
import express, { Router } from 'express';
import { isSameOrigin } from './guards.js';

/**
 * Sign-in with a read key (the embedded default) and sign-out. Plain HTML form posts, so they
 * work without JavaScript; answers are redirects back to the pages. A failed sign-in says only
 * that the key was not accepted.
 */
export function authRoutes(options: {
  keys: ReadKeyring;
  sessions: SessionStore;
  absoluteSeconds: number;
  onSignIn?: (name: string) => void;
}): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: 4096, parameterLimit: 5 });

  router.post('/auth/sign-in', form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = localPath(body.next);
    // Login CSRF: a form on another site must not sign this browser in as someone else.
    if (!isSameOrigin(req)) {
      res.redirect(303, `/sign-in?error=origin&next=${encodeURIComponent(next)}`);
      return;
    }
    const key = typeof body.key === 'string' ? body.key.trim() : '';
    const entry = key.length > 0 && key.length <= 200 ? options.keys.find(key) : null;
    if (entry === null) {
      res.redirect(303, `/sign-in?error=key&next=${encodeURIComponent(next)}`);
      return;
    }
    const previous = sessionIdOf(req);
    if (previous !== null) options.sessions.close(previous);
    const id = options.sessions.open(principalOfKey(entry, 'session'), entry.keySha256);
    options.onSignIn?.(entry.name);
    res.set('Set-Cookie', sessionCookie(req, id, options.absoluteSeconds));
    res.redirect(303, next);
  });

  router.post('/auth/sign-out', (req, res) => {
    // A form on another site must not sign this browser out either.
    if (!isSameOrigin(req)) {
      res.redirect(303, '/');
      return;
    }
    const id = sessionIdOf(req);
    if (id !== null) options.sessions.close(id);
    res.set('Set-Cookie', clearedSessionCookie(req));
    res.redirect(303, '/sign-in?signedOut=1');
  });

  return router;
}
