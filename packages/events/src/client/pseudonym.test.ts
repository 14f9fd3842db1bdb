// Covers the source-side de-identification helpers: keyed pseudonyms (determinism, secret and
// domain sensitivity, the contract's format, never all digits) and per-client date shifting
// (consistency, spread, window, calendar correctness, time-zone independence, bad input).
import { describe, expect, it } from 'vitest';
import { eventId } from '../primitives.js';
import { isPseudonym } from '../pseudonym-rule.js';
import { createPseudonymizer } from './pseudonym.js';

const SECRET = 'clinic-secret-0123456789-abcdefghijklmnop';
const OTHER_SECRET = 'clinic-secret-0123456789-abcdefghijklmnoq';
const PSEUDONYM = /^[cet]_[A-Za-z0-9_-]{30}$/;
const ALL_DIGITS = /^\d+$/;

/** Independent oracle: whole-day arithmetic via Date.UTC, valid for years 1970 onwards. */
function oracleAddDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

const localIds = Array.from({ length: 2000 }, (_, i) =>
  i % 2 === 0 ? String(100000 + i) : `MRN-${i}`,
);

describe('createPseudonymizer secret', () => {
  it('rejects secrets shorter than 32 bytes, as strings or bytes', () => {
    expect(() => createPseudonymizer('x'.repeat(31))).toThrow(/at least 32 bytes, got 31/);
    expect(() => createPseudonymizer(new Uint8Array(31))).toThrow(/at least 32 bytes/);
    expect(() => createPseudonymizer('')).toThrow(/at least 32 bytes, got 0/);
  });

  it('counts a string secret in UTF-8 bytes, not characters', () => {
    // 16 characters, 32 bytes.
    expect(() => createPseudonymizer('é'.repeat(16))).not.toThrow();
    // 31 characters, 31 bytes.
    expect(() => createPseudonymizer('e'.repeat(31))).toThrow(/at least 32 bytes/);
  });

  it('accepts a 32-byte Uint8Array and ignores later changes to the caller buffer', () => {
    const bytes = new Uint8Array(32).fill(7);
    const p = createPseudonymizer(bytes);
    const before = p.clientId('A-1');
    bytes.fill(9);
    expect(p.clientId('A-1')).toBe(before);
    expect(createPseudonymizer(bytes).clientId('A-1')).not.toBe(before);
  });
});

describe('pseudonyms', () => {
  it('are deterministic across pseudonymizer instances with the same secret', () => {
    const a = createPseudonymizer(SECRET);
    const b = createPseudonymizer(SECRET);
    for (const id of localIds.slice(0, 200)) {
      expect(b.clientId(id)).toBe(a.clientId(id));
      expect(b.episodeId(id)).toBe(a.episodeId(id));
      expect(b.therapistId(id)).toBe(a.therapistId(id));
    }
  });

  it('change completely when the secret changes by one character', () => {
    const a = createPseudonymizer(SECRET);
    const b = createPseudonymizer(OTHER_SECRET);
    for (const id of localIds.slice(0, 200)) {
      expect(b.clientId(id)).not.toBe(a.clientId(id));
      expect(b.episodeId(id)).not.toBe(a.episodeId(id));
      expect(b.therapistId(id)).not.toBe(a.therapistId(id));
    }
  });

  it('are unrelated across domains for the same local id', () => {
    const p = createPseudonymizer(SECRET);
    const body = (pseudonym: string) => pseudonym.slice(2);
    expect(body(p.clientId('42'))).not.toBe(body(p.episodeId('42')));
    expect(body(p.clientId('42'))).not.toBe(body(p.therapistId('42')));
    expect(body(p.episodeId('42'))).not.toBe(body(p.therapistId('42')));
  });

  it('match the contract format, carry their prefix and are never all digits', () => {
    const p = createPseudonymizer(SECRET);
    for (const id of localIds) {
      for (const [pseudonym, prefix, field] of [
        [p.clientId(id), 'c_', 'clientId'],
        [p.episodeId(id), 'e_', 'episodeId'],
        [p.therapistId(id), 't_', 'therapistId'],
      ] as const) {
        expect(pseudonym).toMatch(PSEUDONYM);
        expect(isPseudonym(pseudonym, field)).toBe(true);
        expect(pseudonym).not.toMatch(ALL_DIGITS);
        expect(pseudonym.startsWith(prefix)).toBe(true);
        expect(pseudonym).toHaveLength(32);
      }
    }
  });

  it('are distinct for distinct local ids', () => {
    const p = createPseudonymizer(SECRET);
    expect(new Set(localIds.map((id) => p.clientId(id))).size).toBe(localIds.length);
  });

  it('do not contain the local id', () => {
    const p = createPseudonymizer(SECRET);
    expect(p.clientId('123456789')).not.toContain('123456789');
  });

  it('reject an empty local id instead of hashing it', () => {
    const p = createPseudonymizer(SECRET);
    expect(() => p.clientId('')).toThrow(/non-empty/);
    expect(() => p.shiftDate('', '2024-01-01')).toThrow(/non-empty/);
  });
});

