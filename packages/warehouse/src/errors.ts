/**
 * Typed warehouse errors. Callers branch on `kind`: `unavailable` is worth a retry and maps to
 * HTTP 503; the rest are bugs or limits that a retry will not fix.
 */
export type WarehouseErrorKind =
  | 'unavailable'
  | 'locked'
  | 'timeout'
  | 'memory_limit'
  | 'query'
  | 'row_shape'
  | 'config';

export class WarehouseError extends Error {
  override readonly name = 'WarehouseError';
  constructor(
    readonly kind: WarehouseErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** ClickHouse error codes with their own kind (ClickHouse src/Common/ErrorCodes.cpp). */
const CODE_KINDS: Record<string, WarehouseErrorKind> = {
  '159': 'timeout', // TIMEOUT_EXCEEDED
  '241': 'memory_limit', // MEMORY_LIMIT_EXCEEDED
  '394': 'query', // QUERY_WAS_CANCELLED
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Whether an error from @clickhouse/client is a network failure (retryable, 503). */
export function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return /socket hang up|ECONNREFUSED|ECONNRESET|Timeout error|other side closed/i.test(
    error.message,
  );
}

/** Maps anything the client throws to a WarehouseError, keeping the cause for the logs. */
export function toWarehouseError(error: unknown, operation: string): WarehouseError {
  if (error instanceof WarehouseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/Cannot lock file|Another server instance in same directory/i.test(message)) {
    return new WarehouseError(
      'locked',
      'another process already has this embedded warehouse open (chDB binds DATA_DIR to one process); stop it or use another DATA_DIR',
      { cause: error },
    );
  }
  if (isNetworkError(error)) {
    return new WarehouseError(
      'unavailable',
      `the warehouse is unreachable during ${operation}: ${message}`,
      {
        cause: error,
      },
    );
  }
  const code = (error as { code?: unknown }).code;
  const kind = typeof code === 'string' ? (CODE_KINDS[code] ?? 'query') : 'query';
  return new WarehouseError(kind, `${operation} failed: ${message}`, { cause: error });
}
