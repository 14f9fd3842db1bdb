/**
 * Projection versions for ReplacingMergeTree: microseconds since the epoch, strictly increasing
 * within the process. A later projection of an episode always outranks an earlier one, and a
 * replay outranks everything projected before it.
 */
let last = 0;

export function nextVersion(): number {
  last = Math.max(last + 1, Date.now() * 1000);
  return last;
}
