/**
 * @fileoverview The identifying-input corpus: values that would let a record be traced to a
 * person (emails with or without the @, phone, national and record numbers, names, birth dates,
 * postcodes, addresses, IP addresses, URLs, values padded to a pseudonym's length) are refused in
 * every pseudonym field (clientId, episodeId, therapistId in episode.started and
 * session.attended), each with a message saying what to send instead and never quoting the value;
 * names, notes, birth dates and timestamps are refused too. And the other side: pseudonyms made
 * by @ipt/events/client are always accepted, 100,000 of them over several secrets.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPseudonymizer } from '../src/client/index.js';
import {
  clientPseudonym,
  createEventValidator,
  episodePseudonym,
  isPseudonym,
  looksRandom,
  PSEUDONYM_MAX_RUN,
  PSEUDONYM_MIN_DISTINCT,
  PSEUDONYM_PREFIXES,
  PSEUDONYM_SCHEMAS,
  pseudonymPattern,
  therapistPseudonym,
  validateEvent,
} from '../src/index.js';
import {
  ACCIDENTAL_IDENTIFIERS,
  FIXED_NOW,
  IDENTIFYING_CORPUS,
  IDENTIFYING_FIELD_CORPUS,
  PSEUDONYM_CORPUS,
  PSEUDONYM_PLACES,
  SAMPLE_CLIENT_ID,
  SAMPLE_EPISODE_ID,
  SAMPLE_THERAPIST_ID,
  SAMPLES,
  variantOf,
} from '../src/testing/index.js';

const started = SAMPLES['episode.started'];
const validate = createEventValidator({ now: FIXED_NOW });

function errorsOf(input: unknown) {
  const result = validate(input);
  if (result.ok) throw new Error('expected the event to be rejected');
  return result.errors;
}

/** The parts of a value long enough to recognise it by: none may appear in a message. */
function fragments(value: string): string[] {
  const parts = value.split(/[^A-Za-z0-9]+/).filter((p) => p.length >= 4);
  return [value, ...parts];
}

describe('the pseudonym corpus', () => {
  it('holds at least 40 accidental identifiers in every pseudonym place', () => {
    expect(ACCIDENTAL_IDENTIFIERS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(PSEUDONYM_PLACES.map((p) => p.field))).toEqual(
      new Set(['clientId', 'episodeId', 'therapistId']),
    );
    expect(PSEUDONYM_CORPUS).toHaveLength(ACCIDENTAL_IDENTIFIERS.length * PSEUDONYM_PLACES.length);
  });

  it.each(PSEUDONYM_CORPUS.map((c) => [c.label, c] as const))('refuses %s', (_label, c) => {
    const errors = errorsOf(c.event);
    expect(errors, JSON.stringify(errors)).toHaveLength(1);
    const [error] = errors;
    expect(error?.path).toBe(c.path);
    const message = error?.message ?? '';
    expect(message).toBe(
      `must be a pseudonym made by @ipt-outcomes/source: ${PSEUDONYM_PREFIXES[c.field]} followed by 30 base64url characters of a keyed hash of the local id; got something that looks like ${message.split('looks like ')[1]}`,
    );
    expect(message.split('looks like ')[1]?.length).toBeGreaterThan(5);
    for (const fragment of fragments(c.value)) expect(message).not.toContain(fragment);
  });
});

