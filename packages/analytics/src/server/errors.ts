/**
 * The reader may not see what it asked for: a clinic it does not belong to, a view its role
 * does not have. The API layers turn it into 403 with this message; it never names data.
 */
export class AccessDeniedError extends Error {
  override readonly name = 'AccessDeniedError';
}

/** A request conflicts with what is stored (a cohort name taken, without `replace`). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}
