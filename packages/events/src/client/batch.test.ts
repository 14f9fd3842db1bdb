// Covers splitting event lists into requests the contract allows: `chunk` (count limit, order,
// size validation) and `prepareBatches` (count and 1 MiB byte limits, exact request bodies).
import { describe, expect, it } from 'vitest';
import { chunk, MAX_BODY_BYTES, prepareBatches } from './batch.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('chunk', () => {
  it('splits 2500 items into 1000, 1000 and 500, keeping order', () => {
    const batches = chunk(range(2500));
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(batches.flat()).toEqual(range(2500));
  });

  it('makes no batch for an empty list and one for exactly 1000 items', () => {
    expect(chunk([])).toEqual([]);
    expect(chunk(range(1000)).map((b) => b.length)).toEqual([1000]);
    expect(chunk(range(1001)).map((b) => b.length)).toEqual([1000, 1]);
  });

  it('honours a smaller size', () => {
    expect(chunk(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it.each([0, -1, 1001, 2.5, Number.NaN])('rejects the size %s', (size) => {
    expect(() => chunk([1, 2, 3], size)).toThrow(/from 1 to 1000/);
  });
});

describe('prepareBatches', () => {
  it('serializes each batch as {"events":[...]} with its start index', () => {
    const events = range(2500).map((i) => ({ id: `id-${i}` }));
    const batches = prepareBatches(events);
    expect(batches.map((b) => [b.start, b.events.length])).toEqual([
      [0, 1000],
      [1000, 1000],
      [2000, 500],
    ]);
    const last = batches[2];
    expect(last && JSON.parse(last.body)).toEqual({ events: events.slice(2000) });
  });

  it('starts a new batch before a body would pass 1 MiB', () => {
    // Each event is about 300 kB of JSON, so three fit in 1 MiB and the fourth does not.
    const events = range(7).map((i) => ({ id: `id-${i}`, pad: 'x'.repeat(300_000) }));
    const batches = prepareBatches(events);
    expect(batches.map((b) => b.events.length)).toEqual([3, 3, 1]);
    for (const batch of batches) {
      expect(Buffer.byteLength(batch.body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
      expect(JSON.parse(batch.body)).toEqual({
        events: events.slice(batch.start, batch.start + batch.events.length),
      });
    }
  });

  it('counts multi-byte characters in bytes', () => {
    const events = range(2).map((i) => ({ id: `id-${i}`, pad: 'é'.repeat(300_000) }));
    // 600 kB of bytes each although only 300k characters: they cannot share a body.
    expect(prepareBatches(events).map((b) => b.events.length)).toEqual([1, 1]);
  });

  it('refuses an event that is larger than a request on its own', () => {
    const events = [{ id: 'a' }, { id: 'b', pad: 'x'.repeat(MAX_BODY_BYTES) }];
    expect(() => prepareBatches(events)).toThrow(/index 1 is .* bytes/);
  });

  it('refuses an event that JSON cannot represent', () => {
    expect(() => prepareBatches([{ id: 'a' }, undefined])).toThrow(/index 1 cannot be serialized/);
  });
});