describe('identifying inputs are rejected', () => {
  it.each(IDENTIFYING_CORPUS)('rejects %s', (_label, input, path) => {
    const result = validateEvent(input, { now: FIXED_NOW });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const error = result.errors.find((e) => e.path === path);
    expect(error, `no error at ${path}: ${JSON.stringify(result.errors)}`).toBeDefined();
    expect(error?.message.length).toBeGreaterThan(10);
  });

  it('keeps the corpus of other identifying fields', () => {
    expect(IDENTIFYING_FIELD_CORPUS.map(([, , path]) => path)).toEqual(
      expect.arrayContaining(['name', 'payload.notes', 'payload.birthDate', 'occurredOn']),
    );
  });

  it('tells the source to send a pseudonym instead of an email or a number', () => {
    const email = errorsOf({ ...started, clientId: 'jane.doe@example.org' });
    const noAt = errorsOf({ ...started, clientId: 'jane_doe_at_example_org' });
    const digits = errorsOf({ ...started, clientId: '07700900123' });
    expect(email[0]?.message).toMatch(/pseudonym made by @ipt-outcomes\/source.*email address/);
    expect(noAt[0]?.message).toMatch(/looks like an email address/);
    expect(digits[0]?.message).toMatch(/record number, phone number or SSN/);
  });

  it('names the right prefix for each field', () => {
    expect(errorsOf({ ...started, clientId: 'JaneDoe' })[0]?.message).toContain('c_ followed by');
    expect(errorsOf({ ...started, episodeId: 'JaneDoe' })[0]?.message).toContain('e_ followed by');
    const therapist = variantOf(started, (d) => {
      d.payload.therapistId = 'JaneDoe';
    });
    expect(errorsOf(therapist)[0]?.message).toContain('t_ followed by');
  });

  it("refuses one field's pseudonym in another field and says which it is", () => {
    const errors = errorsOf({ ...started, episodeId: started.clientId });
    expect(errors).toEqual([
      {
        path: 'episodeId',
        message: expect.stringContaining(
          'looks like the c_ pseudonym of a clientId (an episodeId starts with e_)',
        ),
      },
    ]);
    expect(errors[0]?.message).not.toContain(started.clientId.slice(2));
    const therapistAsClient = errorsOf({ ...started, clientId: SAMPLE_THERAPIST_ID });
    expect(therapistAsClient[0]?.message).toContain('t_ pseudonym of a therapistId');
  });

  it('says a padded value has too little variety, without quoting it', () => {
    const value = `e_JaneDoe${'_'.repeat(23)}`;
    const [error] = errorsOf({ ...started, episodeId: value });
    expect(error?.message).toMatch(/padded to length/);
    expect(error?.message).not.toContain('JaneDoe');
  });

  it('refuses a megabyte of text at once, without quoting it', () => {
    const value = `c_${'Jane Doe 12 High St '.repeat(50_000)}`;
    const t0 = Date.now();
    const [error] = errorsOf({ ...started, clientId: value });
    expect(Date.now() - t0).toBeLessThan(500);
    expect(error?.message).toMatch(/looks like a long text \(over 128 characters\)/);
    expect(error?.message).not.toContain('Jane');
  });

  it('refuses a pseudonym that is not a string', () => {
    for (const value of [42, null, ['c_x'], { id: 'x' }]) {
      const [error] = errorsOf({ ...started, clientId: value });
      expect(error?.path).toBe('clientId');
      expect(error?.message).toMatch(/pseudonym made by @ipt-outcomes\/source/);
    }
  });

  it('tells the source dates are day precision', () => {
    const result = validateEvent(
      { ...started, occurredOn: '2026-03-02T14:30:00Z' },
      { now: FIXED_NOW },
    );
    expect(result.ok || result.errors[0]?.message).toMatch(/day precision/);
  });
});

describe('the entropy check', () => {
  const body = 'Ab3dEf7hIj_kLm-nOp9rStUvWx1zQ2';

  it('accepts 30 varied characters and refuses too few distinct ones or a long run', () => {
    expect(looksRandom(body)).toBe(true);
    // Exactly the minimum of distinct characters passes; one fewer fails.
    const distinct = 'ABCDEFGHIJKL';
    expect(distinct).toHaveLength(PSEUDONYM_MIN_DISTINCT);
    const atMinimum = (distinct + distinct + distinct).slice(0, 30);
    expect(looksRandom(atMinimum)).toBe(true);
    const belowMinimum = (distinct.slice(1) + distinct.slice(1) + distinct.slice(1)).slice(0, 30);
    expect(looksRandom(belowMinimum)).toBe(false);
    // A run of the maximum passes; one longer fails.
    const run = (n: number) => `${'x'.repeat(n)}${body}`.slice(0, 30);
    expect(looksRandom(run(PSEUDONYM_MAX_RUN))).toBe(true);
    expect(looksRandom(run(PSEUDONYM_MAX_RUN + 1))).toBe(false);
  });

  it('refuses a keyed hash with probability 9.4e-12 (exact, by dynamic programming)', () => {
    // States after each character: (distinct characters so far, length of the current run).
    // Mass that breaks the run limit is counted as refused at once; at the end, so is the mass
    // with too few distinct characters. Summing small masses keeps doubles exact enough.
    const alphabet = 64;
    let states = new Map<string, number>([['1,1', 1]]);
    let refused = 0;
    for (let i = 1; i < 30; i++) {
      const next = new Map<string, number>();
      const add = (d: number, r: number, p: number) => {
        next.set(`${d},${r}`, (next.get(`${d},${r}`) ?? 0) + p);
      };
      for (const [key, p] of states) {
        const [d = 0, r = 0] = key.split(',').map(Number);
        if (r + 1 > PSEUDONYM_MAX_RUN) refused += p / alphabet;
        else add(d, r + 1, p / alphabet);
        if (d > 1) add(d, 1, (p * (d - 1)) / alphabet);
        add(d + 1, 1, (p * (alphabet - d)) / alphabet);
      }
      states = next;
    }
    for (const [key, p] of states) {
      if (Number(key.split(',')[0]) < PSEUDONYM_MIN_DISTINCT) refused += p;
    }
    expect(refused).toBeGreaterThan(9.37e-12);
    expect(refused).toBeLessThan(9.39e-12);
  });

  it('puts the field pattern in the schema and checks prefix, length and alphabet', () => {
    expect(pseudonymPattern('clientId')).toBe('^c_[A-Za-z0-9_-]{30}$');
    expect(pseudonymPattern('episodeId')).toBe('^e_[A-Za-z0-9_-]{30}$');
    expect(pseudonymPattern('therapistId')).toBe('^t_[A-Za-z0-9_-]{30}$');
    expect(isPseudonym(`c_${body}`, 'clientId')).toBe(true);
    expect(isPseudonym(`e_${body}`, 'clientId')).toBe(false);
    expect(isPseudonym(`c_${body}x`, 'clientId')).toBe(false);
    expect(isPseudonym(`c_${body.slice(1)}`, 'clientId')).toBe(false);
    expect(isPseudonym(`c_${body.slice(1)}+`, 'clientId')).toBe(false);
    expect(isPseudonym(`c_${body.slice(1)}=`, 'clientId')).toBe(false);
    expect(isPseudonym(` c_${body}`, 'clientId')).toBe(false);
    expect(isPseudonym(42, 'clientId')).toBe(false);
  });
});

