import type { CatalogEvent } from '@ipt/events';
import { type ArrivalOptions, arrivalOrder, DEFAULT_ARRIVAL } from './arrival.js';
import { toEpochDay } from './calendar.js';
import { simulateEpisode } from './episode.js';
import { clinicPicker, createNetwork } from './network.js';
import { Rng } from './random.js';

export interface SimulationOptions {
  seed?: number;
  episodes?: number;
  clinics?: number;
  /** Episodes start uniformly between these dates (inclusive). */
  startFrom?: string;
  startTo?: string;
  /** "Today" of the simulated network: nothing after it has happened, so late starters are open. */
  until?: string;
  /** Arrival effects; `false` emits each episode's events in time order, episode by episode. */
  arrival?: Partial<ArrivalOptions> | false;
}

export const DEFAULT_SIMULATION = {
  seed: 1,
  episodes: 20_000,
  clinics: 50,
  startFrom: '2024-01-01',
  startTo: '2025-12-31',
  until: '2026-03-31',
} as const;

/** The options with defaults applied and checked. Fixed dates keep a seed's output stable. */
export function resolveOptions(options: SimulationOptions = {}) {
  const resolved = { ...DEFAULT_SIMULATION, ...options };
  if (!Number.isInteger(resolved.seed))
    throw new RangeError(`seed must be an integer, got ${resolved.seed}`);
  if (!Number.isInteger(resolved.episodes) || resolved.episodes < 0) {
    throw new RangeError(`episodes must be a non-negative integer, got ${resolved.episodes}`);
  }
  const fromDay = toEpochDay(resolved.startFrom);
  const toDay = toEpochDay(resolved.startTo);
  const untilDay = toEpochDay(resolved.until);
  if (toDay < fromDay) throw new RangeError('startTo is before startFrom');
  if (untilDay < toDay) throw new RangeError('until is before startTo');
  return { ...resolved, fromDay, toDay, untilDay };
}

/**
 * Each episode's events in time order, one array per episode. Lazy: 1M episodes stream through
 * in constant memory.
 */
export function* simulateEpisodes(options: SimulationOptions = {}): Generator<CatalogEvent[]> {
  const o = resolveOptions(options);
  const network = createNetwork(o.seed, o.clinics);
  const pickClinic = clinicPicker(network);
  for (let index = 0; index < o.episodes; index++) {
    const rng = new Rng(o.seed, 'episode', index);
    const clinic = pickClinic(rng);
    const startDay = rng.int(o.fromDay, o.toDay);
    yield simulateEpisode(rng, { clinic, startDay, untilDay: o.untilDay });
  }
}

/**
 * The network's events in arrival order: interleaved across episodes, some late, a few sent
 * twice. Same options, same events, in the same order.
 */
export function* simulateNetwork(options: SimulationOptions = {}): Generator<CatalogEvent> {
  const episodes = simulateEpisodes(options);
  function* flat(): Generator<CatalogEvent> {
    for (const events of episodes) yield* events;
  }
  if (options.arrival === false) {
    yield* flat();
    return;
  }
  const o = resolveOptions(options);
  yield* arrivalOrder(new Rng(o.seed, 'arrival'), flat(), {
    ...DEFAULT_ARRIVAL,
    ...options.arrival,
  });
}
