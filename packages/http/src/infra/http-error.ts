/**
 * Errors a handler throws to answer the client with a given status. Each carries a stable
 * machine-readable `code` (sources branch on it) and a message meant for the source's engineer;
 * `errorHandler` writes them as `{"error": {"code", "message"}}` (EVENTS.md).
 */

export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

export interface HttpErrorOptions {
  headers?: Readonly<Record<string, string>>;
  /** Logged by `errorHandler`, never sent to the client. */
  cause?: unknown;
}

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(status: number, code: string, message: string, options: HttpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.code = code;
    this.headers = options.headers;
  }

  toBody(): ErrorBody {
    return errorBody(this.code, this.message);
  }
}

/**
 * `Retry-After` in whole seconds, at least 1: a fractional or zero value is read by some
 * clients as "retry now", which turns a rate limit or an outage into a retry storm.
 */
export function retryAfterHeader(seconds: number): { 'Retry-After': string } {
  const whole = Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : 1;
  return { 'Retry-After': String(whole) };
}

/** 400. `code` narrows it, e.g. `invalid_json` or `invalid_batch`. */
export function badRequest(message: string, code = 'bad_request'): HttpError {
  return new HttpError(400, code, message);
}

/** 401, with the challenge RFC 6750 asks of a bearer-token API. */
export function unauthorized(
  message = 'send a valid API key as "Authorization: Bearer <key>"',
): HttpError {
  return new HttpError(401, 'unauthorized', message, {
    headers: { 'WWW-Authenticate': 'Bearer realm="ipt-outcomes"' },
  });
}

export function forbidden(message: string): HttpError {
  return new HttpError(403, 'forbidden', message);
}

export function notFound(message = 'no such resource'): HttpError {
  return new HttpError(404, 'not_found', message);
}

export function payloadTooLarge(message: string): HttpError {
  return new HttpError(413, 'payload_too_large', message);
}

export function unsupportedMediaType(message: string): HttpError {
  return new HttpError(415, 'unsupported_media_type', message);
}

/** 429. `rate_limited` is the code the source-side client in `packages/events` expects. */
export function tooManyRequests(
  retryAfterSeconds: number,
  message = 'too many requests for this API key; retry after the Retry-After delay',
): HttpError {
  return new HttpError(429, 'rate_limited', message, {
    headers: retryAfterHeader(retryAfterSeconds),
  });
}

/** 503: nothing was accepted, the client should retry after `Retry-After` (EVENTS.md). */
export function unavailable(
  retryAfterSeconds: number,
  message = 'the service is temporarily unavailable and accepted nothing; retry after the Retry-After delay',
  cause?: unknown,
): HttpError {
  return new HttpError(503, 'unavailable', message, {
    headers: retryAfterHeader(retryAfterSeconds),
    cause,
  });
}

/**
 * 406 unless the request's Accept header allows one of `types` (no header allows all). The
 * public endpoints answer one type each; saying so beats sending what the client refused.
 */
export function requireAcceptable(accepts: (types: string[]) => string | false, types: string[]) {
  if (accepts(types) === false) {
    throw new HttpError(
      406,
      'not_acceptable',
      `this endpoint answers ${types.join(' or ')}; the Accept header allows none of them`,
    );
  }
}