describe('event ids', () => {
  it('are UUIDs the contract accepts, the same for the same record key and secret', () => {
    const a = createPseudonymizer(SECRET);
    const b = createPseudonymizer(SECRET);
    const id = a.eventId('Encounter/881/session.attended');
    expect(eventId.safeParse(id).success).toBe(true);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b.eventId('Encounter/881/session.attended')).toBe(id);
    expect(createPseudonymizer(OTHER_SECRET).eventId('Encounter/881/session.attended')).not.toBe(
      id,
    );
  });

  it('are distinct for distinct keys and unrelated to the pseudonym of the same key', () => {
    const p = createPseudonymizer(SECRET);
    const ids = localIds.map((key) => p.eventId(key));
    expect(new Set(ids).size).toBe(localIds.length);
    // Another domain of the same key: the first 6 digest bytes differ (a shared HMAC would not).
    const eventBytes = p.eventId('MRN-7').replaceAll('-', '').slice(0, 12);
    for (const pseudonym of [p.clientId('MRN-7'), p.episodeId('MRN-7'), p.therapistId('MRN-7')]) {
      const digestBytes = Buffer.from(pseudonym.slice(2), 'base64url').toString('hex').slice(0, 12);
      expect(digestBytes).not.toBe(eventBytes);
    }
    expect(() => p.eventId('')).toThrow(/non-empty/);
  });
});

