import { createHash } from 'node:crypto';
import {
  isPseudonymBody,
  PSEUDONYM_BODY_LENGTH,
  PSEUDONYM_PREFIXES,
  type PseudonymField,
} from '@ipt/events';

/**
 * Turns a random token of the simulator's stream into a pseudonym of the catalog's form: the
 * field's prefix and 30 base64url characters of a SHA-256 of the token. The token is drawn as
 * before (same count of random numbers), so the random stream, and with it every calibrated
 * outcome, is unchanged; only the spelling of the ids is. Deterministic: the same token always
 * gives the same pseudonym. A digest that fails the catalog's variety check (about 1 in 10^11)
 * is hashed again, so every pseudonym made here is accepted.
 */
export function pseudonymFromToken(field: PseudonymField, token: string): string {
  let body = digest(`${field}\0${token}`);
  for (let round = 1; !isPseudonymBody(body); round++) {
    body = digest(`${field}\0${token}\0${round}`);
  }
  return `${PSEUDONYM_PREFIXES[field]}${body}`;
}

function digest(text: string): string {
  return createHash('sha256')
    .update(text, 'utf8')
    .digest('base64url')
    .slice(0, PSEUDONYM_BODY_LENGTH);
}
