import { type Principal, READ_ROLES, ROLES } from '@ipt/analytics';
import { Router } from 'express';
import * as client from 'openid-client';
import { z } from 'zod';
import { cookieOf, localPath, sendError, sessionCookie, sessionIdOf } from './cookies.js';
import type { ReadLimiter } from './limiter.js';
import type { SessionStore } from './sessions.js';

/**
 * Sign-in through an OpenID Connect provider (deployments): authorization code flow with PKCE
 * (S256), state and nonce, through `openid-client`. The role and clinics of the reader come
 * from configured claims of the ID token or the userinfo response; a user without a valid role
 * claim is refused, never given a default. The provider's metadata is fetched at start, so a
 * wrong issuer stops the process instead of failing at the first sign-in.
 */
export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string | undefined;
  redirectUrl: URL;
  scopes: string;
  roleClaim: string;
  clinicsClaim: string;
  nameClaim: string;
  /** Shown on the sign-in button. */
  displayName: string;
}

const CLINIC_CODE = /^[a-z0-9-]{2,32}$/;
/** How long a browser may take at the provider before its sign-in attempt is forgotten. */
const PENDING_MS = 10 * 60_000;
const MAX_PENDING = 10_000;

interface Pending {
  verifier: string;
  nonce: string;
  next: string;
  at: number;
}

export interface Oidc {
  router: Router;
  displayName: string;
}

/**
 * The sign-in attempt is bound to the browser that started it: its state also goes into a
 * short-lived cookie, and the callback must carry both. Without it, an attacker could send a
 * victim a callback link of the attacker's own attempt and sign the victim in as the attacker.
 * SameSite=Lax, because the provider sends the browser back with a cross-site navigation.
 */
const STATE_COOKIE = 'ipt_oidc_state';

function stateCookie(secure: boolean, value: string, maxAgeSeconds: number): string {
  return `${STATE_COOKIE}=${value}; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export async function createOidc(options: {
  settings: OidcSettings;
  sessions: SessionStore;
  absoluteSeconds: number;
  /** Sign-in attempts per client address, so nobody floods out the pending attempts. */
  limiter: ReadLimiter;
}): Promise<Oidc> {
  const { settings, sessions } = options;
  // Plain http only for a provider on this machine (tests, local development).
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(settings.issuer.hostname);
  const insecure = settings.issuer.protocol === 'http:' && loopback;
  if (settings.issuer.protocol !== 'https:' && !insecure) {
    throw new Error('OIDC_ISSUER must be https (plain http is allowed only on loopback)');
  }
  const config = await client.discovery(
    settings.issuer,
    settings.clientId,
    settings.clientSecret,
    undefined,
    insecure ? { execute: [client.allowInsecureRequests] } : undefined,
  );
  const pending = new Map<string, Pending>();
  const forgetOld = (now: number) => {
    for (const [state, p] of pending) {
      if (now - p.at <= PENDING_MS && pending.size <= MAX_PENDING) break;
      pending.delete(state);
    }
  };

  const router = Router();
  router.get('/auth/oidc/login', async (req, res, next) => {
    const taken = options.limiter.take(`oidc-login:${req.ip ?? 'unknown'}`);
    if (!taken.ok) {
      sendError(res, 429, 'rate_limited', 'too many sign-in attempts; try again shortly', {
        'Retry-After': String(taken.retryAfterSeconds),
      });
      return;
    }
    try {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const now = Date.now();
      forgetOld(now);
      pending.set(state, { verifier, nonce, next: localPath(req.query.next), at: now });
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUrl.href,
        scope: settings.scopes,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      res.set('Set-Cookie', stateCookie(req.secure, state, PENDING_MS / 1000));
      res.redirect(303, url.href);
    } catch (error) {
      next(error);
    }
  });

  router.get('/auth/oidc/callback', async (req, res) => {
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const attempt = pending.get(state);
    pending.delete(state);
    const sameBrowser = state !== '' && cookieOf(req, STATE_COOKIE) === state;
    res.set('Set-Cookie', stateCookie(req.secure, '', 0));
    if (attempt === undefined || !sameBrowser || Date.now() - attempt.at > PENDING_MS) {
      res.redirect(303, '/sign-in?error=oidc-expired');
      return;
    }
    let principal: Principal;
    try {
      const current = new URL(req.originalUrl, settings.redirectUrl);
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: attempt.verifier,
        expectedState: state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (idClaims === undefined) throw new Error('no ID token');
      // Providers put custom claims in the ID token or only in userinfo: read both.
      const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      principal = principalFromClaims({ ...info, ...idClaims }, settings);
    } catch (error) {
      const reason = error instanceof ClaimsError ? 'oidc-claims' : 'oidc';
      res.redirect(303, `/sign-in?error=${reason}`);
      return;
    }
    const previous = sessionIdOf(req);
    if (previous !== null) sessions.close(previous);
    const id = sessions.open(principal, null);
    res.append('Set-Cookie', sessionCookie(req, id, options.absoluteSeconds));
    res.redirect(303, attempt.next);
  });

  router.use('/auth/oidc', (_req, res) => {
    sendError(res, 404, 'not_found', 'no such sign-in route');
  });
  return { router, displayName: settings.displayName };
}

/** The reader's claims did not name a valid role and clinics: refused, never defaulted. */
export class ClaimsError extends Error {
  override readonly name = 'ClaimsError';
}

/** A principal from the provider's claims, by the configured claim names. */
export function principalFromClaims(
  claims: Record<string, unknown>,
  settings: Pick<OidcSettings, 'roleClaim' | 'clinicsClaim' | 'nameClaim'>,
): Principal {
  const role = z.enum(READ_ROLES).safeParse(claims[settings.roleClaim]);
  if (!role.success) throw new ClaimsError(`claim ${settings.roleClaim} is not a known role`);
  const name = z
    .string()
    .min(1)
    .max(128)
    .safeParse(claims[settings.nameClaim] ?? claims.sub);
  if (!name.success) throw new ClaimsError(`claim ${settings.nameClaim} is missing`);
  const raw = claims[settings.clinicsClaim];
  const list = typeof raw === 'string' ? raw.split(/[,\s]+/).filter(Boolean) : raw;
  const clinics = z.array(z.string().regex(CLINIC_CODE)).safeParse(list ?? []);
  if (!clinics.success)
    throw new ClaimsError(`claim ${settings.clinicsClaim} is not a clinic list`);
  const bound = ROLES[role.data].clinicBound;
  if (bound && clinics.data.length === 0) {
    throw new ClaimsError('a clinic reader needs at least one clinic');
  }
  return {
    name: `oidc:${name.data}`,
    role: role.data,
    // Only clinic-bound readers are scoped to clinics; the other roles read the network.
    clinics: bound ? clinics.data : [],
    via: 'oidc',
  };
}
