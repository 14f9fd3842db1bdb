/**
 * @fileoverview Key generation: keys carry their kind's prefix and 256 random bits, the config
 * entries hold only the hash and pass the ingest's own config parser, and a generated key is
 * found by a keyring built from those entries.
 */
import { describe, expect, it } from 'vitest';
import { parseIngestKeys, parseReadKeys } from './config.js';
import { generateKey, ingestConfigEntry, readConfigEntry } from './generate.js';
import { createKeyring, sha256Hex } from './verify.js';

describe('generateKey', () => {
  it.each([
    ['ingest', /^ipt_ingest_[A-Za-z0-9_-]{43}$/],
    ['read', /^ipt_read_[A-Za-z0-9_-]{43}$/],
  ] as const)('makes a %s key with its prefix and 32 random bytes', (kind, shape) => {
    const { key, keySha256 } = generateKey(kind);
    expect(key).toMatch(shape);
    expect(keySha256).toBe(sha256Hex(key));
  });

  it('never makes the same key twice', () => {
    const keys = new Set(Array.from({ length: 100 }, () => generateKey('ingest').key));
    expect(keys.size).toBe(100);
  });
});

describe('config entries', () => {
  it('an ingest entry holds the hash, never the key, and the ingest parses it', () => {
    const { key, keySha256 } = generateKey('ingest');
    const entry = ingestConfigEntry(keySha256, { sourceId: 'north', clinics: ['north-1'] });
    const json = JSON.stringify([entry]);
    expect(json).not.toContain(key);
    expect(json).not.toContain(key.slice('ipt_ingest_'.length));
    const keys = parseIngestKeys(json);
    expect(keys).toEqual([{ sourceId: 'north', keySha256, clinics: ['north-1'] }]);
    expect(createKeyring(keys).find(key)?.sourceId).toBe('north');
  });

  it('a read entry holds the hash, never the key, and the ingest parses it', () => {
    const { key, keySha256 } = generateKey('read');
    const entry = readConfigEntry(keySha256, { name: 'analysts', role: 'researcher' });
    const json = JSON.stringify([entry]);
    expect(json).not.toContain(key.slice('ipt_read_'.length));
    const keys = parseReadKeys(json);
    expect(Object.keys(keys[0] ?? {}).sort()).toEqual(['keySha256', 'name', 'role']);
    expect(createKeyring(keys).find(key)?.name).toBe('analysts');
  });

  it('refuses to make an entry the ingest would refuse', () => {
    const { keySha256 } = generateKey('ingest');
    expect(() => ingestConfigEntry(keySha256, { sourceId: 'north', clinics: ['*'] })).toThrow(
      'clinics[0] must be a clinic code: "*" is not allowed',
    );
  });
});
