/**
 * @fileoverview HttpError helpers: the contract's status and code for each, and Retry-After in
 * whole seconds of at least one.
 */
import { describe, expect, it } from 'vitest';
import {
  badRequest,
  forbidden,
  HttpError,
  notFound,
  payloadTooLarge,
  tooManyRequests,
  unauthorized,
  unavailable,
  unsupportedMediaType,
} from './http-error.js';

describe('http errors', () => {
  it.each([
    [badRequest('x'), 400, 'bad_request'],
    [badRequest('x', 'invalid_batch'), 400, 'invalid_batch'],
    [unauthorized(), 401, 'unauthorized'],
    [forbidden('x'), 403, 'forbidden'],
    [notFound(), 404, 'not_found'],
    [payloadTooLarge('x'), 413, 'payload_too_large'],
    [unsupportedMediaType('x'), 415, 'unsupported_media_type'],
    [tooManyRequests(5), 429, 'rate_limited'],
    [unavailable(5), 503, 'unavailable'],
  ])('%#: status %i, code %s', (error, status, code) => {
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.toBody()).toEqual({ error: { code, message: error.message } });
  });

  it('challenges for a bearer token on 401', () => {
    expect(unauthorized().headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="ipt-outcomes"' });
  });

  it.each([
    [30, '30'],
    [2.1, '3'],
    [0.2, '1'],
    [0, '1'],
    [-5, '1'],
    [Number.NaN, '1'],
  ])('sends Retry-After %d as %s', (seconds, header) => {
    expect(tooManyRequests(seconds).headers).toEqual({ 'Retry-After': header });
    expect(unavailable(seconds).headers).toEqual({ 'Retry-After': header });
  });

  it('keeps the cause for the log', () => {
    const cause = new Error('broker down');
    expect(unavailable(1, 'down', cause).cause).toBe(cause);
  });
});
