/**
 * @ipt/simulator: a seeded synthetic IPT clinic network that emits valid v1 events, calibrated
 * to published outcomes (docs/outcomes.md, "Calibration"). Synthetic data only.
 */
export { type ArrivalOptions, arrivalOrder, DEFAULT_ARRIVAL } from './arrival.js';
export { DROPOUT_RATE, type EpisodeDraw, simulateEpisode } from './episode.js';
export { type Clinic, createNetwork } from './network.js';
export { pseudonymFromToken } from './pseudonym.js';
export { hashSeed, Rng } from './random.js';
export {
  DEFAULT_SIMULATION,
  resolveOptions,
  type SimulationOptions,
  simulateEpisodes,
  simulateNetwork,
} from './simulate.js';
