import { sendError, sessionIdOf } from '@ipt/auth';
import type { Request, RequestHandler } from 'express';

/**
 * Guards of the dashboard's routes against the browser-borne attacks: DNS rebinding (a page
 * on another site resolving its name to this server) is refused by the Host allow-list, and
 * cross-site requests that change state by the Origin check. Sessions also use SameSite=Strict
 * cookies; these checks do not rely on it alone.
 */
export function hostAllowList(allowedHosts: readonly string[]): RequestHandler {
  const allowed = new Set(allowedHosts.map((h) => h.toLowerCase()));
  return (req, res, next) => {
    const host = hostnameOf(req.get('host'));
    if (host === null || !allowed.has(host)) {
      sendError(
        res,
        421,
        'host_not_allowed',
        'this server does not answer for that host name; add it to ALLOWED_HOSTS',
      );
      return;
    }
    next();
  };
}

/** `example.org:3000` -> `example.org`; `[::1]:3000` -> `[::1]`. */
export function hostnameOf(header: string | undefined): string | null {
  if (header === undefined || header.length === 0 || header.length > 255) return null;
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/.exec(header);
  return match?.[1]?.toLowerCase() ?? null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request that changes state and is authenticated by the session cookie must come from a
 * page of this origin. Requests with a bearer key (scripts) carry no ambient credential, so a
 * forged one gains nothing and they are not held to it.
 */
export const sameOriginForCookies: RequestHandler = (req, res, next) => {
  // Without the session cookie there is no ambient credential to abuse: such a request is
  // judged by its bearer key, or refused as unauthenticated further on.
  if (
    SAFE_METHODS.has(req.method) ||
    req.get('authorization') !== undefined ||
    sessionIdOf(req) === null
  ) {
    next();
    return;
  }
  if (!isSameOrigin(req)) {
    sendError(
      res,
      403,
      'cross_origin',
      'a request that changes state must come from a page of this dashboard',
    );
    return;
  }
  next();
};

export function isSameOrigin(req: Request): boolean {
  const origin = req.get('origin');
  const host = req.get('host');
  if (origin === undefined || host === undefined) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}
