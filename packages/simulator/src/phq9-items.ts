import type { Rng } from './random.js';

/**
 * Relative weight of each PHQ-9 item in a depressed person's total: fatigue, sleep and anhedonia
 * carry most of it, item 9 (thoughts of death or self-harm) the least (Kroenke 2001, item means).
 */
const ITEM_WEIGHTS = [1.2, 1.1, 1.4, 1.5, 1.0, 1.0, 1.0, 0.7, 0.35];

/**
 * Nine item scores (0-3) summing to `total`, drawn so that realistic items carry the load.
 * Item 9 scores only for people with thoughts of death or self-harm (`ideation`): it is a trait
 * of the person, not noise spread over everyone, so about one episode in five carries the flag,
 * as in depressed outpatient samples (Simon et al. 2013).
 */
export function itemsForTotal(rng: Rng, total: number, ideation = false): number[] {
  // Without ideation the other eight items can hold at most 24 points.
  const target = Math.max(0, Math.min(ideation ? 27 : 24, Math.round(total)));
  const items = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let point = 0; point < target; point++) {
    let weightSum = 0;
    const open = (i: number) => (items[i] ?? 3) < 3 && (i < 8 || ideation);
    for (let i = 0; i < 9; i++) if (open(i)) weightSum += ITEM_WEIGHTS[i] ?? 1;
    let draw = rng.next() * weightSum;
    let chosen = -1;
    for (let i = 0; i < 9; i++) {
      if (!open(i)) continue;
      chosen = i; // the last open item takes the point if rounding leaves draw at 0
      draw -= ITEM_WEIGHTS[i] ?? 1;
      if (draw < 0) break;
    }
    items[chosen] = (items[chosen] ?? 0) + 1;
  }
  return items;
}
