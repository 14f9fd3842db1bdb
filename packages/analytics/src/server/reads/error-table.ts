import { ProtocolError } from '@ipt/protocol';
import { WarehouseError } from '@ipt/warehouse';
import { z } from 'zod';
import {
  AccessDeniedError,
  BudgetExceededError,
  ConflictError,
  NotFoundError,
  ProtectionUnavailableError,
  QuestionError,
  UnauthenticatedError,
} from '../../errors.js';
import { issuesMessage } from '../../issues-message.js';

/** The tRPC error codes a refusal maps to (tRPC's own names; no tRPC import here). */
export type RefusalTrpcCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TIMEOUT'
  | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE';

/** How one refusal reads on every surface: REST status and code, tRPC code, the message. */
export interface Refusal {
  status: number;
  /** The REST error body's `code`. */
  code: string;
  trpc: RefusalTrpcCode;
  message: string;
  /** Seconds for `Retry-After`, when retrying later can succeed. */
  retryAfterSeconds?: number;
}

/** Outages pass: a retry a few seconds on may well succeed. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The one table of refusals of a read: every domain error the analytics service throws, and
 * the warehouse's outages, as REST and tRPC answer them. Anything not here is an internal
 * error, which each surface redacts. Both surfaces use this table, so the same question is
 * refused with the same status and words on both.
 */
export function refusalOf(error: unknown): Refusal | null {
  if (error instanceof z.ZodError) {
    return refusal(400, 'invalid_query', 'BAD_REQUEST', issuesMessage(error.issues));
  }
  if (error instanceof QuestionError || error instanceof ProtocolError) {
    return refusal(400, 'invalid_query', 'BAD_REQUEST', error.message);
  }
  if (error instanceof UnauthenticatedError) {
    return refusal(401, 'unauthorized', 'UNAUTHORIZED', error.message);
  }
  if (error instanceof AccessDeniedError) {
    return refusal(403, 'forbidden', 'FORBIDDEN', error.message);
  }
  if (error instanceof NotFoundError) return refusal(404, 'not_found', 'NOT_FOUND', error.message);
  if (error instanceof ConflictError) return refusal(409, 'conflict', 'CONFLICT', error.message);
  if (error instanceof BudgetExceededError) {
    return {
      ...refusal(429, 'budget_exceeded', 'TOO_MANY_REQUESTS', error.message),
      retryAfterSeconds: error.retryAfterSeconds,
    };
  }
  if (error instanceof ProtectionUnavailableError) {
    return {
      ...refusal(503, 'unavailable', 'SERVICE_UNAVAILABLE', error.message),
      retryAfterSeconds: RETRY_AFTER_SECONDS,
    };
  }
  if (error instanceof WarehouseError) return warehouseRefusal(error);
  return null;
}

function warehouseRefusal(error: WarehouseError): Refusal | null {
  switch (error.kind) {
    case 'unavailable':
    case 'locked':
      return {
        ...refusal(
          503,
          'unavailable',
          'SERVICE_UNAVAILABLE',
          'the warehouse is unavailable; retry later',
        ),
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      };
    case 'timeout':
      return refusal(
        408,
        'query_timeout',
        'TIMEOUT',
        'the question ran past the time limit of one query; narrow the filters or grouping',
      );
    case 'memory_limit':
      return refusal(
        413,
        'query_too_large',
        'PAYLOAD_TOO_LARGE',
        'the question needs more memory than one query may use; narrow the filters or grouping',
      );
    default:
      return null;
  }
}

const refusal = (status: number, code: string, trpc: RefusalTrpcCode, message: string) => ({
  status,
  code,
  trpc,
  message,
});
