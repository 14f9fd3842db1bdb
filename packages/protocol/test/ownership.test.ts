/**
 * @fileoverview Episode ownership as a specification: given what is known (events stored, or
 * accepted earlier in a batch), when an event arrives, then it is accepted or refused for the
 * rules it breaks. No database: the decider is pure; the screen (@ipt/http) and the
 * projection (packages/warehouse) are tested against chDB in their own suites.
 */
import { describe, expect, it } from 'vitest';
import {
  decideAll,
  type OwnershipEvent,
  type OwnershipViolation,
  type RecordedOwnershipEvent,
  storedOwnership,
} from '../src/ownership.js';

const A = 'clinic-a';
const B = 'clinic-b';
let serial = 0;
/** An event with partial overrides; ids are upper case on purpose (compared without case). */
const event = (overrides: Partial<RecordedOwnershipEvent> = {}): RecordedOwnershipEvent => {
  serial += 1;
  return {
    id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`.toUpperCase(),
    episodeId: 'episode-1',
    clinicId: A,
    recordedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
};
const retraction = (target: OwnershipEvent, overrides: Partial<RecordedOwnershipEvent> = {}) =>
  event({ retracts: target.id.toLowerCase(), ...overrides });

/** given(stored events).when(new events, in order).thenRefused(for the rules of each). */
const given = (stored: readonly RecordedOwnershipEvent[]) => ({
  when: (...events: OwnershipEvent[]) => ({
    thenRefused: (...expected: OwnershipViolation[][]) =>
      expect(decideAll(storedOwnership(stored), events)).toEqual(expected),
  }),
});

describe('episode ownership', () => {
  it('accepts the first event of a new episode, and makes its clinic the owner', () => {
    given([])
      .when(event({ clinicId: B }), event({ clinicId: A }), event({ clinicId: B }))
      .thenRefused([], ['foreignEpisode'], []);
  });

  it("refuses an event for another clinic's episode", () => {
    given([event({ clinicId: A })])
      .when(event({ clinicId: B }))
      .thenRefused(['foreignEpisode']);
  });

  it('accepts events of the owner, in any episode it owns', () => {
    const stored = [event(), event({ episodeId: 'episode-2' })];
    given(stored)
      .when(event(), event({ episodeId: 'episode-2' }))
      .thenRefused([], []);
  });

  it("refuses a retraction of another clinic's event, even in an episode it owns", () => {
    const foreign = event({ clinicId: B, episodeId: 'episode-2' });
    given([event(), foreign]).when(retraction(foreign)).thenRefused(['foreignRetraction']);
  });

  it('refuses a retraction sent with another episode than its event', () => {
    const mine = event({ episodeId: 'episode-2' });
    given([event(), mine]).when(retraction(mine)).thenRefused(['otherEpisodeRetraction']);
  });

  it('refuses an event that breaks both rules with both', () => {
    const owned = event({ clinicId: A });
    const foreign = event({ clinicId: B, episodeId: 'episode-2' });
    given([owned, foreign])
      .when(retraction(foreign, { clinicId: B }))
      .thenRefused(['foreignEpisode', 'otherEpisodeRetraction']);
    given([owned, foreign])
      .when(retraction(owned, { clinicId: B }))
      .thenRefused(['foreignEpisode', 'foreignRetraction']);
  });

  it('accepts a retraction of an event not known: it may arrive later', () => {
    given([event()])
      .when(event({ retracts: 'ffffffff-0000-4000-8000-000000000000' }))
      .thenRefused([]);
  });

  it('lets a later event of a batch retract an earlier accepted one, and not a refused one', () => {
    const first = event({ episodeId: 'episode-new' });
    given([])
      .when(first, retraction(first, { episodeId: 'episode-new' }))
      .thenRefused([], []);
    const refused = event({ clinicId: B });
    const noted = event({ clinicId: B, episodeId: 'episode-3' });
    given([event({ clinicId: A })])
      .when(refused, noted, retraction(refused, { clinicId: B, episodeId: 'episode-3' }))
      // The refused event is not stored: its retraction names nothing known, and passes.
      .thenRefused(['foreignEpisode'], [], []);
  });

  it('keeps the home of the first copy of an id', () => {
    const original = event({ episodeId: 'episode-9' });
    const copy = { ...original, episodeId: 'episode-9', clinicId: A };
    given([original])
      .when(copy, retraction(original, { episodeId: 'episode-9' }))
      .thenRefused([], []);
  });
});

describe('an episode as stored', () => {
  it('belongs to the clinic of its first recorded event, ties broken by the id', () => {
    const late = event({ clinicId: A, recordedAt: '2026-01-02T00:00:00.000Z' });
    const early = event({ clinicId: B, recordedAt: '2026-01-01T00:00:00.000Z' });
    expect(storedOwnership([late, early]).owners.get('episode-1')).toBe(B);
    const low = event({ id: '0A', clinicId: A });
    const high = event({ id: '0b', clinicId: B });
    expect(storedOwnership([high, low]).owners.get('episode-1')).toBe(A);
    expect(storedOwnership([low, high]).owners.get('episode-1')).toBe(A);
    expect(storedOwnership([]).owners.size).toBe(0);
  });

  it('knows every stored event by its id in lower case', () => {
    const stored = event({ id: 'ABC' });
    expect(storedOwnership([stored]).homes.get('abc')).toEqual({
      clinicId: A,
      episodeId: 'episode-1',
    });
  });
});
