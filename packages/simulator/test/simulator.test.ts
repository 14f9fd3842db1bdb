/**
 * @fileoverview Simulator mechanics: the same seed gives the same events in the same order; the
 * stream is lazy (a 1M-episode network yields its first events without generating the rest);
 * the arrival model loses nothing and only adds exact duplicates; PHQ-9 items sum to the drawn
 * total; clinic codes and pseudonyms follow the catalog.
 */
import {
  clientPseudonym,
  clinicCode,
  episodePseudonym,
  PSEUDONYM_SCHEMAS,
  therapistPseudonym,
} from '@ipt/events';
import { describe, expect, it } from 'vitest';
import {
  arrivalOrder,
  createNetwork,
  pseudonymFromToken,
  Rng,
  simulateEpisodes,
  simulateNetwork,
} from '../src/index.js';
import { itemsForTotal } from '../src/phq9-items.js';

function take<T>(iterable: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  for (const item of iterable) {
    if (out.length >= n) break;
    out.push(item);
  }
  return out;
}

describe('reproducibility', () => {
  it('gives the same events in the same order for the same seed', () => {
    const a = [...simulateNetwork({ seed: 7, episodes: 300 })];
    const b = [...simulateNetwork({ seed: 7, episodes: 300 })];
    expect(b).toEqual(a);
    expect(a.length).toBeGreaterThan(300 * 10);
  });

  it('gives different events for a different seed', () => {
    const a = take(simulateNetwork({ seed: 7, episodes: 50 }), 50).map((e) => e.id);
    const b = take(simulateNetwork({ seed: 8, episodes: 50 }), 50).map((e) => e.id);
    expect(new Set([...a, ...b]).size).toBe(100);
  });

  it('makes an episode the same whatever the size of the run around it', () => {
    const small = take(simulateEpisodes({ seed: 3, episodes: 10 }), 10);
    const large = take(simulateEpisodes({ seed: 3, episodes: 1_000_000 }), 10);
    expect(large).toEqual(small);
  });
});

describe('streaming', () => {
  it('yields the first events of a 1M-episode network without generating the rest', () => {
    // A generator that materialised 1M episodes first would take minutes and gigabytes here.
    const first = take(simulateNetwork({ seed: 1, episodes: 1_000_000 }), 2_000);
    expect(first).toHaveLength(2_000);
    expect(new Set(first.map((e) => e.episodeId)).size).toBeGreaterThan(50);
  });
});

describe('arrival order', () => {
  const source = Array.from({ length: 20_000 }, (_, i) => i);
  const arrived = [
    ...arrivalOrder(new Rng('arrival-test'), source, {
      window: 32,
      lateRate: 0.02,
      lateDelay: [100, 1000],
      duplicateRate: 0.01,
    }),
  ];

  it('delivers every item at least once and adds only duplicates', () => {
    expect(new Set(arrived)).toEqual(new Set(source));
    const extra = arrived.length - source.length;
    expect(extra).toBeGreaterThan(100);
    expect(extra).toBeLessThan(400);
  });

  it('reorders: many items arrive before an item produced earlier', () => {
    let inversions = 0;
    for (let i = 1; i < arrived.length; i++)
      if ((arrived[i] ?? 0) < (arrived[i - 1] ?? 0)) inversions++;
    expect(inversions).toBeGreaterThan(source.length / 4);
  });

  it('delivers some items far later than produced', () => {
    const position = new Map<number, number>();
    arrived.forEach((item, index) => {
      if (!position.has(item)) position.set(item, index);
    });
    const late = source.filter((item) => (position.get(item) ?? 0) - item > 90).length;
    expect(late).toBeGreaterThan(100);
  });
});

describe('generated values', () => {
  it('draws PHQ-9 items of 0-3 that sum to the total', () => {
    const rng = new Rng('items');
    for (let total = 0; total <= 27; total++) {
      const items = itemsForTotal(rng, total, true);
      expect(items).toHaveLength(9);
      expect(items.every((x) => Number.isInteger(x) && x >= 0 && x <= 3)).toBe(true);
      expect(items.reduce((a, b) => a + b, 0)).toBe(total);
    }
  });

  it('leaves item 9 at 0 without ideation, capping the total at 24', () => {
    const rng = new Rng('no-ideation');
    for (let total = 0; total <= 27; total++) {
      const items = itemsForTotal(rng, total, false);
      expect(items[8]).toBe(0);
      expect(items.reduce((a, b) => a + b, 0)).toBe(Math.min(total, 24));
    }
  });

  it('names clinics and therapists as the catalog requires', () => {
    const network = createNetwork(11, 60);
    expect(new Set(network.map((c) => c.clinicId)).size).toBe(60);
    for (const clinic of network) {
      expect(clinicCode.safeParse(clinic.clinicId).success).toBe(true);
      for (const therapist of clinic.therapists)
        expect(therapistPseudonym.safeParse(therapist).success).toBe(true);
    }
  });

  it('spells clients, episodes and therapists as the pseudonyms the catalog requires', () => {
    const events = [...simulateNetwork({ seed: 5, episodes: 400 })];
    const therapists = new Set<string>();
    for (const event of events) {
      expect(clientPseudonym.safeParse(event.clientId).success).toBe(true);
      expect(episodePseudonym.safeParse(event.episodeId).success).toBe(true);
      if (event.type === 'episode.started') therapists.add(event.payload.therapistId);
      if (event.type === 'session.attended' && event.payload.therapistId !== undefined) {
        therapists.add(event.payload.therapistId);
      }
    }
    expect(therapists.size).toBeGreaterThan(5);
    for (const therapist of therapists) {
      expect(therapistPseudonym.safeParse(therapist).success).toBe(true);
    }
  });

  it('maps a token to a pseudonym deterministically, per field, without drawing', () => {
    const rng = new Rng('token-map');
    const token = rng.token('c_');
    const next = rng.nextUint32();
    expect(pseudonymFromToken('clientId', token)).toBe(pseudonymFromToken('clientId', token));
    expect(pseudonymFromToken('clientId', token)).toMatch(/^c_[A-Za-z0-9_-]{30}$/);
    expect(pseudonymFromToken('episodeId', token).slice(2)).not.toBe(
      pseudonymFromToken('clientId', token).slice(2),
    );
    // The stream after a token is what it was before tokens were mapped: 22 draws per token.
    const replay = new Rng('token-map');
    for (let i = 0; i < 22; i++) replay.nextUint32();
    expect(replay.nextUint32()).toBe(next);
    for (let i = 0; i < 2000; i++) {
      for (const field of ['clientId', 'episodeId', 'therapistId'] as const) {
        const value = pseudonymFromToken(field, `${field}-${i}`);
        expect(PSEUDONYM_SCHEMAS[field].safeParse(value).success).toBe(true);
      }
    }
  });

  it('draws UUIDs in the version 4 layout', () => {
    const rng = new Rng('uuid');
    for (let i = 0; i < 100; i++) {
      expect(rng.uuid()).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });

  it('refuses impossible options', () => {
    expect(() => [...simulateNetwork({ episodes: -1 })]).toThrow(/non-negative integer/);
    expect(() => [...simulateNetwork({ startFrom: '2025-01-01', startTo: '2024-01-01' })]).toThrow(
      /before/,
    );
  });
});
