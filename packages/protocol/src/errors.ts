/**
 * Typed errors of the domain. Callers branch on `code`, never on message text, so messages can
 * stay written for people.
 */
export type ProtocolErrorCode =
  | 'INVALID_PHQ9_ITEMS'
  | 'INVALID_PHQ9_TOTAL'
  | 'INVALID_SESSION_COUNT'
  | 'INVALID_EPISODE_EVENTS'
  | 'INSUFFICIENT_DATA'
  | 'INVALID_ARGUMENT';

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
  }
}