describe('pseudonyms made by the source client (@ipt/events/client)', () => {
  const SECRETS = [
    'clinic-secret-0123456789-abcdefghijklmnop',
    randomBytes(32),
    randomBytes(48).toString('base64url'),
    'another clinic, another key: 32 bytes or more',
  ];
  const PER_SECRET_AND_FIELD = Math.ceil(100_000 / (SECRETS.length * 3));

  it('are all accepted: 100,000 of them, random local ids, several secrets', () => {
    let checked = 0;
    for (const secret of SECRETS) {
      const p = createPseudonymizer(secret);
      for (let i = 0; i < PER_SECRET_AND_FIELD; i++) {
        const localId = randomBytes(9).toString('hex');
        const values = {
          clientId: p.clientId(localId),
          episodeId: p.episodeId(localId),
          therapistId: p.therapistId(localId),
        };
        for (const field of ['clientId', 'episodeId', 'therapistId'] as const) {
          const value = values[field];
          // The zod schema is the bulk check; a failure names the value (synthetic) to debug.
          if (!PSEUDONYM_SCHEMAS[field].safeParse(value).success) {
            throw new Error(`${field} ${value} from local id ${localId} was refused`);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(100_000);
  });

  it('are accepted in full events of every place', () => {
    for (const secret of SECRETS) {
      const p = createPseudonymizer(secret);
      for (let i = 0; i < 250; i++) {
        const localId = `MRN-${String(i).padStart(6, '0')}`;
        for (const sample of [started, SAMPLES['session.attended']]) {
          const event = {
            ...structuredClone(sample),
            clientId: p.clientId(localId),
            episodeId: p.episodeId(`${localId}/1`),
            payload: { ...sample.payload, therapistId: p.therapistId(`staff-${i % 17}`) },
          };
          const result = validate(event);
          expect(result.ok, JSON.stringify(result.ok ? null : result.errors)).toBe(true);
        }
      }
    }
  });

  it('are what the samples carry', () => {
    const p = createPseudonymizer('ipt-outcomes-samples-not-a-real-clinic-secret');
    expect(p.clientId('sample-client-1')).toBe(SAMPLE_CLIENT_ID);
    expect(p.episodeId('sample-episode-1')).toBe(SAMPLE_EPISODE_ID);
    expect(p.therapistId('sample-therapist-1')).toBe(SAMPLE_THERAPIST_ID);
  });

  it('use the schemas exported per field', () => {
    const p = createPseudonymizer(SECRETS[0] as string);
    expect(clientPseudonym.safeParse(p.clientId('a')).success).toBe(true);
    expect(episodePseudonym.safeParse(p.episodeId('a')).success).toBe(true);
    expect(therapistPseudonym.safeParse(p.therapistId('a')).success).toBe(true);
    expect(clientPseudonym.safeParse(p.episodeId('a')).success).toBe(false);
  });
});
