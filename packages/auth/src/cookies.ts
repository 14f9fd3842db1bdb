import type { Request, Response } from 'express';

/**
 * Small HTTP helpers of the dashboard's routes: the JSON error shape every API of the product
 * uses (`{"error": {"code", "message"}}`), and the session cookie.
 */
export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.set(headers).status(status).json({ error: { code, message } });
}

export const SESSION_COOKIE = 'ipt_session';

/** A cookie's value from the Cookie header, without a cookie-parsing dependency. */
export function cookieOf(req: Request, cookie: string): string | null {
  const header = req.get('cookie');
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === cookie) return value.join('=');
  }
  return null;
}

/** The session id the browser sent, if any. */
export const sessionIdOf = (req: Request): string | null => cookieOf(req, SESSION_COOKIE);

/** Secure when the request came over https (as the proxy says, when it is trusted). */
export function sessionCookie(req: Request, id: string, maxAgeSeconds: number): string {
  const secure = req.secure ? '; Secure' : '';
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export function clearedSessionCookie(req: Request): string {
  const secure = req.secure ? '; Secure' : '';
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure}`;
}

/** A local path to go back to after sign-in; anything else (another origin) becomes "/". */
export function localPath(value: unknown): string {
  if (typeof value !== 'string') return '/';
  return /^\/(?![/\\])[A-Za-z0-9\-._~/?=&%]*$/.test(value) && value.length <= 512 ? value : '/';
}
