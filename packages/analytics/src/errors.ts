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

/** A question that cannot be answered as asked (e.g. days where protected numbers need months). */
export class QuestionError extends Error {
  override readonly name = 'QuestionError';
}

/** A protected reader has asked of as many distinct cohorts today as its budget allows. */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
  constructor(
    message: string,
    /** Seconds until the budget renews (the next UTC midnight). */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Protected numbers cannot be given now (episodes without a record key): 503, retry later. */
export class ProtectionUnavailableError extends Error {
  override readonly name = 'ProtectionUnavailableError';
}

/** What was named does not exist (a release): 404 with this message. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** Nobody is signed in and no read key was sent: 401. */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
}
