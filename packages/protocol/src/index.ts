/**
 * @ipt/protocol: the IPT domain rules. Pure functions and constants, no I/O, so the ingest, the
 * projector, the dashboard and clinics' own scripts all classify outcomes the same way.
 * Definitions and their published sources: docs/outcomes.md.
 */

export * from './benchmarking.js';
export * from './disclosure/index.js';
export * from './episode/index.js';
export * from './errors.js';
export * from './k-rule.js';
export * from './measures/index.js';
export * from './outcome.js';
export * from './ownership.js';
export * from './phq9.js';
export * from './sessions.js';
export * from './stats/index.js';
export * from './vocabulary.js';
