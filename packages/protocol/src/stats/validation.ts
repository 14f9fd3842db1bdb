import { ProtocolError } from '../errors.js';

/** Throws INVALID_ARGUMENT unless the confidence level is a number strictly between 0 and 1. */
export function assertConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `A confidence level must be strictly between 0 and 1 (0.95 for 95%); got ${confidence}.`,
    );
  }
}

/**
 * Throws INVALID_ARGUMENT naming the first value that is not a finite number.
 *
 * @param what what needs the values, to start the message, e.g. 'A mean' or 'The baselines'
 */
export function assertFiniteValues(values: readonly number[], what: string): void {
  values.forEach((value, index) => {
    if (!Number.isFinite(value)) {
      throw new ProtocolError(
        'INVALID_ARGUMENT',
        `${what} must be finite numbers; value ${index + 1} of ${values.length} is ${value}.`,
      );
    }
  });
}
