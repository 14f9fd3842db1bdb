/**
 * @fileoverview Property: foldEpisode depends only on the set of events, never on arrival order.
 * Random episodes (with missed scores, medication, several problem areas, duplicates, retractions
 * and retracted retractions) are folded in their generated order and in shuffled orders; the
 * summaries must be identical. A second property checks that retracting an event is the same as
 * never having sent it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EpisodeEvent, foldEpisode } from '../src/index.js';
import { addDays, episodeFactory } from './episode-factory.js';

const AREAS = ['grief', 'role_transition', 'role_dispute', 'interpersonal_deficits'] as const;
const ACTIONS = ['started', 'stopped', 'dose_changed', 'switched', 'ongoing_at_intake'] as const;

/** A random but valid episode, described by choices fast-check can shrink. */
const episodeArbitrary = fc
  .record({
    sessions: fc.integer({ min: 0, max: 20 }),
    baseline: fc.integer({ min: 0, max: 27 }),
    scores: fc.array(fc.integer({ min: 0, max: 27 }), { minLength: 20, maxLength: 20 }),
    scoredMask: fc.array(fc.boolean(), { minLength: 21, maxLength: 21 }),
    areas: fc.array(
      fc.tuple(fc.constantFrom(...AREAS), fc.integer({ min: 0, max: 8 }), fc.boolean()),
      { maxLength: 3 },
    ),
    medication: fc.array(fc.tuple(fc.constantFrom(...ACTIONS), fc.integer({ min: 0, max: 10 })), {
      maxLength: 3,
    }),
    ended: fc.boolean(),
    followUp: fc.option(fc.integer({ min: 0, max: 27 })),
    duplicates: fc.array(fc.nat(), { maxLength: 4 }),
    retractions: fc.array(fc.nat(), { maxLength: 4 }),
    retractedRetractions: fc.array(fc.nat(), { maxLength: 2 }),
  })
  .map((spec) => {
    const f = episodeFactory({ episodeId: 'ep_property_case' });
    const start = '2024-03-04';
    const events: EpisodeEvent[] = [f.started({}, start)];
    if (spec.scoredMask[0]) events.push(f.phq9(spec.baseline, 0, start, 'intake'));
    for (let s = 1; s <= spec.sessions; s++) {
      const on = addDays(start, 7 * s);
      events.push(f.attended(s, on, s <= 3 ? 'initial' : 'middle'));
      if (spec.scoredMask[s]) events.push(f.phq9(spec.scores[s - 1] ?? 0, s, on));
    }
    for (const [area, session, primary] of spec.areas) {
      events.push(f.problemArea(area, session, addDays(start, 7 * session), primary));
    }
    for (const [action, session] of spec.medication) {
      events.push(f.medication(action, session, addDays(start, 7 * session)));
    }
    const endOn = addDays(start, 7 * (spec.sessions + 1));
    if (spec.ended) events.push(f.ended('completed', endOn));
    if (spec.followUp !== null) {
      events.push(
        f.phq9(spec.followUp, spec.sessions, addDays(endOn, 56), 'follow_up', { weeksAfterEnd: 8 }),
      );
    }
    const originals = [...events];
    const retractions = spec.retractions.flatMap((i) => {
      const target = originals[i % originals.length];
      return target === undefined ? [] : [f.retract(target.id, endOn)];
    });
    const undo = spec.retractedRetractions.flatMap((i) => {
      const target = retractions[i % Math.max(1, retractions.length)];
      return target === undefined ? [] : [f.retract(target.id, endOn)];
    });
    const all = [...originals, ...retractions, ...undo];
    const copies = spec.duplicates.flatMap((i) => {
      const event = all[i % all.length];
      return event === undefined ? [] : [structuredClone(event)];
    });
    return [...all, ...copies];
  });

describe('foldEpisode is order-independent', () => {
  it('gives the same summary for every arrival order', () => {
    fc.assert(
      fc.property(
        episodeArbitrary.chain((events) =>
          fc.tuple(
            fc.constant(events),
            fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
          ),
        ),
        ([events, shuffled]) => {
          expect(foldEpisode(shuffled)).toEqual(foldEpisode(events));
        },
      ),
      { numRuns: 300, seed: 20261122 },
    );
  });

  it('gives the same summary in reverse order', () => {
    fc.assert(
      fc.property(episodeArbitrary, (events) => {
        expect(foldEpisode([...events].reverse())).toEqual(foldEpisode(events));
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('retractions honoured under any order', () => {
  it('folds an episode with a retracted event exactly as without it', () => {
    fc.assert(
      fc.property(episodeArbitrary, fc.nat(), fc.nat(), (events, pick, salt) => {
        // Only originals that nothing else refers to: retracting a retraction has its own test.
        const candidates = events.filter(
          (e) =>
            e.type !== 'event.retracted' &&
            !events.some((r) => r.type === 'event.retracted' && r.payload.eventId === e.id),
        );
        const target = candidates[pick % Math.max(1, candidates.length)];
        if (target === undefined || candidates.length < 2) return;
        const f = episodeFactory({ episodeId: 'ep_property_case' });
        const retraction = f.retract(target.id, '2024-12-01');
        const without = events.filter((e) => e.id !== target.id);
        const withRetraction = [...events, retraction];
        const rotated = [
          ...withRetraction.slice(salt % withRetraction.length),
          ...withRetraction.slice(0, salt % withRetraction.length),
        ];
        const a = foldEpisode(rotated);
        const b = foldEpisode(without);
        // The retracted id and the retraction itself are recorded; everything else is unchanged.
        expect({ ...a, retractedEventIds: [], eventCount: 0 }).toEqual({
          ...b,
          retractedEventIds: [],
          eventCount: 0,
        });
        expect(a.retractedEventIds).toContain(target.id);
      }),
      { numRuns: 200, seed: 99 },
    );
  });
});
