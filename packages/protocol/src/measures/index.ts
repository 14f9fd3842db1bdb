export * from './flags.js';
export * from './registry.js';
export * from './statistics.js';
