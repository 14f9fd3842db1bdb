/**
 * @fileoverview Key verification: the keyring finds the entry whose hash matches a presented
 * token and nothing else, and the Authorization header parser accepts only `Bearer <token>`.
 */
import { describe, expect, it } from 'vitest';
import { bearerToken, createKeyring, sha256Hex } from './verify.js';

const NORTH_KEY = 'ipt_ingest_north-secret';
const SOUTH_KEY = 'ipt_ingest_south-secret';

const keyring = createKeyring([
  { sourceId: 'north', keySha256: sha256Hex(NORTH_KEY) },
  { sourceId: 'south', keySha256: sha256Hex(SOUTH_KEY) },
]);

describe('sha256Hex', () => {
  it('is the lower-case hex SHA-256 of the UTF-8 key', () => {
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('createKeyring', () => {
  it('finds the entry of a configured key', () => {
    expect(keyring.find(NORTH_KEY)?.sourceId).toBe('north');
    expect(keyring.find(SOUTH_KEY)?.sourceId).toBe('south');
  });

  it('finds nothing for an unknown key', () => {
    expect(keyring.find('ipt_ingest_unknown')).toBeNull();
    expect(keyring.find('')).toBeNull();
  });

  it('does not accept the stored hash in place of the key', () => {
    expect(keyring.find(sha256Hex(NORTH_KEY))).toBeNull();
  });

  it('matches an upper-case stored hash', () => {
    const upper = createKeyring([{ keySha256: sha256Hex(NORTH_KEY).toUpperCase() }]);
    expect(upper.find(NORTH_KEY)).not.toBeNull();
  });

  it('refuses a stored hash that is not 64 hex characters', () => {
    expect(() => createKeyring([{ keySha256: 'zz'.repeat(32) }])).toThrow(
      'keys[0].keySha256 must be 64 hex characters',
    );
  });

  it('with no keys, finds nothing', () => {
    expect(createKeyring([]).find(NORTH_KEY)).toBeNull();
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header', () => {
    expect(bearerToken(`Bearer ${NORTH_KEY}`)).toBe(NORTH_KEY);
  });

  it('accepts the scheme in any case', () => {
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('BEARER abc')).toBe('abc');
  });

  it('accepts base64 padding', () => {
    expect(bearerToken('Bearer YWJj==')).toBe('YWJj==');
  });

  it.each([
    ['an absent header', undefined],
    ['an empty header', ''],
    ['a scheme without a token', 'Bearer'],
    ['a scheme and spaces', 'Bearer   '],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a bare token', NORTH_KEY],
    ['two tokens', 'Bearer abc def'],
    ['a token with a comma', 'Bearer abc,def'],
    ['a scheme glued to the token', 'Bearerabc'],
  ])('returns null for %s', (_label, header) => {
    expect(bearerToken(header)).toBeNull();
  });
});
