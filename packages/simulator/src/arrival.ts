import type { Rng } from './random.js';

/**
 * How events reach the platform, as opposed to when they happened: feeds interleave clinics,
 * batch late, and retry. Three effects, each with bounded memory so a stream of any length runs
 * in constant space:
 * - a shuffle window: each emitted event is a random one of the last `window` produced;
 * - late events: a share is held back and sent thousands of events later;
 * - duplicates: a share is sent a second time (a source retry), with the same id and content.
 */
export interface ArrivalOptions {
  window: number;
  lateRate: number;
  /** Late events are held back for this many emitted events, drawn uniformly. */
  lateDelay: readonly [number, number];
  duplicateRate: number;
}

export const DEFAULT_ARRIVAL: ArrivalOptions = {
  window: 64,
  lateRate: 0.02,
  lateDelay: [500, 5000],
  duplicateRate: 0.003,
};

export function* arrivalOrder<T>(
  rng: Rng,
  source: Iterable<T>,
  options: ArrivalOptions = DEFAULT_ARRIVAL,
): Generator<T> {
  const buffer: T[] = [];
  // Held-back events ordered by the emission count at which they are released.
  const held: Array<{ at: number; item: T }> = [];
  let emitted = 0;

  function* emit(item: T): Generator<T> {
    emitted += 1;
    yield item;
    if (rng.chance(options.duplicateRate)) hold(item, rng.int(1, options.lateDelay[0]));
    while (held.length > 0 && (held[0]?.at ?? Number.POSITIVE_INFINITY) <= emitted) {
      const due = held.shift();
      if (due !== undefined) {
        emitted += 1;
        yield due.item;
      }
    }
  }
  function hold(item: T, delay: number): void {
    const at = emitted + delay;
    let i = held.length;
    while (i > 0 && (held[i - 1]?.at ?? 0) > at) i--;
    held.splice(i, 0, { at, item });
  }
  function takeRandom(): T {
    const index = rng.int(0, buffer.length - 1);
    const item = buffer[index] as T;
    buffer[index] = buffer[buffer.length - 1] as T;
    buffer.pop();
    return item;
  }

  for (const item of source) {
    if (rng.chance(options.lateRate)) {
      hold(item, rng.int(options.lateDelay[0], options.lateDelay[1]));
      continue;
    }
    buffer.push(item);
    if (buffer.length > options.window) yield* emit(takeRandom());
  }
  while (buffer.length > 0) yield* emit(takeRandom());
  for (const { item } of held.splice(0)) yield item;
}
