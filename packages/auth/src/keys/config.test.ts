/**
 * @fileoverview Parsing INGEST_KEYS and READ_KEYS: valid config, unset config, and every kind of
 * mistake (bad JSON, bad field, raw key in place of a hash, wildcard clinic, duplicates), each
 * reported with the variable, the entry and the field, and never with the offending secret.
 */
import { describe, expect, it } from 'vitest';
import { assertDistinctKeys, parseIngestKeys, parseReadKeys } from './config.js';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

function ingestEntry(overrides: Record<string, unknown> = {}) {
  return { sourceId: 'north-clinic', keySha256: HASH_A, clinics: ['north-1'], ...overrides };
}

function readEntry(overrides: Record<string, unknown> = {}) {
  return { name: 'analysis-team', keySha256: HASH_B, role: 'researcher', ...overrides };
}

function ingestError(entries: unknown): string {
  try {
    parseIngestKeys(JSON.stringify(entries));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected parseIngestKeys to throw');
}

function readError(entries: unknown): string {
  try {
    parseReadKeys(JSON.stringify(entries));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected parseReadKeys to throw');
}

describe('parseIngestKeys', () => {
  it('parses valid entries', () => {
    const keys = parseIngestKeys(
      JSON.stringify([
        ingestEntry(),
        ingestEntry({ sourceId: 'south.ehr_2', keySha256: HASH_B, clinics: ['s-1', 's-2'] }),
      ]),
    );
    expect(keys).toEqual([
      { sourceId: 'north-clinic', keySha256: HASH_A, clinics: ['north-1'] },
      { sourceId: 'south.ehr_2', keySha256: HASH_B, clinics: ['s-1', 's-2'] },
    ]);
  });

  it.each([undefined, '', '  \n'])('treats %j as no keys', (raw) => {
    expect(parseIngestKeys(raw)).toEqual([]);
  });

  it('lower-cases a hash pasted in upper case', () => {
    const [key] = parseIngestKeys(JSON.stringify([ingestEntry({ keySha256: 'AB'.repeat(32) })]));
    expect(key?.keySha256).toBe('ab'.repeat(32));
  });

  it('reports invalid JSON without quoting the input', () => {
    expect(() => parseIngestKeys('[{"sourceId": ipt_ingest_secret}]')).toThrow(
      /^INGEST_KEYS is not valid JSON$/,
    );
  });

  it('requires an array at the top', () => {
    expect(ingestError(ingestEntry())).toBe(
      'INGEST_KEYS must be a JSON array of {"sourceId", "keySha256", "clinics"} objects',
    );
  });

  it('names the entry and field of a hash that is not 64 hex characters', () => {
    expect(ingestError([ingestEntry(), ingestEntry({ sourceId: 'b-src', keySha256: 'abc' })])).toBe(
      'INGEST_KEYS[1].keySha256 must be 64 hex characters (the SHA-256 of the key)',
    );
  });

  it('says so, without echoing it, when a raw key is pasted as the hash', () => {
    const message = ingestError([ingestEntry({ keySha256: 'ipt_ingest_TopSecretValue' })]);
    expect(message).toBe(
      'INGEST_KEYS[0].keySha256 must be 64 hex characters: it holds a raw key; store sha256Hex(key) instead',
    );
    expect(message).not.toContain('TopSecretValue');
  });

  it('refuses a raw key field, without echoing it', () => {
    const message = ingestError([ingestEntry({ key: 'ipt_ingest_TopSecretValue' })]);
    expect(message).toBe('INGEST_KEYS[0].key is not allowed: store only keySha256, never the key');
  });

  it('refuses other unknown fields', () => {
    expect(ingestError([ingestEntry({ note: 'x' })])).toBe(
      'INGEST_KEYS[0].note is not allowed: unknown field',
    );
  });

  it('reports missing fields as required', () => {
    expect(ingestError([{ keySha256: HASH_A }])).toBe(
      'INGEST_KEYS[0].sourceId is required; INGEST_KEYS[0].clinics is required',
    );
  });

  it('refuses a malformed source id', () => {
    expect(ingestError([ingestEntry({ sourceId: 'North Clinic' })])).toMatch(
      /^INGEST_KEYS\[0\]\.sourceId must be a source id: 2-64 characters/,
    );
  });

  it('refuses an empty clinic list', () => {
    expect(ingestError([ingestEntry({ clinics: [] })])).toBe(
      'INGEST_KEYS[0].clinics must list at least one clinic code',
    );
  });

  it('refuses a malformed clinic code at its index', () => {
    expect(ingestError([ingestEntry({ clinics: ['north-1', 'North_2'] })])).toBe(
      'INGEST_KEYS[0].clinics[1] must be a clinic code: 2-32 characters from a-z, 0-9 and "-"',
    );
  });

  it('refuses a wildcard clinic: access is listed clinic by clinic', () => {
    expect(ingestError([ingestEntry({ clinics: ['*'] })])).toBe(
      'INGEST_KEYS[0].clinics[0] must be a clinic code: "*" is not allowed, list each clinic the key may write',
    );
  });

  it('refuses a clinic listed twice', () => {
    expect(ingestError([ingestEntry({ clinics: ['north-1', 'north-1'] })])).toBe(
      'INGEST_KEYS[0].clinics[1] lists "north-1" twice',
    );
  });

  it('refuses a duplicate source id', () => {
    expect(ingestError([ingestEntry(), ingestEntry({ keySha256: HASH_B })])).toBe(
      'INGEST_KEYS[1].sourceId "north-clinic" repeats INGEST_KEYS[0].sourceId',
    );
  });

  it('refuses a duplicate hash, whatever its case', () => {
    expect(
      ingestError([
        ingestEntry(),
        ingestEntry({ sourceId: 'other', keySha256: HASH_A.toUpperCase() }),
      ]),
    ).toBe('INGEST_KEYS[1].keySha256 repeats INGEST_KEYS[0].keySha256');
  });

  it('reports every problem at once', () => {
    expect(ingestError([ingestEntry({ keySha256: 'x' }), ingestEntry({ clinics: [] })])).toBe(
      'INGEST_KEYS[0].keySha256 must be 64 hex characters (the SHA-256 of the key); ' +
        'INGEST_KEYS[1].clinics must list at least one clinic code',
    );
  });
});

describe('parseReadKeys', () => {
  it('parses valid entries', () => {
    expect(parseReadKeys(JSON.stringify([readEntry()]))).toEqual([readEntry()]);
  });

  it.each([undefined, ''])('treats %j as no keys', (raw) => {
    expect(parseReadKeys(raw)).toEqual([]);
  });

  it('refuses an unknown role, listing the roles', () => {
    expect(readError([readEntry({ role: 'admin' })])).toBe(
      'READ_KEYS[0].role must be one of: steward, clinic, researcher',
    );
  });

  it('requires clinics for a clinic reader and refuses them for the other roles', () => {
    expect(readError([readEntry({ role: 'clinic' })])).toBe(
      'READ_KEYS[0].clinics is required for the clinic role: list the clinics this reader belongs to',
    );
    expect(readError([readEntry({ role: 'steward', clinics: ['north-01'] })])).toBe(
      'READ_KEYS[0].clinics is only for the clinic role; a steward reads the whole network',
    );
    expect(
      parseReadKeys(JSON.stringify([readEntry({ role: 'clinic', clinics: ['north-01'] })])),
    ).toEqual([
      { name: 'analysis-team', keySha256: HASH_B, role: 'clinic', clinics: ['north-01'] },
    ]);
    // Entries written before roles widened keep working unchanged.
    expect(parseReadKeys(JSON.stringify([readEntry()]))[0]?.role).toBe('researcher');
  });

  it('refuses a duplicate name', () => {
    expect(readError([readEntry(), readEntry({ keySha256: HASH_A })])).toBe(
      'READ_KEYS[1].name "analysis-team" repeats READ_KEYS[0].name',
    );
  });

  it('refuses a duplicate hash', () => {
    expect(readError([readEntry(), readEntry({ name: 'other-team' })])).toBe(
      'READ_KEYS[1].keySha256 repeats READ_KEYS[0].keySha256',
    );
  });

  it('names the variable in a bad hash', () => {
    expect(readError([readEntry({ keySha256: HASH_B.slice(1) })])).toBe(
      'READ_KEYS[0].keySha256 must be 64 hex characters (the SHA-256 of the key)',
    );
  });
});

describe('assertDistinctKeys', () => {
  it('accepts separate keys for writing and reading', () => {
    const ingest = parseIngestKeys(JSON.stringify([ingestEntry()]));
    const read = parseReadKeys(JSON.stringify([readEntry()]));
    expect(() => assertDistinctKeys(ingest, read)).not.toThrow();
  });

  it('refuses one key used both to write and to read', () => {
    const ingest = parseIngestKeys(JSON.stringify([ingestEntry({ keySha256: HASH_B })]));
    const read = parseReadKeys(JSON.stringify([readEntry()]));
    expect(() => assertDistinctKeys(ingest, read)).toThrow(
      'READ_KEYS[0].keySha256 repeats INGEST_KEYS[0].keySha256: use a separate key for reading',
    );
  });
});
