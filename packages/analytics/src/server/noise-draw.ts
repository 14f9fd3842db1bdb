import { createHmac } from 'node:crypto';
import type { NoiseDraw } from '@ipt/protocol';

/**
 * The deployment's keyed draw for cell-key perturbation (docs/outcomes.md, "Disclosure control"):
 * HMAC-SHA-256 of the cell key and stream under a noise key derived from the record-key secret,
 * read as a uniform number in [0, 1). Keyed, not public: whoever learnt one noise exactly could
 * otherwise invert a public mixing function back to the cell key, and with the keys of two
 * cells that differ by one person, that person's record key. Server only; the secret never
 * leaves the process.
 */
export function createNoiseDraw(secret: Uint8Array): NoiseDraw {
  const noiseKey = createHmac('sha256', Buffer.from(secret)).update('ipt-noise-draw-v1').digest();
  return (cellKey, stream) => {
    const digest = createHmac('sha256', noiseKey)
      .update(`${cellKey >>> 0}:${stream}`)
      .digest();
    return digest.readUInt32BE(0) / 2 ** 32;
  };
}