describe('date shifting', () => {
  it('uses one offset per client, the same on every call and instance', () => {
    const a = createPseudonymizer(SECRET);
    const b = createPseudonymizer(SECRET);
    for (const id of localIds.slice(0, 100)) {
      const offset = a.dateOffsetDays(id);
      expect(b.dateOffsetDays(id)).toBe(offset);
      expect(a.shiftDate(id, '2024-05-10')).toBe(oracleAddDays('2024-05-10', offset));
      expect(a.shiftDate(id, '2021-11-30')).toBe(oracleAddDays('2021-11-30', offset));
    }
  });

  it('preserves the days between two dates of the same client, across a leap day', () => {
    const p = createPseudonymizer(SECRET);
    for (const id of localIds.slice(0, 100)) {
      const start = Date.parse(p.shiftDate(id, '2024-02-27'));
      const end = Date.parse(p.shiftDate(id, '2024-03-02'));
      expect((end - start) / 86_400_000).toBe(4);
    }
  });

  it('differs across clients and spreads over the default -364..-1 window (never forward)', () => {
    const p = createPseudonymizer(SECRET);
    const offsets = localIds.map((id) => p.dateOffsetDays(id));
    for (const offset of offsets) {
      expect(Number.isInteger(offset)).toBe(true);
      expect(offset).toBeGreaterThanOrEqual(-364);
      expect(offset).toBeLessThanOrEqual(-1);
    }
    expect(Math.min(...offsets)).toBeLessThan(-350);
    expect(Math.max(...offsets)).toBeGreaterThan(-15);
    expect(new Set(offsets).size).toBeGreaterThan(300);
  });

  it('depends on the secret', () => {
    const a = createPseudonymizer(SECRET);
    const b = createPseudonymizer(OTHER_SECRET);
    const ids = localIds.slice(0, 200);
    const same = ids.filter((id) => a.dateOffsetDays(id) === b.dateOffsetDays(id)).length;
    // Chance agreement is 1 in 365 per client.
    expect(same).toBeLessThan(10);
  });

  it('stays within a configured window', () => {
    const p = createPseudonymizer(SECRET, { minShiftDays: -30, maxShiftDays: -10 });
    const offsets = localIds.map((id) => p.dateOffsetDays(id));
    expect(Math.min(...offsets)).toBe(-30);
    expect(Math.max(...offsets)).toBe(-10);
  });

  it('rejects an inverted or fractional window', () => {
    expect(() => createPseudonymizer(SECRET, { minShiftDays: 5, maxShiftDays: 1 })).toThrow(
      /min <= max/,
    );
    expect(() => createPseudonymizer(SECRET, { maxShiftDays: 1.5 })).toThrow(/integers/);
  });

  it.each([
    [1, '2024-02-28', '2024-02-29'],
    [1, '2024-02-29', '2024-03-01'],
    [1, '2023-02-28', '2023-03-01'],
    [1, '2024-12-31', '2025-01-01'],
    [1, '2024-04-30', '2024-05-01'],
    [-1, '2024-03-01', '2024-02-29'],
    [-1, '2000-03-01', '2000-02-29'],
    [-1, '2100-03-01', '2100-02-28'],
    [-1, '2025-01-01', '2024-12-31'],
    [365, '2023-03-01', '2024-02-29'],
    [-366, '2024-12-31', '2023-12-31'],
  ])('shifts by %i days from %s to %s', (days, from, to) => {
    const p = createPseudonymizer(SECRET, { minShiftDays: days, maxShiftDays: days });
    expect(p.dateOffsetDays('any-client')).toBe(days);
    expect(p.shiftDate('any-client', from)).toBe(to);
  });

  it('gives the same result whatever the process time zone', () => {
    const original = process.env.TZ;
    const results: string[] = [];
    const zoneOffsets = new Set<number>();
    try {
      for (const zone of ['Pacific/Kiritimati', 'America/Los_Angeles', 'Europe/London', 'UTC']) {
        process.env.TZ = zone;
        zoneOffsets.add(new Date(Date.UTC(2024, 2, 30)).getTimezoneOffset());
        const p = createPseudonymizer(SECRET, { minShiftDays: 1, maxShiftDays: 1 });
        // 2024-03-31 is the night the UK moves its clocks forward.
        results.push(p.shiftDate('x', '2024-03-30'), p.shiftDate('x', '2024-03-10'));
      }
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
    // The zone change really took effect, so the equal results below mean something.
    expect(zoneOffsets.size).toBeGreaterThan(1);
    expect(new Set(results)).toEqual(new Set(['2024-03-31', '2024-03-11']));
  });

  it.each([
    '2024-2-01',
    '2024-02-1',
    '24-02-01',
    '2023-02-29',
    '2024-13-01',
    '2024-00-10',
    '2024-04-31',
    '2024-01-01T00:00:00Z',
    ' 2024-01-01',
    '',
  ])('rejects the malformed or impossible date %j', (date) => {
    const p = createPseudonymizer(SECRET);
    expect(() => p.shiftDate('client-1', date)).toThrow(/Invalid date/);
  });

  it('keeps years below 100 as written instead of mapping them to the 1900s', () => {
    const p = createPseudonymizer(SECRET, { minShiftDays: 1, maxShiftDays: 1 });
    expect(p.shiftDate('x', '0050-12-31')).toBe('0051-01-01');
  });
});
