import { recordKeysFrom } from '@ipt/warehouse';
import type { DisclosureSettings } from '../server/disclosure.js';
import { createNoiseDraw } from '../server/noise-draw.js';

/** Record keys under a fixed test secret (never a deployment's): tests know every noise. */
export const testRecordKeys = recordKeysFrom(new Uint8Array(32).fill(42));

/** The default disclosure settings (k = 11, noise D = 1) with a test secret's noise draw. */
export const testDisclosure: Required<DisclosureSettings> = {
  minCellSize: 11,
  noise: 1,
  draw: createNoiseDraw(new Uint8Array(32).fill(42)),
};
