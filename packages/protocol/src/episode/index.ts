export * from './events.js';
export * from './expected-recovery.js';
export * from './findings.js';
export { type EpisodeSummary, foldEpisode, type PhaseSpan } from './fold.js';
export { BASELINE_LATEST_SESSION, type Phq9Measurement } from './measures.js';
export type { EpisodeMedication } from './medication.js';
export * from './signals.js';
