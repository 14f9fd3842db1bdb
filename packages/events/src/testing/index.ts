/**
 * Test fixtures of the contract, shared by this package's tests and the ingest's: one valid
 * sample of every type and the identifying-input corpus. Synthetic data only.
 */

export * from './episode-builder.js';
export * from './identifying-corpus.js';
export * from './samples.js';
