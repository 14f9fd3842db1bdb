import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  badRequest,
  HttpError,
  notFound,
  payloadTooLarge,
  unsupportedMediaType,
} from './http-error.js';
import type { Logger } from './logger.js';

/**
 * The one place where errors become responses. Every answer is `{"error": {"code", "message"}}`
 * JSON (EVENTS.md): express's default handler would send HTML with a stack trace outside
 * production, and a source's retry logic cannot read either.
 */

/** The fields of the errors body-parser (behind `express.json()`) raises via http-errors. */
interface BodyParserError {
  type: string;
  status?: unknown;
  limit?: unknown;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' && error !== null && 'type' in error && typeof error.type === 'string'
  );
}

/** Maps body-parser's error types to the contract's; null for types that mean a server bug. */
function fromBodyParser(error: BodyParserError): HttpError | null {
  switch (error.type) {
    case 'entity.too.large':
      return payloadTooLarge(
        typeof error.limit === 'number'
          ? `the request body is larger than the limit of ${error.limit} bytes`
          : 'the request body is too large',
      );
    case 'entity.parse.failed':
      return badRequest('the request body is not valid JSON', 'invalid_json');
    case 'charset.unsupported':
      return unsupportedMediaType('the request body must be encoded as utf-8');
    case 'encoding.unsupported':
      return unsupportedMediaType(
        'the Content-Encoding of the request body is not supported; send identity, gzip or deflate',
      );
    case 'request.size.invalid':
      return badRequest('the request body is shorter or longer than its Content-Length');
    case 'request.aborted':
      return badRequest('the request was aborted before its body was received');
    default:
      // `stream.encoding.set`, `stream.not.readable`: a middleware ordering bug on our side.
      return null;
  }
}

const CLIENT_ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
};

/**
 * Other 4xx http-errors from express or its router (a malformed percent-encoding in a path
 * parameter is a 400): the client's fault, so not a 500, which would page someone. Their own
 * messages are not forwarded: only the status and a generic message are.
 */
function fromClientHttpError(error: unknown): HttpError | null {
  if (typeof error !== 'object' || error === null) return null;
  const status = 'status' in error ? error.status : undefined;
  const expose = 'expose' in error ? error.expose : undefined;
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true) return null;
  return new HttpError(
    status,
    CLIENT_ERROR_CODES[status] ?? 'bad_request',
    'the request is invalid',
  );
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  // Four parameters: express recognises an error handler by its arity.
  return (error: unknown, req, res, next) => {
    const request = { method: req.method, path: req.path };
    if (res.headersSent) {
      // Too late for a JSON answer; express's default handler closes the connection.
      logger.error('error after the response started', { ...request, err: error });
      next(error);
      return;
    }

    let answer: HttpError;
    if (error instanceof HttpError) {
      answer = error;
      if (answer.status >= 500) logger.warn(answer.message, { ...request, err: error });
    } else {
      const mapped =
        (isBodyParserError(error) ? fromBodyParser(error) : null) ?? fromClientHttpError(error);
      if (mapped === null) {
        logger.error('unhandled error', { ...request, err: error });
        answer = new HttpError(500, 'internal_error', 'an internal error occurred');
      } else {
        logger.debug('refused a request', { ...request, status: mapped.status, code: mapped.code });
        answer = mapped;
      }
    }
    if (answer.headers !== undefined) res.set(answer.headers);
    res.status(answer.status).json(answer.toBody());
  };
}

/** The last route: any request no route matched. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(notFound(`no route for ${req.method} ${req.path}`));
};

/**
 * Refuses a body that is not `application/json` before `express.json()` runs: that parser
 * silently skips other types, which would leave the route to report a confusing "missing
 * events" instead of the 415 the contract promises.
 */
export const requireJson: RequestHandler = (req, _res, next) => {
  const problem = jsonContentTypeProblem(req.headers['content-type']);
  next(problem === null ? undefined : unsupportedMediaType(problem));
};

/** Why a Content-Type header is not `application/json` (utf-8 if a charset is given), or null. */
export function jsonContentTypeProblem(header: string | undefined): string | null {
  const expected = 'Content-Type must be application/json';
  if (header === undefined) return `${expected}; the request has none`;
  const [mediaType = '', ...parameters] = header.split(';');
  if (mediaType.trim().toLowerCase() !== 'application/json') return expected;
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=');
    if (name.trim().toLowerCase() !== 'charset') continue;
    const charset = value
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8') return `${expected} in utf-8`;
  }
  return null;
}
