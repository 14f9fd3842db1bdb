// Covers the client's guarantee that every pseudonym it makes passes the ingest's variety check:
// a digest that fails it (about 1 in 10^11, so forced here) is hashed again, deterministically.
import { createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { isPseudonym } from '../pseudonym-rule.js';
import { createPseudonymizer } from './pseudonym.js';

const SECRET = 'clinic-secret-0123456789-abcdefghijklmnop';
const first = (localId: string) =>
  createHmac('sha256', SECRET)
    .update(`client\0${localId}`, 'utf8')
    .digest('base64url')
    .slice(0, 30);

// Treat the first digest of local id "unlucky" as failing the check, as if it had been.
vi.mock('../pseudonym-rule.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../pseudonym-rule.js')>();
  return {
    ...actual,
    isPseudonymBody: (body: string) => body !== first('unlucky') && actual.isPseudonymBody(body),
  };
});

describe('a digest without the variety of a keyed hash', () => {
  it('is hashed again, so the pseudonym is still accepted and still deterministic', () => {
    const p = createPseudonymizer(SECRET);
    const unlucky = p.clientId('unlucky');
    expect(unlucky).not.toBe(`c_${first('unlucky')}`);
    expect(isPseudonym(unlucky, 'clientId')).toBe(true);
    expect(createPseudonymizer(SECRET).clientId('unlucky')).toBe(unlucky);
    // Everyone else keeps the first digest.
    expect(p.clientId('lucky')).toBe(`c_${first('lucky')}`);
  });
});
