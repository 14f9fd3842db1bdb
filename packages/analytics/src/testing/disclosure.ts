import { recordKeysFrom } from '@ipt/warehouse';
import { createNoiseDraw } from '../server/noise-draw.js';
import type { ReleaseOptions } from '../server/release.js';

/** Record keys under a fixed test secret (never a deployment's): tests know every noise. */
export const testRecordKeys = recordKeysFrom(new Uint8Array(32).fill(42));

/** The default disclosure settings (k = 11, noise D = 1) with a test secret's noise draw. */
export const testRelease: Required<ReleaseOptions> = {
  minCellSize: 11,
  noise: 1,
  draw: createNoiseDraw(new Uint8Array(32).fill(42)),
};
